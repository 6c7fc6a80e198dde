// The workspace's settings: one JSON value per key. Today the current organisation, the one worked on when none is named.
import type { Db } from './database';

const CURRENT_ORGANISATION = 'currentTenant';

export function settingsRepository(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');

  return {
    /** The current organisation's id as last chosen; null when none was (the embedded organisation then). */
    currentOrganisation(): string | null {
      const row = read.get(CURRENT_ORGANISATION);
      if (!row) return null;
      const value: unknown = JSON.parse(row.value);
      return typeof value === 'string' ? value : null;
    },
    setCurrentOrganisation(id: string | null): void {
      if (id === null) remove.run(CURRENT_ORGANISATION);
      else write.run(CURRENT_ORGANISATION, JSON.stringify(id));
    },
  };
}
export type SettingsRepository = ReturnType<typeof settingsRepository>;
