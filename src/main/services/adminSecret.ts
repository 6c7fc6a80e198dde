// Rotating the admin application's secret: the admin application's own, explicit flow. The new secret goes straight
// to the keychain and is never shown or answered; the old ones are deleted only once the new one is stored and works.
import { organisationInWords } from '../../shared/organisationInWords';
import type { OutputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { KeychainRef } from '../../shared/model';
import { keychainUnavailable } from '../keychain/keychain';
import type { Keychain } from '../ports';
import type { GeneratedSecret, OrganisationClient } from '../organisation/client';
import type { OrganisationRecord } from '../workspace/organisations';
import type { ActivityService } from './activity';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { OrganisationService } from './organisations';

export interface AdminSecretServiceDeps {
  organisations: OrganisationService;
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
function refuseAccountSignIn(organisation: OrganisationRecord): void {
  if (organisation.signIn === 'account')
    throw AppError.invalid([
      {
        field: 'organisation',
        message: `OAuth Desk signs in to ${organisationInWords(organisation)} with your account, so it holds no admin secret to rotate.`,
      },
    ]);
}

/** The admin application's secrets the organisation has that are not in `before`. */
async function secretsSince(
  deps: AdminSecretServiceDeps,
  organisation: OrganisationRecord,
  before: ReadonlySet<string>,
): Promise<{ id: string; creationTime: string | null; expiryTime: string | null }[]> {
  return (await deps.registrations.get(organisation.id, organisation.adminClientId)).secrets.filter(
    (s) => !before.has(s.id),
  );
}

/** The embedded organisation's admin secret is a kept secret like any other: kept through secretKeeping. */
async function keepEmbedded(
  deps: AdminSecretServiceDeps,
  organisation: OrganisationRecord,
  answer: GeneratedSecret,
  before: ReadonlySet<string>,
  undo: Undo,
): Promise<KeptAdminSecret> {
  const { secretKeeping } = deps;
  const kept = await secretKeeping.keepFromAnswer(organisation.id, answer);
  if (kept.secret && !kept.secret.stored) {
    if (kept.secret.pendingId) secretKeeping.dismiss(kept.secret.pendingId, 'the admin secret rotation was undone');
    return undo(new Error(kept.secret.keychainError ?? 'the keychain refused it'));
  }
  if (kept.keychainError !== null) return undo(new Error(kept.keychainError));
  const ref = kept.secret?.keychain ?? kept.unidentified?.keychain;
  if (!ref) throw new Error('A kept secret has no keychain entry.');
  let newId = answer.secretId;
  if (newId === null && kept.unidentified) {
    const fresh = await secretsSince(deps, organisation, before);
    if (fresh.length === 1 && fresh[0]) {
      newId = fresh[0].id;
      secretKeeping.adopt(organisation.id, organisation.adminClientId, fresh[0], kept.unidentified);
    }
  }
  // A value held in memory since a refused start would now be older than the keychain's.
  deps.organisations.forgetSecretsInMemory();
  return { ref, newId };
}

/** Another organisation's admin secret goes to its sign-in's own keychain entry. */
async function keepSignInSecret(
  deps: AdminSecretServiceDeps,
  organisation: OrganisationRecord,
  answer: GeneratedSecret,
  value: string,
  undo: Undo,
): Promise<KeptAdminSecret> {
  const ref = deps.organisations.show(organisation.id).adminSecret;
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
  organisation: OrganisationRecord,
  client: OrganisationClient,
  newId: string,
): Promise<string[]> {
  const app = await deps.registrations.get(organisation.id, organisation.adminClientId);
  const deleted: string[] = [];
  for (const old of app.secrets.filter((s) => s.id !== newId)) {
    await client.deleteSecret(old.id);
    deleted.push(old.id);
    await deps.secretKeeping.discard(organisation.id, old.id);
  }
  if (deleted.length > 0) await deps.registrations.get(organisation.id, organisation.adminClientId);
  return deleted;
}

async function rotate(deps: AdminSecretServiceDeps, organisationId: string): Promise<OutputOf<'rotateAdminSecret'>> {
  const organisation = deps.organisations.get(organisationId);
  refuseAccountSignIn(organisation);
  const client = deps.organisations.client(organisationId);
  const before = new Set(
    (await deps.registrations.get(organisationId, organisation.adminClientId)).secrets.map((secret) => secret.id),
  );
  const answer = await client.generateSecret(organisation.adminClientId, {
    description: 'OAuth Desk admin secret',
    expiryTime: null,
  });
  const value = answer.secretValue;
  if (value === null)
    throw new AppError(
      'server_error',
      `${organisationInWords(organisation)} made a new secret of the admin application, but its answer held no value OAuth Desk could read; the admin secret was not changed. Delete the secret it made in the portal.`,
    );

  // Into the keychain first, before anything else in the answer is read; undone if the keychain refuses.
  const undo: Undo = async (cause) => {
    if (answer.secretId !== null) await client.deleteSecret(answer.secretId).catch(() => undefined);
    throw keychainUnavailable(cause);
  };
  const kept =
    organisation.signIn === 'embedded'
      ? await keepEmbedded(deps, organisation, answer, before, undo)
      : await keepSignInSecret(deps, organisation, answer, value, undo);
  const { ref } = kept;
  let newId = kept.newId;
  if (newId === null) {
    const fresh = await secretsSince(deps, organisation, before);
    newId = fresh.length === 1 && fresh[0] ? fresh[0].id : null;
  }
  if (newId === null)
    throw new AppError(
      'server_error',
      `The new admin secret of ${organisationInWords(organisation)} is in your keychain (${ref.account}), but ${organisationInWords(organisation)}'s answer did not say which secret it is, so the old secrets were kept.`,
    );

  // The next token is asked with the new secret: reading the application proves it works before anything goes.
  client.forgetToken();
  const deleted = await deleteOldSecrets(deps, organisation, client, newId);
  deps.activity.record({
    organisation: organisationId,
    action: 'organisation.admin_secret_rotated',
    target: organisation.adminClientId,
    headline: `Rotated the admin secret of ${organisation.displayName}`,
    detail: `New admin secret ${newId} for ${organisation.adminClientId}, in the keychain as ${ref.service} / ${ref.account} (never shown); ${
      deleted.length > 0
        ? `deleted the old secret${deleted.length === 1 ? '' : 's'} ${deleted.join(', ')}`
        : 'no old secret to delete'
    }.`,
  });
  return { rotated: true, secretId: newId, keychain: ref, deleted };
}

export function adminSecretService(deps: AdminSecretServiceDeps) {
  return {
    rotate: (organisationId: string) => rotate(deps, organisationId),
  };
}
export type AdminSecretService = ReturnType<typeof adminSecretService>;
