// A workspace write that failed because the workspace cannot take it now: its disk is full (SQLITE_FULL, ENOSPC), or
// its file or folder is read-only (SQLITE_READONLY). What the organisation or the keychain already holds is never
// undone for it: the workspace is a cache and a record of where secrets are, rebuilt from both on the next read.

const UNWRITABLE = /^(SQLITE_FULL|SQLITE_READONLY|SQLITE_IOERR|ENOSPC|EROFS)/;

/** The error's code when a workspace write failed for want of space or permission; null for any other failure. */
export function unwritableCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNWRITABLE.test(code) ? code : null;
}

/** Why the workspace refused a write, in words with the code beside them. */
export function unwritableWords(code: string): string {
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return `the data folder is read-only (${code})`;
  return `the disk is full (${code})`;
}

/**
 * Runs a workspace write that the change it records does not depend on: null when it went in, otherwise why not (in
 * words). Any other failure is thrown as it is.
 */
export function writeIfPossible(write: () => void): string | null {
  try {
    write();
    return null;
  } catch (error) {
    const code = unwritableCode(error);
    if (code === null) throw error;
    return unwritableWords(code);
  }
}

/** What a change's answer adds when the organisation made it but the workspace could not record it. */
export function notRecorded(made: string, orgName: string, why: string): string {
  return `${made}, but this workspace could not record it: ${why}. The next sync rebuilds it from ${orgName}.`;
}
