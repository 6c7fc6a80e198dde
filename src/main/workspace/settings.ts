// The settings repository: small JSON values by key (window state, preferences).
import type { Db } from './database';

export function settingsRepository(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  return {
    get<T>(key: string): T | null {
      const row = read.get(key);
      return row ? (JSON.parse(row.value) as T) : null;
    },
    set(key: string, value: unknown): void {
      write.run(key, JSON.stringify(value));
    },
  };
}
export type SettingsRepository = ReturnType<typeof settingsRepository>;
