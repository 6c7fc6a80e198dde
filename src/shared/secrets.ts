// How a secret stands over time: expired, close to expiry, or fine; and which old secrets an integration has left.
import type { SecretInfo } from './model';

/** A secret is marked as close to expiry this long before it expires. */
export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export type SecretStatus = 'active' | 'expiring' | 'expired';

export function secretStatus(expiryTime: string | null, now: Date = new Date()): SecretStatus {
  if (expiryTime === null) return 'active';
  const left = Date.parse(expiryTime) - now.getTime();
  if (left <= 0) return 'expired';
  return left <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'active';
}

/** The soonest expiry among secrets (ISO), or null when none expires. */
export function nextExpiry(secrets: readonly Pick<SecretInfo, 'expiryTime'>[]): string | null {
  const times = secrets.map((s) => s.expiryTime).filter((t): t is string => t !== null);
  if (times.length === 0) return null;
  return times.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

/**
 * After a rotation with overlap: the older secrets the integration no longer uses. An older secret is left behind
 * when the newest secret has been used and the older one has not been used since the newest was created.
 */
export function secretsLeftBehind(secrets: readonly SecretInfo[]): string[] {
  if (secrets.length < 2) return [];
  // A secret whose creation time the organisation did not say cannot be placed in time: nothing is judged.
  if (secrets.some((s) => s.creationTime === null)) return [];
  const created = (s: SecretInfo) => Date.parse(s.creationTime ?? '');
  const newest = secrets.reduce((a, b) => (created(a) >= created(b) ? a : b));
  if (!newest.lastUsedTime) return [];
  const since = created(newest);
  return secrets
    .filter((s) => s.id !== newest.id)
    .filter((s) => !s.lastUsedTime || Date.parse(s.lastUsedTime) < since)
    .map((s) => s.id);
}
