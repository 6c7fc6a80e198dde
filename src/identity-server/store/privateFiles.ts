// Files only their owner may read: data folders 0700, SQLite databases with their -wal and -shm files 0600. Applied at
// every start, not only at creation, so a folder or file someone loosened (a copy, a restore, a umask) is tightened.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

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
