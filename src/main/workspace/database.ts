// Opens the workspace database (better-sqlite3) and brings its schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrations as allMigrations, type Migration } from './migrations/index';

export type Db = Database.Database;

export function workspacePath(home: string): string {
  return join(home, 'workspace.db');
}

export function openDatabase(home: string, migrations: readonly Migration[] = allMigrations): Db {
  mkdirSync(home, { recursive: true });
  const db = new Database(workspacePath(home));
  try {
    // WAL: the window can read the cache while a refresh writes it. busy_timeout: the CLI and the app may share the file.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies each pending migration in its own transaction; `PRAGMA user_version` counts the applied ones. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length)
    throw new Error(
      `The workspace was written by a newer OAuth Desk (schema version ${current}; this one knows ${migrations.length}).`,
    );
  for (const [version, migration] of migrations.entries()) {
    if (version < current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return migrations.length;
}
