// How a secret is named to people without showing it: its description, else its fingerprint, else its ID.
import type { AppSecret } from '../../shared/model';
import { formatDate } from './dates';

export function secretName(secret: Pick<AppSecret, 'id' | 'description' | 'fingerprint'>): string {
  if (secret.description) return `“${secret.description}”`;
  if (secret.fingerprint) return `with fingerprint ${secret.fingerprint}`;
  return secret.id;
}

type DatedSecret = Pick<AppSecret, 'id' | 'description' | 'fingerprint' | 'creationTime'>;

/** "secret “CI runner” created 3 Jan 2026": enough to tell which integration it belongs to. */
export function secretWithDate(secret: DatedSecret): string {
  return `secret ${secretName(secret)} created ${formatDate(secret.creationTime)}`;
}

/** Several secrets in one sentence, each as secretWithDate names it. */
export function secretsWithDates(secrets: DatedSecret[]): string {
  return secrets.map(secretWithDate).join(', ');
}
