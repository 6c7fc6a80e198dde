// The workspace of a read-only data folder, opened for reading only: nothing is created, migrated or chmod-ed, and
// every write SQLite is asked for fails with SQLITE_READONLY.
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import { workspacePath, type Db } from './database';
import { migrations as allMigrations, type Migration } from './migrations/index';

/** Bytes 18 and 19 of an SQLite file: its write and read format, 2 for WAL, 1 for a rollback journal. */
const FORMAT_BYTES = [18, 19] as const;

/**
 * SQLite reads a WAL database only where it can keep the WAL's index (`-shm`) next to it, which a read-only folder
 * cannot hold once the last writer closed it cleanly. A workspace whose `-wal` is still there (its writer stopped
 * without closing) is read where it lies, with its WAL; otherwise its file is read into memory as a rollback-journal
 * database: the same pages, read-only.
 */
function openForReading(path: string): Db {
  if (existsSync(`${path}-wal`)) return new Database(path, { readonly: true, fileMustExist: true });
  const bytes = readFileSync(path);
  if (bytes.length > 100) for (const at of FORMAT_BYTES) if (bytes[at] === 2) bytes[at] = 1;
  return new Database(bytes, { readonly: true });
}

/** Why a workspace cannot be read as it is: missing, unreadable, or of another schema version than this one's. */
function cannotRead(why: string): AppError {
  return new AppError('server_error', `The workspace of this read-only data folder cannot be read: ${why}.`);
}

export function openReadOnlyDatabase(home: string, migrations: readonly Migration[] = allMigrations): Db {
  const path = workspacePath(home);
  if (!existsSync(path)) throw cannotRead('it holds no workspace yet, and a new one cannot be started there');
  let db: Db;
  let version: number;
  try {
    db = openForReading(path);
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw cannotRead(`${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (version === migrations.length) return db;
  db.close();
  throw cannotRead(
    version > migrations.length
      ? `it was written by a newer OAuth Desk (schema version ${version}; this one knows ${migrations.length})`
      : `it was written by an older OAuth Desk (schema version ${version}) and needs an upgrade, which needs a writable folder`,
  );
}
