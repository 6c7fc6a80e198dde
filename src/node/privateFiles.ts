// Files only their owner may read, for every Node process of OAuth Desk (main, the CLI, the embedded Identity Server):
// data folders 0700, SQLite databases with their -wal and -shm files 0600, and exported documents written 0600 through
// an exclusive temporary file renamed into place. The folder and database modes are applied at every start, not only
// at creation, so a folder or file someone loosened (a copy, a restore, a umask) is tightened.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../shared/errors';
import { wordsOfCode } from '../shared/errorCodes';

/** Creates the folder if needed, and makes it the owner's only. */
export function keepFolderPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Makes a database and its companions the owner's only. Called before SQLite opens it (creating a missing file with
 * 0600, since SQLite gives -wal and -shm the mode of the database) and again after (for companions made since).
 */
export function keepDatabasePrivate(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Writes `document` to `path` as a new file only its owner can read (0600), then renames it into place: a reader never
 * sees half a file, a failure leaves none behind, and an existing file is replaced, never written into. A symbolic link
 * at `path` is refused, and the new file is created exclusively (O_CREAT|O_EXCL), which never follows a link.
 */
export function writePrivately(path: string, document: string | Uint8Array): void {
  const target = checkPrivateTarget(path);
  const fail = (why: string): AppError =>
    AppError.invalid([{ field: 'path', message: `Cannot write ${path} (${why}).` }]);
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeFileSync(fd, document);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw fail(reasonOf(error));
  }
}

/**
 * Refuses, before anything is read or asked, a `path` writePrivately would refuse: a symbolic link, something not a
 * file, a folder that does not exist. Answers the resolved path. (The write itself checks again.)
 */
export function checkPrivateTarget(path: string): string {
  const target = resolve(path);
  const fail = (why: string): AppError =>
    AppError.invalid([{ field: 'path', message: `Cannot write ${path} (${why}).` }]);
  let existing: Stats | null = null;
  try {
    existing = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(reasonOf(error));
  }
  if (existing?.isSymbolicLink()) throw fail('it is a symbolic link; OAuth Desk does not write through links');
  if (existing && !existing.isFile()) throw fail('it is not a file');
  try {
    if (!lstatSync(dirname(target)).isDirectory()) throw fail(REASONS.ENOTDIR ?? 'not a folder');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw fail(reasonOf(error));
  }
  return target;
}

/** Why the file system refused, as the admin can act on it; the system's code stays beside it for a search. */
const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EACCES: 'permission denied: choose a folder you can write to',
  EPERM: 'permission denied: choose a folder you can write to',
  EROFS: 'the disk is read-only',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  ENAMETOOLONG: 'the name is too long',
  EISDIR: 'it is a folder',
};

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  const reason = REASONS[code];
  return reason ? `${reason}; ${code}` : wordsOfCode(code);
}
