// Client secret values: generated with 256 bits of randomness, kept only as a SHA-256 hash, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret value, shown once to the admin and never stored. */
export function generateSecretValue(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a secret. A plain SHA-256 is the right tool here, not a slow password KDF: the value is
 * 256 random bits, so there is nothing to brute-force, and the token endpoint must stay fast.
 */
export function hashSecretValue(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Whether `presented` hashes to `storedHash`, in time independent of where they differ. */
export function secretMatches(presentedHash: Buffer, storedHash: Buffer): boolean {
  return presentedHash.length === storedHash.length && timingSafeEqual(presentedHash, storedHash);
}
