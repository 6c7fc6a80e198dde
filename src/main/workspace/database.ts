// Opens the workspace database (better-sqlite3) and brings its schema up to date, backing it up before each migration;
// a file it cannot use (corrupt, another program's, a newer OAuth Desk's) is moved aside and a new workspace started.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { keepDatabasePrivate, keepFolderPrivate } from '../../node/privateFiles';
import { migrations as allMigrations, type Migration } from './migrations/index';

export type Db = Database.Database;

export function workspacePath(home: string): string {
  return join(home, 'workspace.db');
}

/** Why a workspace file cannot be used as it is; `openRecoveringDatabase` moves such a file aside. */
export class UnusableWorkspaceError extends Error {}

/** SQLite's codes for a file that is not a database, or one whose pages are damaged. */
const DAMAGED_FILE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export function openDatabase(home: string, migrations: readonly Migration[] = allMigrations): Db {
  // The data folder holds where every secret is kept and the embedded server's keys: its owner's only, at every start.
  keepFolderPrivate(home);
  const path = workspacePath(home);
  keepDatabasePrivate(path);
  const db = new Database(path);
  try {
    // Before anything writes to it: switching to WAL rewrites the header of a file that may not be ours.
    refuseForeign(db);
    // WAL: the window can read the cache while a refresh writes it. busy_timeout: the CLI and the app may share the file.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations, path);
    keepDatabasePrivate(path);
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && DAMAGED_FILE_CODES.has(code))
      throw new UnusableWorkspaceError(`The workspace file is damaged (${(error as Error).message}).`);
    throw error;
  }
}

/**
 * The workspace, or when its file cannot be used, a new one with the old file (and its -wal/-shm) moved aside as a
 * backup next to it: the app still starts, and `recovered` says what happened and where the old file went.
 */
export function openRecoveringDatabase(
  home: string,
  migrations: readonly Migration[] = allMigrations,
  now: () => Date = () => new Date(),
): { db: Db; recovered: string | null } {
  try {
    return { db: openDatabase(home, migrations), recovered: null };
  } catch (error) {
    if (!(error instanceof UnusableWorkspaceError)) throw error;
    const path = workspacePath(home);
    const aside = `${path}.unusable-${now().toISOString().replace(/[:.]/g, '-')}.bak`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    return {
      db: openDatabase(home, migrations),
      recovered: `${error.message} It was moved aside to ${aside} and a new workspace was started; add your organisations again.`,
    };
  }
}

/** A file with tables but no schema version of ours was written by another program. */
function refuseForeign(db: Db): void {
  if ((db.pragma('user_version', { simple: true }) as number) > 0) return;
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
  if (tables.n > 0) throw new UnusableWorkspaceError('The workspace file was written by another program.');
}

/**
 * Applies each pending migration in its own transaction; `PRAGMA user_version` counts the applied ones. Before each,
 * a workspace that holds data is copied to `<file>.before-<migration>.bak`, so a migration that goes wrong in a way
 * the transaction cannot undo still leaves the data as it was.
 */
export function migrate(db: Db, migrations: readonly Migration[], path?: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length)
    throw new UnusableWorkspaceError(
      `The workspace was written by a newer OAuth Desk (schema version ${current}; this one knows ${migrations.length}).`,
    );
  for (const [version, migration] of migrations.entries()) {
    if (version < current) continue;
    if (path !== undefined && current > 0) backUp(db, `${path}.before-${migration.name}.bak`);
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return migrations.length;
}

/**
 * A consistent copy of the database, readable by its owner only. `VACUUM INTO` rather than better-sqlite3's
 * `backup()`: the workspace opens synchronously and `backup()` is asynchronous; both copy a consistent snapshot.
 */
function backUp(db: Db, target: string): void {
  rmSync(target, { force: true });
  db.prepare('VACUUM INTO ?').run(target);
  chmodSync(target, 0o600);
}
