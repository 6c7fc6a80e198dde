// How a secret is named to people without showing it: its description, else its fingerprint, else its ID.
import type { SecretRecord } from '../../shared/model';
import { formatDate } from './dates';

export function secretName(secret: Pick<SecretRecord, 'id' | 'description' | 'fingerprint'>): string {
  if (secret.description) return `“${secret.description}”`;
  if (secret.fingerprint) return `with fingerprint ${secret.fingerprint}`;
  return secret.id;
}

/** "secret “CI runner” created 3 Jan 2026": enough to tell which integration it belongs to. */
export function secretWithDate(secret: Pick<SecretRecord, 'id' | 'description' | 'fingerprint' | 'creationTime'>): string {
  return `secret ${secretName(secret)} created ${formatDate(secret.creationTime)}`;
}
