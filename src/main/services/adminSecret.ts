// Rotating the admin application's secret: the admin application's own, explicit flow. The new secret goes straight
// to the keychain and is never shown or answered; the old ones are deleted only once the new one is stored and works.
import type { OutputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { KeychainRef } from '../../shared/model';
import { keychainUnavailable } from '../keychain/keychain';
import type { Keychain } from '../ports';
import type { GeneratedSecret, TenantClient } from '../tenant/client';
import type { TenantRecord } from '../workspace/tenants';
import type { ActivityService } from './activity';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { TenantService } from './organisations';

export interface AdminSecretServiceDeps {
  tenants: TenantService;
  registrations: RegistrationService;
  keychain: Keychain;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
}

/** Where the new secret went, and its ID when known yet. */
interface KeptAdminSecret {
  ref: KeychainRef;
  newId: string | null;
}

/** Deletes the secret just made (when its ID is known) and refuses with the keychain's reason. */
type Undo = (cause: unknown) => Promise<never>;

/** An organisation OAuth Desk signs in to with the admin's account holds no admin secret. */
function refuseAccountSignIn(tenant: TenantRecord): void {
  if (tenant.signIn === 'account')
    throw AppError.invalid([
      {
        field: 'tenant',
        message: `OAuth Desk signs in to ${tenant.orgName} with your account, so it holds no admin secret to rotate.`,
      },
    ]);
}

/** The admin application's secrets the organisation has that are not in `before`. */
async function secretsSince(
  deps: AdminSecretServiceDeps,
  tenant: TenantRecord,
  before: ReadonlySet<string>,
): Promise<{ id: string; creationTime: string | null; expiryTime: string | null }[]> {
  return (await deps.registrations.get(tenant.id, tenant.adminClientId)).secrets.filter((s) => !before.has(s.id));
}

/** The embedded organisation's admin secret is a kept secret like any other: kept through secretKeeping. */
async function keepEmbedded(
  deps: AdminSecretServiceDeps,
  tenant: TenantRecord,
  answer: GeneratedSecret,
  before: ReadonlySet<string>,
  undo: Undo,
): Promise<KeptAdminSecret> {
  const { secretKeeping } = deps;
  const kept = await secretKeeping.keepFromAnswer(tenant.id, answer);
  if (kept.secret && !kept.secret.stored) {
    if (kept.secret.pendingId) secretKeeping.dismiss(kept.secret.pendingId, 'the admin secret rotation was undone');
    return undo(new Error(kept.secret.keychainError ?? 'the keychain refused it'));
  }
  if (kept.keychainError !== null) return undo(new Error(kept.keychainError));
  const ref = kept.secret?.keychain ?? kept.unidentified?.keychain;
  if (!ref) throw new Error('A kept secret has no keychain entry.');
  let newId = answer.secretId;
  if (newId === null && kept.unidentified) {
    const fresh = await secretsSince(deps, tenant, before);
    if (fresh.length === 1 && fresh[0]) {
      newId = fresh[0].id;
      secretKeeping.adopt(tenant.id, tenant.adminClientId, fresh[0], kept.unidentified);
    }
  }
  // A value held in memory since a refused start would now be older than the keychain's.
  deps.tenants.forgetSecretsInMemory();
  return { ref, newId };
}

/** Another organisation's admin secret goes to its sign-in's own keychain entry. */
async function keepSignInSecret(
  deps: AdminSecretServiceDeps,
  tenant: TenantRecord,
  answer: GeneratedSecret,
  value: string,
  undo: Undo,
): Promise<KeptAdminSecret> {
  const ref = deps.tenants.show(tenant.id).adminSecret;
  try {
    await deps.keychain.set(ref.service, ref.account, value);
  } catch (error) {
    return undo(error);
  }
  return { ref, newId: answer.secretId };
}

/** Every secret of the admin application but the new one, deleted on the server and from the keychain. */
async function deleteOldSecrets(
  deps: AdminSecretServiceDeps,
  tenant: TenantRecord,
  client: TenantClient,
  newId: string,
): Promise<string[]> {
  const app = await deps.registrations.get(tenant.id, tenant.adminClientId);
  const deleted: string[] = [];
  for (const old of app.secrets.filter((s) => s.id !== newId)) {
    await client.deleteSecret(old.id);
    deleted.push(old.id);
    await deps.secretKeeping.discard(tenant.id, old.id);
  }
  if (deleted.length > 0) await deps.registrations.get(tenant.id, tenant.adminClientId);
  return deleted;
}

async function rotate(deps: AdminSecretServiceDeps, tenantId: string): Promise<OutputOf<'rotateAdminSecret'>> {
  const tenant = deps.tenants.get(tenantId);
  refuseAccountSignIn(tenant);
  const client = deps.tenants.client(tenantId);
  const before = new Set(
    (await deps.registrations.get(tenantId, tenant.adminClientId)).secrets.map((secret) => secret.id),
  );
  const answer = await client.generateSecret(tenant.adminClientId, {
    description: 'OAuth Desk admin secret',
    expiryTime: null,
  });
  const value = answer.secretValue;
  if (value === null)
    throw new AppError(
      'server_error',
      `${tenant.orgName} made a new secret of the admin application, but its answer held no value OAuth Desk could read; the admin secret was not changed. Delete the secret it made in the portal.`,
    );

  // Into the keychain first, before anything else in the answer is read; undone if the keychain refuses.
  const undo: Undo = async (cause) => {
    if (answer.secretId !== null) await client.deleteSecret(answer.secretId).catch(() => undefined);
    throw keychainUnavailable(cause);
  };
  const kept =
    tenant.signIn === 'embedded'
      ? await keepEmbedded(deps, tenant, answer, before, undo)
      : await keepSignInSecret(deps, tenant, answer, value, undo);
  const { ref } = kept;
  let newId = kept.newId;
  if (newId === null) {
    const fresh = await secretsSince(deps, tenant, before);
    newId = fresh.length === 1 && fresh[0] ? fresh[0].id : null;
  }
  if (newId === null)
    throw new AppError(
      'server_error',
      `The new admin secret of ${tenant.orgName} is in your keychain (${ref.account}), but ${tenant.orgName}'s answer did not say which secret it is, so the old secrets were kept.`,
    );

  // The next token is asked with the new secret: reading the application proves it works before anything goes.
  client.forgetToken();
  const deleted = await deleteOldSecrets(deps, tenant, client, newId);
  deps.activity.record({
    tenant: tenantId,
    action: 'organisation.admin_secret_rotated',
    target: tenant.adminClientId,
    headline: `Rotated the admin secret of ${tenant.orgName}`,
    detail: `New admin secret ${newId} for ${tenant.adminClientId}, in the keychain as ${ref.service} / ${ref.account} (never shown); ${
      deleted.length > 0
        ? `deleted the old secret${deleted.length === 1 ? '' : 's'} ${deleted.join(', ')}`
        : 'no old secret to delete'
    }.`,
  });
  return { rotated: true, secretId: newId, keychain: ref, deleted };
}

export function adminSecretService(deps: AdminSecretServiceDeps) {
  return {
    rotate: (tenantId: string) => rotate(deps, tenantId),
  };
}
export type AdminSecretService = ReturnType<typeof adminSecretService>;
