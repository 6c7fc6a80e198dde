// How the window words secrets and their expiry: "expires in 12 days", names by description and date, fingerprint second.
import { describe, expect, it } from 'vitest';
import { describeExpiry } from '../../src/renderer/src/dates';
import { secretName, secretWithDate } from '../../src/renderer/src/secretLabel';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('describeExpiry', () => {
  it('says when, in days, to the nearest day', () => {
    expect(describeExpiry(at(12 * DAY), NOW)).toBe('expires in 12 days');
    expect(describeExpiry(at(12 * DAY - 60_000), NOW)).toBe('expires in 12 days');
    expect(describeExpiry(at(-3 * DAY), NOW)).toBe('expired 3 days ago');
    expect(describeExpiry(at(1 * DAY), NOW)).toBe('expires in 1 day');
  });

  it('rounds at the half day, the one boundary the list and the Expiring secrets drawer share', () => {
    expect(describeExpiry(at(9 * DAY + 12 * 3_600_000), NOW)).toBe('expires in 10 days');
    expect(describeExpiry(at(9 * DAY + 12 * 3_600_000 - 1), NOW)).toBe('expires in 9 days');
    expect(describeExpiry(at(10 * DAY - 60_000), NOW)).toBe('expires in 10 days');
    expect(describeExpiry(at(-(9 * DAY + 12 * 3_600_000)), NOW)).toBe('expired 10 days ago');
    expect(describeExpiry(at(24 * 3_600_000 - 1), NOW)).toBe('expires in 23 hours');
  });

  it('counts hours within a day, and says less than an hour at the end', () => {
    expect(describeExpiry(at(5 * 3_600_000), NOW)).toBe('expires in 5 hours');
    expect(describeExpiry(at(-1 * 3_600_000), NOW)).toBe('expired 1 hour ago');
    expect(describeExpiry(at(10 * 60_000), NOW)).toBe('expires in less than an hour');
  });

  it('has nothing to say of a secret that does not expire', () => {
    expect(describeExpiry(null, NOW)).toBeNull();
  });
});

describe('secret names', () => {
  const described = {
    id: '41872',
    description: 'CI runner',
    fingerprint: '1a2b3c4d',
    creationTime: '2026-01-03T10:00:00Z',
  };
  const bare = { ...described, description: null };

  it('names a secret by its description and creation date, the fingerprint second', () => {
    expect(secretWithDate(described)).toMatch(/^secret “CI runner” created .*2026 \(fingerprint 1a2b3c4d\)$/);
    expect(secretWithDate(bare)).toMatch(/^the secret created .*2026 \(fingerprint 1a2b3c4d\)$/);
  });

  it('gives the short name without the fingerprint', () => {
    expect(secretName(described)).toMatch(/^“CI runner”, created .*2026$/);
    expect(secretName(bare)).toMatch(/^created .*2026$/);
  });
});
