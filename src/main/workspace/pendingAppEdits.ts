// Edits of one application made while its organisation could not be reached, kept to preview afresh and apply once it
// answers: one per application, each only the fields the admin changed. One JSON value of the settings table: a
// workspace keeps few of them, and they need no index.
import type { PendingAppEdit } from '../../shared/contract';
import type { Db } from './database';

const KEY = 'pendingApplicationEdits';

export function pendingAppEditRepository(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  function all(): PendingAppEdit[] {
    const row = read.get(KEY);
    if (!row) return [];
    const value: unknown = JSON.parse(row.value);
    return Array.isArray(value) ? (value as PendingAppEdit[]) : [];
  }
  const other = (organisation: string, clientId: string) => (e: PendingAppEdit) =>
    e.organisation !== organisation || e.clientId !== clientId;

  return {
    /** The application's pending edit; null when it has none. */
    get: (organisation: string, clientId: string): PendingAppEdit | null =>
      all().find((e) => !other(organisation, clientId)(e)) ?? null,
    /** Keeps the edit, in place of the application's earlier one. */
    put(edit: PendingAppEdit): void {
      write.run(KEY, JSON.stringify([...all().filter(other(edit.organisation, edit.clientId)), edit]));
    },
    /** Forgets the application's pending edit; false when it had none. */
    remove(organisation: string, clientId: string): boolean {
      const before = all();
      const after = before.filter(other(organisation, clientId));
      write.run(KEY, JSON.stringify(after));
      return after.length < before.length;
    },
  };
}
export type PendingAppEditRepository = ReturnType<typeof pendingAppEditRepository>;
