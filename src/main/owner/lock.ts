// Exactly one owner per data folder: the owner holds an exclusive lock on `owner.lock`, an (empty) SQLite database
// kept in an open EXCLUSIVE transaction. SQLite takes the operating system's own lock (fcntl on Unix, LockFileEx on
// Windows), which the system lets go when the process ends however it ends, kill -9 included: no pid is ever guessed.
import Database from 'better-sqlite3';
import { keepDatabasePrivate } from '../../node/privateFiles';

export interface OwnerLock {
  /** Lets the data folder go; another process may take it at once. */
  release(): void;
}

/** The lock when no one holds it, or null when another process does (it answers at once, never waits). */
export function tryOwnerLock(path: string): OwnerLock | null {
  keepDatabasePrivate(path);
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}

/** Tries for the lock until `timeoutMs` has passed (an owner handing over needs a moment to close). */
export async function waitForOwnerLock(path: string, timeoutMs: number): Promise<OwnerLock | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lock = tryOwnerLock(path);
    if (lock || Date.now() >= deadline) return lock;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
