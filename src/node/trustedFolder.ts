// A folder only this user may use, for what must not come from anyone else (the CLI's compile cache). Only node:fs:
// the CLI loads it before anything else, on every start.
import { lstatSync, mkdirSync } from 'node:fs';

/**
 * `dir` as a folder only this user may use (created 0700 when missing), or null when it cannot be trusted: a link, not
 * a folder, owned by someone else, or open to others. Node's compile cache goes there; a cache another user could
 * write would run that user's code in this process.
 */
export function trustedPrivateFolder(dir: string, uid: number | undefined = process.getuid?.()): string | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = lstatSync(dir);
    if (!stats.isDirectory()) return null;
    if (uid !== undefined && (stats.uid !== uid || (stats.mode & 0o077) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}
