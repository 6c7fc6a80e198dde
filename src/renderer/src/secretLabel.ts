// How a secret is named to people without showing it: by its description and creation date, the fingerprint second
// (it tells two secrets apart, but people recognise a secret by what it is for and when it was made).
import type { AppSecret } from '../../shared/model';
import { formatDate } from './dates';

type NamedSecret = Pick<AppSecret, 'id' | 'description' | 'fingerprint' | 'creationTime'>;

/** "“CI runner”, created 3 Jan 2026", or "created 3 Jan 2026" for a secret without a description. */
export function secretName(secret: NamedSecret): string {
  const created = secret.creationTime ? `created ${formatDate(secret.creationTime)}` : null;
  if (secret.description) return created ? `“${secret.description}”, ${created}` : `“${secret.description}”`;
  return created ?? secret.id;
}

/** "secret “CI runner” created 3 Jan 2026 (fingerprint 1a2b3c4d)": enough to tell which integration it belongs to. */
export function secretWithDate(secret: NamedSecret): string {
  const created = `created ${formatDate(secret.creationTime)}`;
  const what = secret.description ? `secret “${secret.description}” ${created}` : `the secret ${created}`;
  return secret.fingerprint ? `${what} (fingerprint ${secret.fingerprint})` : what;
}

/** Several secrets in one sentence, each as secretWithDate names it. */
export function secretsWithDates(secrets: NamedSecret[]): string {
  return secrets.map(secretWithDate).join(', ');
}
