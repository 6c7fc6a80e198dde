// A secret's ID is UiPath's SecretDto.id, an int64. The app keeps it as its decimal digits everywhere (the cache, the
// keychain's account names, the contract, the page), so that an ID past 2^53 is never rounded. Zod-free: the page uses it.

const INT64_MIN = -(BigInt(2) ** BigInt(63));
const INT64_MAX = BigInt(2) ** BigInt(63) - BigInt(1);

/** The message for a secret ID that is not one, naming the field as every rule does. */
export const SECRET_ID_MESSAGE = 'Secret ID must be a whole number, such as 41872.';

/** The canonical digits of an int64 (no leading zeros, no plus sign), or null for anything else. */
export function canonicalSecretId(value: number | string): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (!/^-?\d{1,20}$/.test(value)) return null;
  const exact = BigInt(value);
  return exact < INT64_MIN || exact > INT64_MAX ? null : exact.toString();
}

/** Whether `text` is a secret ID as the app keeps it. */
export function isSecretId(text: string): boolean {
  return canonicalSecretId(text) === text;
}
