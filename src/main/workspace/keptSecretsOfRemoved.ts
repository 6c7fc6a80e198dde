// The application secrets of organisations removed from this workspace whose keychain entries were kept: the admin may
// still need a value (it may be the only copy), so removal keeps them by default and they are listed here, each under
// its keychain entry's own name, until the admin copies what they need and deletes them. One JSON value of the
// settings table: a workspace keeps few of them, and they need no index.
import type { KeptSecretOfRemoved } from '../../shared/model';
import type { Db } from './database';

const KEY = 'keptSecretsOfRemovedOrganisations';

export function keptSecretsOfRemovedRepository(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  function list(): KeptSecretOfRemoved[] {
    const row = read.get(KEY);
    if (!row) return [];
    const value: unknown = JSON.parse(row.value);
    return Array.isArray(value) ? (value as KeptSecretOfRemoved[]) : [];
  }

  return {
    /** Oldest removal first. */
    list,
    /** The one kept under this keychain account; null when there is none. */
    get: (account: string): KeptSecretOfRemoved | null => list().find((k) => k.keychain.account === account) ?? null,
    /** Adds these (an organisation being removed); an entry of the same keychain account is replaced. */
    add(kept: readonly KeptSecretOfRemoved[]): void {
      const accounts = new Set(kept.map((k) => k.keychain.account));
      write.run(KEY, JSON.stringify([...list().filter((k) => !accounts.has(k.keychain.account)), ...kept]));
    },
    /** Forgets the one kept under this keychain account. */
    remove(account: string): void {
      write.run(KEY, JSON.stringify(list().filter((k) => k.keychain.account !== account)));
    },
  };
}
export type KeptSecretsOfRemovedRepository = ReturnType<typeof keptSecretsOfRemovedRepository>;
