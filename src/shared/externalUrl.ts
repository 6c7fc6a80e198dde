// Which links may leave the app for the user's own browser: one predicate for every door that opens one (Electron's
// shell.openExternal in main, the CLI's platform opener), pure so that tests/unit/security.test.ts proves it.
import { hasControlCharacter } from './rules';

/** Longest link handed to the OS browser; longer ones are not links an admin clicks. */
const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Whether a link may be handed to `shell.openExternal`: only http(s) to a named host, without user-info and
 * without whitespace or control characters (which the URL parser would silently strip or re-encode, so what
 * the user saw and what the OS opens could differ). Anything else (javascript:, file:, smb:, custom app
 * schemes) could run code or open local files outside the sandbox.
 */
export function isSafeExternalUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  if (/\s/.test(url) || hasControlCharacter(url)) return false;
  if (!/^https?:\/\//i.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  return parsed.hostname.length > 0;
}
