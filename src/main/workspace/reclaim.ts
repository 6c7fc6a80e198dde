// Giving a removed organisation's space back: deleted rows leave free pages in workspace.db, which VACUUM returns to
// the file system (a 600 MB list cached once would otherwise keep the file its size for good).
import type { Db } from './database';

/** Rewrites the workspace without its free pages; a busy or failed vacuum leaves it as it is, still whole. */
export function reclaimSpace(db: Db): void {
  try {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Another statement holds the database: the space is reclaimed at the next removal instead.
  }
}
