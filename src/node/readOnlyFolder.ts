// A data folder this process may read but not write: on a file system mounted read-only, or one this user may not
// write to. Main then opens it read-only (src/main/readOnlyContext.ts) and the CLI reads it in its own process instead
// of starting a background owner. Only node:fs: the CLI asks at every start.
import { accessSync, constants } from 'node:fs';

/** Why `folder` cannot be written to, in words with the code beside them; null when it can, or does not exist yet. */
export function readOnlyReason(folder: string): string | null {
  try {
    accessSync(folder, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return 'its file system is mounted read-only, EROFS';
    if (code === 'EACCES' || code === 'EPERM') return `this user may not write to it, ${code}`;
    return null;
  }
}

/** The one line a read-only data folder is announced with, and every change refused with. */
export function readOnlySentence(folder: string, reason: string): string {
  return `This data folder is read-only (${folder}: ${reason}): changes are disabled; the applications cached in its workspace can still be read.`;
}
