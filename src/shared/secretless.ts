// Going secretless: an application with federated credentials and no secret is marked Secretless; one with both is
// watched, by its secrets' last used, until no secret has been used since its first credential was added, and then
// offered the deletion of its secrets. Pure and zod-free.

export interface SecretUse {
  id: string;
  /** ISO date-time; null or absent when never used. */
  lastUsedTime?: string | null;
}

export type GoSecretless =
  /** No credential, or no secret: nothing to offer. */
  | { state: 'none' }
  /** A secret was used after the first credential was added: something still signs in with a secret. */
  | { state: 'stillUsed'; lastUsed: string }
  /** No secret was used since (or, when it is not known when the credential was added, ever): offer the deletion. */
  | { state: 'ready'; since: string | null };

export function isSecretless(credentialCount: number, secretCount: number): boolean {
  return credentialCount > 0 && secretCount === 0;
}

/**
 * Where an application stands on the way to secretless. `credentialAddedAt`: when its first federated credential was
 * added (ISO), null when this workspace does not know; then only secrets never used at all count as unused.
 */
export function goSecretless(
  credentialCount: number,
  secrets: readonly SecretUse[],
  credentialAddedAt: string | null,
): GoSecretless {
  if (credentialCount === 0 || secrets.length === 0) return { state: 'none' };
  const since = credentialAddedAt === null ? null : Date.parse(credentialAddedAt);
  const used = secrets
    .map((s) => s.lastUsedTime)
    .filter((t): t is string => typeof t === 'string' && (since === null || Date.parse(t) >= since))
    .sort((a, b) => Date.parse(b) - Date.parse(a));
  const [latest] = used;
  return latest === undefined ? { state: 'ready', since: credentialAddedAt } : { state: 'stillUsed', lastUsed: latest };
}
