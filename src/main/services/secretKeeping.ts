// Puts a new secret into the keychain and records where it is; when the keychain refuses, holds it in memory instead.
import { AppError } from '../../shared/errors';
import type { KeychainRef, NewSecret } from '../../shared/model';
import type { SecretBearingAnswer } from '../organisation/client';
import { keychainUnavailable, secretRef } from '../keychain/keychain';
import type { Keychain } from '../ports';
import { fingerprintOf, type KeptSecret, type SecretRepository } from '../workspace/secrets';
import { writeIfPossible } from '../workspace/unwritable';
import type { ActivityService } from './activity';
import type { PendingSecret, PendingSecretStore } from './pendingSecrets';

export interface SecretToKeep {
  organisationId: string;
  clientId: string;
  secretId: string;
  value: string;
  createdAt?: string;
  expiresAt?: string | null;
  /** Runs only if the keychain refused now and a retry later stores the value (see PendingSecret.afterStored). */
  afterStoredOnRetry?: () => Promise<string[]>;
}

/** What became of the secret value in a write's answer, kept before the rest of the answer was read. */
export interface KeptFromAnswer {
  /** Kept under its App ID and secret ID (or held in memory when the keychain refused): the usual new secret. */
  secret: NewSecret | null;
  /**
   * Kept in the keychain although the answer did not say which secret it is: the entry, with the value's fingerprint,
   * until a read-back of the organisation names it (`adopt`).
   */
  unidentified: { keychain: KeychainRef; fingerprint: string } | null;
  /** Why the keychain refused a secret that could not be identified, as a sentence. */
  keychainError: string | null;
}

export interface SecretKeepingDeps {
  keychain: Keychain;
  keychainService: string;
  secrets: SecretRepository;
  pending: PendingSecretStore;
  activity: ActivityService;
}

async function store(deps: SecretKeepingDeps, secret: PendingSecret): Promise<void> {
  await deps.keychain.set(secret.keychain.service, secret.keychain.account, secret.value);
  // Kept only once the keychain holds it: a kept secret promises the value can be found there. On a full or read-only
  // disk the record waits: `recover` writes it again from the entry, which the organisation's IDs name.
  writeIfPossible(() =>
    deps.secrets.save({
      organisationId: secret.organisationId,
      clientId: secret.clientId,
      secretId: secret.secretId,
      keychain: secret.keychain,
      createdAt: secret.createdAt,
      expiresAt: secret.expiresAt,
      fingerprint: fingerprintOf(secret.value),
    }),
  );
}

function refOf(deps: SecretKeepingDeps, organisationId: string, clientId: string, secretId: string): KeychainRef {
  return secretRef(deps.keychainService, organisationId, clientId, secretId);
}

/** Keychain first; on failure the value waits in memory and the answer says so, so nothing is lost. */
async function keep(deps: SecretKeepingDeps, secret: SecretToKeep): Promise<NewSecret> {
  await pauseForFaultTest();
  const held: PendingSecret = {
    organisationId: secret.organisationId,
    clientId: secret.clientId,
    secretId: secret.secretId,
    value: secret.value,
    keychain: refOf(deps, secret.organisationId, secret.clientId, secret.secretId),
    createdAt: secret.createdAt ?? new Date().toISOString(),
    expiresAt: secret.expiresAt ?? null,
    afterStored: secret.afterStoredOnRetry,
  };
  try {
    await store(deps, held);
    return {
      id: held.secretId,
      value: held.value,
      keychain: held.keychain,
      stored: true,
      keychainError: null,
      pendingId: null,
    };
  } catch (error) {
    return holdInMemory(deps, held, error);
  }
}

/** The keychain refused `held`: it waits in memory until Retry, and the activity says so. */
function holdInMemory(deps: SecretKeepingDeps, held: PendingSecret, error: unknown): NewSecret {
  const failure = keychainUnavailable(error);
  const pendingId = deps.pending.hold(held);
  deps.activity.record({
    organisation: held.organisationId,
    action: 'secret.keychain_failed',
    target: held.clientId,
    headline: 'The keychain refused a new secret: it is held in memory until Retry',
    detail: `Secret ${held.secretId} could not be saved to the keychain (${held.keychain.service} / ${held.keychain.account}); it is held in memory until retried.`,
  });
  return {
    id: held.secretId,
    value: held.value,
    keychain: held.keychain,
    stored: false,
    keychainError: failure.message,
    pendingId,
  };
}

/**
 * The secret value of a write's answer, kept before anything else in the answer is checked: under its App ID and
 * secret ID when the raw answer names them, otherwise in an entry of its own until a read-back names it.
 */
async function keepFromAnswer(
  deps: SecretKeepingDeps,
  organisationId: string,
  answer: SecretBearingAnswer<unknown>,
  times: { createdAt?: string; expiresAt?: string | null },
): Promise<KeptFromAnswer> {
  const value = answer.secretValue;
  if (value === null) return { secret: null, unidentified: null, keychainError: null };
  if (answer.clientId !== null && answer.secretId !== null) {
    const secret = await keep(deps, {
      organisationId,
      clientId: answer.clientId,
      secretId: answer.secretId,
      value,
      ...times,
    });
    return { secret, unidentified: null, keychainError: null };
  }
  return keepUnidentified(deps, organisationId, answer.clientId, value);
}

/** A value whose secret ID is not known yet, in a keychain entry of its own until a read-back names it (`adopt`). */
async function keepUnidentified(
  deps: SecretKeepingDeps,
  organisationId: string,
  clientId: string | null,
  value: string,
): Promise<KeptFromAnswer> {
  const entry: KeychainRef = {
    service: deps.keychainService,
    account: `${organisationId}/${clientId ?? 'unidentified-application'}/unidentified-${new Date().toISOString()}`,
  };
  try {
    await deps.keychain.set(entry.service, entry.account, value);
  } catch (error) {
    return { secret: null, unidentified: null, keychainError: keychainUnavailable(error).message };
  }
  return {
    secret: null,
    unidentified: { keychain: entry, fingerprint: fingerprintOf(value) },
    keychainError: null,
  };
}

/** What must follow once a held secret reaches the keychain on Retry (see PendingSecret.afterStored). */
function afterRetry(deps: SecretKeepingDeps, secret: NewSecret, afterStored: () => Promise<string[]>): void {
  const held = secret.pendingId === null ? null : deps.pending.get(secret.pendingId);
  if (held) held.afterStored = afterStored;
}

/** Records a secret kept before its ID was known (`keepFromAnswer`), once a read-back of the organisation names it. */
function adopt(
  deps: SecretKeepingDeps,
  organisationId: string,
  clientId: string,
  secret: { id: string; creationTime: string | null; expiryTime: string | null },
  kept: { keychain: KeychainRef; fingerprint: string },
): void {
  deps.secrets.save({
    organisationId,
    clientId,
    secretId: secret.id,
    keychain: kept.keychain,
    createdAt: secret.creationTime ?? new Date().toISOString(),
    expiresAt: secret.expiryTime,
    fingerprint: kept.fingerprint,
  });
}

async function retry(
  deps: SecretKeepingDeps,
  pendingId: string,
): Promise<{ stored: true; keychain: KeychainRef; replaced: string[] }> {
  const held = deps.pending.get(pendingId);
  if (!held)
    throw new AppError(
      'not_found',
      'No secret is waiting for the keychain under that id: it was saved or dismissed already.',
      [{ field: 'pendingId', message: 'No secret is waiting for the keychain under that id.' }],
    );
  try {
    await store(deps, held);
  } catch (error) {
    throw keychainUnavailable(error);
  }
  deps.pending.release(pendingId);
  deps.activity.record({
    organisation: held.organisationId,
    action: 'secret.stored',
    target: held.clientId,
    headline: 'Saved a new secret to the keychain on Retry',
    detail: `Secret ${held.secretId} saved to the keychain as ${held.keychain.service} / ${held.keychain.account}.`,
  });
  // The value is safe now; a failure here (the organisation unreachable, say) is reported, and the new secret stays stored.
  const replaced = (await held.afterStored?.()) ?? [];
  return { stored: true, keychain: held.keychain, replaced };
}

/**
 * Removes the keychain entry of a secret this workspace holds, then forgets it; true when an entry was removed.
 * If the keychain refuses, the kept secret stays, so the entry can still be found and removed later.
 */
async function discard(deps: SecretKeepingDeps, organisationId: string, secretId: string): Promise<boolean> {
  const kept = deps.secrets.get(organisationId, secretId);
  if (!kept) return false;
  let removed: boolean;
  try {
    removed = await deps.keychain.delete(kept.keychain.service, kept.keychain.account);
  } catch (error) {
    throw keychainUnavailable(error);
  }
  deps.secrets.delete(organisationId, secretId);
  return removed;
}

/**
 * Whether the keychain holds the value of a secret this workspace recorded. When the keychain cannot be asked,
 * the record's word is taken: a listing should not fail, nor mark every secret lost, while the keychain is locked.
 */
async function holds(
  deps: SecretKeepingDeps,
  organisationId: string,
  clientId: string,
  secretId: string,
): Promise<boolean> {
  const kept = deps.secrets.get(organisationId, secretId);
  if (kept?.clientId !== clientId) return false;
  try {
    return (await deps.keychain.get(kept.keychain.service, kept.keychain.account)) !== null;
  } catch {
    return true;
  }
}

/**
 * A secret of the organisation this workspace has no record of, whose value the keychain holds in the entry its IDs
 * name (its record was lost to a full disk): recorded again and answered. Null when the keychain holds none.
 */
async function recover(
  deps: SecretKeepingDeps,
  organisationId: string,
  clientId: string,
  secret: { id: string; creationTime?: string | null; expiryTime?: string | null },
): Promise<KeptSecret | null> {
  const keychain = refOf(deps, organisationId, clientId, secret.id);
  let value: string | null;
  try {
    value = await deps.keychain.get(keychain.service, keychain.account);
  } catch {
    return null;
  }
  if (value === null) return null;
  const kept: KeptSecret = {
    organisationId,
    clientId,
    secretId: secret.id,
    keychain,
    createdAt: secret.creationTime ?? new Date().toISOString(),
    expiresAt: secret.expiryTime ?? null,
    fingerprint: fingerprintOf(value),
  };
  writeIfPossible(() => deps.secrets.save(kept));
  return kept;
}

/** Reads the value of a secret this workspace holds, from the keychain (in main only). */
async function read(
  deps: SecretKeepingDeps,
  organisationId: string,
  clientId: string,
  secretId: string,
): Promise<string> {
  const kept = deps.secrets.get(organisationId, secretId);
  if (kept?.clientId !== clientId)
    throw new AppError(
      'not_found',
      `This workspace does not hold secret ${secretId} of application ${clientId} in the keychain.`,
      [{ field: 'secretId', message: `This workspace does not hold secret ${secretId} in the keychain.` }],
    );
  let value: string | null;
  try {
    value = await deps.keychain.get(kept.keychain.service, kept.keychain.account);
  } catch (error) {
    throw keychainUnavailable(error);
  }
  if (value === null)
    throw new AppError(
      'not_found',
      `The keychain no longer holds ${kept.keychain.service} / ${kept.keychain.account}: it was removed outside OAuth Desk.`,
    );
  return value;
}

/** Forgets a held secret; `why` ends the activity line (by default: the admin dismissed it). */
function dismiss(deps: SecretKeepingDeps, pendingId: string, why: string): { dismissed: boolean } {
  const held = deps.pending.get(pendingId);
  const dismissed = deps.pending.release(pendingId);
  if (held && dismissed)
    deps.activity.record({
      organisation: held.organisationId,
      action: 'secret.dismissed',
      target: held.clientId,
      headline: 'A new secret was never saved to the keychain, and is lost',
      detail: `Secret ${held.secretId} was not saved to the keychain; ${why}.`,
    });
  return { dismissed };
}

export function secretKeeping(deps: SecretKeepingDeps) {
  return {
    refOf: (organisationId: string, clientId: string, secretId: string) =>
      refOf(deps, organisationId, clientId, secretId),
    keep: (secret: SecretToKeep) => keep(deps, secret),
    keepFromAnswer: (
      organisationId: string,
      answer: SecretBearingAnswer<unknown>,
      times: { createdAt?: string; expiresAt?: string | null } = {},
    ) => keepFromAnswer(deps, organisationId, answer, times),
    afterRetry: (secret: NewSecret, afterStored: () => Promise<string[]>) => afterRetry(deps, secret, afterStored),
    adopt: (
      organisationId: string,
      clientId: string,
      secret: { id: string; creationTime: string | null; expiryTime: string | null },
      kept: { keychain: KeychainRef; fingerprint: string },
    ) => adopt(deps, organisationId, clientId, secret, kept),
    retry: (pendingId: string) => retry(deps, pendingId),
    discard: (organisationId: string, secretId: string) => discard(deps, organisationId, secretId),
    recover: (
      organisationId: string,
      clientId: string,
      secret: { id: string; creationTime?: string | null; expiryTime?: string | null },
    ) => recover(deps, organisationId, clientId, secret),
    holds: (organisationId: string, clientId: string, secretId: string) =>
      holds(deps, organisationId, clientId, secretId),
    read: (organisationId: string, clientId: string, secretId: string) =>
      read(deps, organisationId, clientId, secretId),
    dismiss: (pendingId: string, why = 'the admin dismissed it') => dismiss(deps, pendingId, why),
  };
}
export type SecretKeeping = ReturnType<typeof secretKeeping>;

/**
 * The fault tests' hook: with OAUTH_DESK_TEST_PAUSE_AFTER_CREATE set, the process says so on stderr and waits here,
 * after the server answered with a new secret and before the keychain write, so a test can SIGKILL it at that point.
 */
async function pauseForFaultTest(): Promise<void> {
  if (!process.env.OAUTH_DESK_TEST_PAUSE_AFTER_CREATE) return;
  process.stderr.write('oauth-desk: paused after the server answered\n');
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}
