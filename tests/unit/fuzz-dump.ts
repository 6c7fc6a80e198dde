// Every row of every table of a SQLite file, as one comparable value: the fuzz tests compare it before and after a
// refused input, which must change nothing.
import Database from 'better-sqlite3';

/**
 * `ignore`: columns that change by themselves (e.g. a secret's last use when the app gets itself a token), '*' for a
 * whole table; `scrub`: patterns removed from the dump, for such values inside a JSON column.
 */
export function dumpDatabase(
  path: string,
  ignore: Readonly<Record<string, readonly string[]>> = {},
  scrub: readonly RegExp[] = [],
): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    const dump: Record<string, unknown[]> = {};
    for (const table of tables) {
      const skipped = new Set(ignore[table] ?? []);
      if (skipped.has('*')) continue;
      const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).all() as Record<string, unknown>[];
      dump[table] = rows.map((row) =>
        Object.fromEntries(Object.entries(row).filter(([column]) => !skipped.has(column))),
      );
    }
    const text = JSON.stringify(dump, (_key, value: unknown) =>
      Buffer.isBuffer(value) ? value.toString('hex') : value,
    );
    return scrub.reduce((scrubbed, pattern) => scrubbed.replace(pattern, ''), text);
  } finally {
    db.close();
  }
}
