// What every keychain adapter shares (the Keychain port itself is in ../ports.ts): where a secret's entry is filed,
// and how a keychain's refusal reads. Services depend on the port and these, never on a keychain library.
import { AppError } from '../../shared/errors';
import type { KeychainRef } from '../../shared/model';
import type { Keychain } from '../ports';

/**
 * The keychain entry of a secret. Its account names the organisation, the app and the secret, so that an admin browsing
 * Keychain Access or `secret-tool search service oauth-desk` can tell entries apart, and two secrets of one app
 * (rotation) never overwrite each other.
 */
export function secretRef(service: string, organisationId: string, clientId: string, secretId: string): KeychainRef {
  return { service, account: `${organisationId}/${clientId}/${secretId}` };
}

/**
 * Turns whatever a keychain library threw into the one error the rest of the app understands: a sentence that says
 * what is wrong and what to do, since the admin reads it beside the secret at risk. A raw library message is quoted
 * only when it matches none of the known causes, as it is then the only clue.
 */
export function keychainUnavailable(cause: unknown): AppError {
  if (cause instanceof AppError && cause.code === 'keychain_unavailable') return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  let sentence = `Your keychain refused the request (it said: ${detail}). Check that it is running and unlocked, and try again.`;
  if (/dbus|secret service|org\.freedesktop|autolaunch|no such interface|name has no owner/i.test(detail))
    sentence =
      'No keychain service is running. On Linux, start GNOME Keyring, or KeePassXC with its Secret Service turned on, and try again.';
  else if (/locked|unlock|prompt/i.test(detail)) sentence = 'Your keychain is locked. Unlock it and try again.';
  else if (/denied|not allowed|permission|cancel/i.test(detail))
    sentence = 'Your keychain did not allow OAuth Desk to use it. Allow it when the keychain asks, and try again.';
  return new AppError('keychain_unavailable', sentence);
}

/** The entry the keychain check writes and deletes again; no secret is ever filed under it. */
const CHECK_ACCOUNT = 'keychain-check';

/**
 * Whether the keychain takes a write right now: a placeholder written and deleted again. A locked Secret Service
 * answers every read with "no entry", so only a write tells a locked keychain from an empty one. Null when it
 * accepted the write; otherwise its refusal as a sentence ("Your keychain is locked…").
 */
export async function keychainRefusal(keychain: Keychain, service: string): Promise<AppError | null> {
  try {
    await keychain.set(service, CHECK_ACCOUNT, 'OAuth Desk checks that the keychain accepts a write.');
  } catch (error) {
    return keychainUnavailable(error);
  }
  try {
    await keychain.delete(service, CHECK_ACCOUNT);
  } catch {
    // The write went in; a placeholder left behind holds nothing secret.
  }
  return null;
}
