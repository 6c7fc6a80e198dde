// The App Secret section's use cases: list an application's secrets, generate one (replacing the others or
// overlapping them), delete one, and copy one from the keychain to the clipboard. Values never leave main except
// in the answer that creates a secret, and on the clipboard the admin asked for.
import { organisationInWords } from '../../shared/organisationInWords';
import type { EventBus } from '../events';
import type { InputOf, secretOperations } from '../../shared/contract';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import { AppError } from '../../shared/errors';
import type { AppSecret, ExternalClient, NewSecret, SecretInfo } from '../../shared/model';
import { checkSecretDescription, optionalText } from '../../shared/rules';
import type { SecretClipboard } from '../clipboard/clipboard';
import type { Workspace } from '../workspace/workspace';
import { appWords, type ActivityService } from './activity';
import { unreadableSecret } from './answerReadBack';
import { lostSecret } from './lostWrites';
import { outcomeUnknown } from '../organisation/answers';
import { refuseAdminApp } from './adminApp';
import { answerable } from './adminGrants';
import { scopesOf } from '../../shared/changes';
import { dayInWords } from '../../shared/dayWords';
import type { PendingSecretStore } from './pendingSecrets';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { OrganisationService } from './organisations';

export interface SecretServiceDeps {
  workspace: Workspace;
  /** Told when a secret was made or deleted here: the list's secret counts changed. */
  events: EventBus;
  organisations: OrganisationService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  /** Absent where there is no clipboard to put a secret on (the CLI). */
  clipboard?: SecretClipboard;
  /** Secrets the keychain refused, held in memory: a new one's Copy reads it from here until Retry stores it. */
  pending: PendingSecretStore;
}

/** The admin application's secrets are rotateAdminSecret's alone (adminApp.ts). */
function refuseAdmin(deps: SecretServiceDeps, organisationId: string, clientId: string, refusal: string): void {
  refuseAdminApp(deps.organisations.get(organisationId), clientId, refusal);
}

/** The clipboard, or the reason there is none (the CLI). */
function clipboardOrRefuse(deps: SecretServiceDeps): SecretClipboard {
  const { clipboard } = deps;
  if (!clipboard)
    throw new AppError(
      'invalid_input',
      'There is no clipboard here to copy a secret to. Read it from the keychain instead (the handoff sheet names its entry).',
    );
  return clipboard;
}

function changed(deps: SecretServiceDeps, organisationId: string): void {
  deps.events.emit('organisationDataChanged', { organisation: organisationId, what: 'applications' });
}

/** Deletes secrets on the organisation, then their keychain entries and records; answers the ids deleted. */
async function deleteOnOrganisation(
  deps: SecretServiceDeps,
  organisationId: string,
  clientId: string,
  secretIds: readonly string[],
): Promise<string[]> {
  const client = deps.organisations.client(organisationId);
  const deleted: string[] = [];
  for (const secretId of secretIds) {
    await client.deleteSecret(secretId);
    deleted.push(secretId);
    await deps.secretKeeping.discard(organisationId, secretId);
  }
  await deps.registrations.get(organisationId, clientId);
  return deleted;
}

/**
 * The organisation's secrets of the app (with last use), each joined with where this workspace keeps it and whether the
 * keychain still holds it: a secret whose value was lost is shown as such, never left out.
 */
async function listSecrets(deps: SecretServiceDeps, organisationId: string, clientId: string): Promise<AppSecret[]> {
  const app = await deps.registrations.get(organisationId, clientId);
  const kept = new Map(deps.workspace.secrets.listForClient(organisationId, clientId).map((k) => [k.secretId, k]));
  return Promise.all(
    app.secrets.map(async (secret) => {
      // A secret whose record a full disk lost is found again in the keychain entry its IDs name.
      const recorded = kept.get(secret.id);
      const keptSecret = recorded ?? (await deps.secretKeeping.recover(organisationId, clientId, secret));
      return {
        ...secret,
        lastUsedTime: secret.lastUsedTime ?? null,
        keychain: keptSecret?.keychain ?? null,
        fingerprint: keptSecret?.fingerprint ?? null,
        inKeychain: recorded
          ? await deps.secretKeeping.holds(organisationId, clientId, secret.id)
          : keptSecret !== null,
      };
    }),
  );
}

/**
 * Asks the organisation for a new secret and keeps its value: in the keychain (or the in-memory hold) before anything else
 * in the answer is checked. An answer that cannot be read is explained after a read-back (answerReadBack.ts).
 */
async function requestSecret(
  deps: SecretServiceDeps,
  input: InputOf<'generateSecret'>,
): Promise<{ info: SecretInfo; secret: NewSecret }> {
  const { workspace, organisations, registrations, secretKeeping } = deps;
  const { organisation: organisationId, clientId } = input;
  const client = organisations.client(organisationId);
  const cachedBefore = workspace.registrations.get(organisationId, clientId);
  const description = optionalText(input.description);
  const at = Date.now();
  const answer = await client
    .generateSecret(clientId, { description, expiryTime: input.expiryTime })
    .catch(async (error: unknown) => {
      // A lost answer may hide a new secret whose value no one holds: read back before saying anything.
      if (!outcomeUnknown(error)) throw error;
      throw await lostSecret(
        {
          readApp: () => registrations.get(organisationId, clientId),
          keptHere: (secretId) => workspace.secrets.get(organisationId, secretId) !== null,
          deleteSecret: async (secretId) => {
            await client.deleteSecret(secretId);
            await registrations.get(organisationId, clientId);
          },
        },
        organisationInWords(organisations.get(organisationId)),
        {
          clientId,
          name: cachedBefore?.name ?? '',
          secretIdsBefore: new Set(cachedBefore?.secrets.map((s) => s.id) ?? []),
          description,
          at,
        },
        error,
      );
    });
  // The value reaches the keychain (or the in-memory hold) before anything else in the answer is checked.
  const kept = await secretKeeping.keepFromAnswer(organisationId, answer, { expiresAt: input.expiryTime });
  try {
    const info = answer.read();
    if (!kept.secret) throw new Error('it held no secret value');
    return { info, secret: kept.secret };
  } catch (error) {
    throw await unreadableSecret(
      { workspace, secretKeeping, refresh: () => registrations.get(organisationId, clientId) },
      { organisationId, orgName: organisationInWords(organisations.get(organisationId)) },
      {
        clientId,
        name: cachedBefore?.name ?? '',
        secretIdsBefore: new Set(cachedBefore?.secrets.map((s) => s.id) ?? []),
      },
      kept,
      error,
    );
  }
}

/** Deletes the app's other secrets once the new one is stored, and records which the new one replaced. */
async function replaceOthers(
  deps: SecretServiceDeps,
  at: { organisationId: string; clientId: string },
  newSecretId: string,
  others: readonly string[],
): Promise<string[]> {
  const replaced = await deleteOnOrganisation(deps, at.organisationId, at.clientId, others);
  deps.activity.record({
    organisation: at.organisationId,
    action: 'secret.replace',
    target: at.clientId,
    headline: replacedHeadline(replaced),
    detail: replacedDetail(newSecretId, replaced),
  });
  return replaced;
}

/** The headline of a secret.replace entry: how many old secrets the new one replaced. */
function replacedHeadline(replaced: readonly string[]): string {
  if (replaced.length === 0) return 'The new secret replaced no other secret';
  return `Deleted ${replaced.length === 1 ? 'the old secret' : `${replaced.length} old secrets`}: the new one replaces ${replaced.length === 1 ? 'it' : 'them'}`;
}

/** The activity's account of a secret.replace: which secrets the new one replaced. */
function replacedDetail(newSecretId: string, replaced: readonly string[]): string {
  return `Secret ${newSecretId} replaced ${replaced.length > 0 ? `secret${replaced.length === 1 ? '' : 's'} ${replaced.join(', ')}` : 'no other secret'}; ${
    replaced.length === 1 ? 'it no longer works' : 'they no longer work'
  }.`;
}

/** The headline of a secret.generate entry: the new secret by its description, its expiry, and what it is for. */
function generatedHeadline(info: SecretInfo, secret: NewSecret, mode: InputOf<'generateSecret'>['mode']): string {
  return `Generated a new secret${info.description ? ` “${info.description}”` : ''}, ${
    info.expiryTime ? `expiring ${dayInWords(info.expiryTime)}` : 'which does not expire'
  }${mode === 'replace' ? ', to replace the others' : ''}${secret.stored ? '' : '; the keychain refused it'}`;
}

/** The activity's account of a new secret: the secret, its expiry and where its value is. */
function generatedDetail(
  app: ExternalClient,
  info: SecretInfo,
  secret: NewSecret,
  mode: InputOf<'generateSecret'>['mode'],
): string {
  return `New secret ${secret.id} for ${appWords(app)}${info.description ? ` ("${info.description}")` : ''}, ${
    info.expiryTime ? `expires ${dayInWords(info.expiryTime)}` : 'does not expire'
  }; ${mode === 'replace' ? 'replacing the others' : 'the others keep working (overlap)'}; ${
    secret.stored
      ? `in the keychain as ${secret.keychain.service} / ${secret.keychain.account}`
      : 'held in memory: the keychain refused it, so no other secret was deleted yet'
  }.`;
}

/**
 * A new secret, in the keychain before this answers. `replace` deletes the app's other secrets only once the
 * new one is stored; when the keychain refuses, nothing is deleted and a retry of the pending secret finishes it.
 */
async function generateSecret(
  deps: SecretServiceDeps,
  input: InputOf<'generateSecret'>,
): Promise<{ secret: NewSecret; replaced: string[] }> {
  const { organisation: organisationId, clientId, mode } = input;
  refuseAdmin(deps, organisationId, clientId, 'its secrets are not generated');
  const description = checkSecretDescription(input.description);
  if (description.errors.length > 0) throw AppError.invalid(description.errors);
  const { info, secret } = await requestSecret(deps, input);
  const app = await deps.registrations.get(organisationId, clientId);
  const others = app.secrets.map((s) => s.id).filter((id) => id !== info.id);
  const replacing = mode === 'replace' && others.length > 0;
  const replace = () => replaceOthers(deps, { organisationId, clientId }, info.id, others);
  if (!secret.stored && replacing) deps.secretKeeping.afterRetry(secret, replace);
  deps.activity.record({
    organisation: organisationId,
    action: 'secret.generate',
    target: clientId,
    headline: generatedHeadline(info, secret, mode),
    detail: generatedDetail(app, info, secret, mode),
  });
  const replaced = replacing && secret.stored ? await replace() : [];
  changed(deps, organisationId);
  return { secret: answerable(secret, scopesOf(app)), replaced };
}

/** Deletes one secret on the organisation, then its keychain entry and record here. */
async function deleteSecret(
  deps: SecretServiceDeps,
  organisationId: string,
  clientId: string,
  secretId: string,
): Promise<{ deleted: true }> {
  refuseAdmin(deps, organisationId, clientId, 'its secrets are not deleted');
  const app = await deps.registrations.get(organisationId, clientId);
  if (!app.secrets.some((s) => s.id === secretId))
    throw new AppError('not_found', `Application ${clientId} has no secret ${secretId}.`, [
      { field: 'secretId', message: `Application ${clientId} has no secret ${secretId}.` },
    ]);
  const kept = deps.workspace.secrets.get(organisationId, secretId);
  await deleteOnOrganisation(deps, organisationId, clientId, [secretId]);
  deps.activity.record({
    organisation: organisationId,
    action: 'secret.delete',
    target: clientId,
    headline: `Deleted ${secretHeadlineName(app.secrets.find((s) => s.id === secretId)?.description)}`,
    detail: `Deleted secret ${secretId} of ${appWords(app)}; integrations using it no longer get tokens${
      kept ? `; keychain entry ${kept.keychain.service} / ${kept.keychain.account} removed` : ''
    }.`,
  });
  changed(deps, organisationId);
  return { deleted: true };
}

/** Keychain → main → clipboard, cleared after a while; the value never reaches the renderer. */
async function copySecret(
  deps: SecretServiceDeps,
  organisationId: string,
  clientId: string,
  secretId: string,
): Promise<{ copied: true; clearAfterSeconds: number }> {
  refuseAdmin(deps, organisationId, clientId, 'its secrets are not copied');
  const clipboard = clipboardOrRefuse(deps);
  const value = await deps.secretKeeping.read(organisationId, clientId, secretId);
  await clipboard.put(value);
  deps.activity.record({
    organisation: organisationId,
    action: 'secret.copy',
    target: clientId,
    headline: 'Copied a secret to the clipboard',
    detail: `Secret ${secretId} copied to the clipboard, to be cleared after ${clipboard.clearAfterSeconds} s.`,
  });
  return { copied: true, clearAfterSeconds: clipboard.clearAfterSeconds };
}

/** The new secret the page names: held in memory while the keychain refuses it, else read from the keychain. */
async function newSecretNamed(
  deps: SecretServiceDeps,
  input: InputOf<'copyNewSecretToClipboard'>,
): Promise<{ organisationId: string; clientId: string; secretId: string; value: string }> {
  if (input.pendingId !== undefined) {
    const pendingSecret = deps.pending.get(input.pendingId);
    if (!pendingSecret)
      throw new AppError('not_found', 'No secret is waiting for the keychain under that id.', [
        { field: 'pendingId', message: 'No secret is waiting for the keychain under that id.' },
      ]);
    return pendingSecret;
  }
  const clientId = input.clientId ?? '';
  const secretId = input.secretId ?? '';
  return {
    organisationId: input.organisation,
    clientId,
    secretId,
    value: await deps.secretKeeping.read(input.organisation, clientId, secretId),
  };
}

/**
 * The Copy of a secret just shown once: through main like every copy, so the clipboard is cleared after the same
 * while. The value comes from the keychain, or from the in-memory hold while the keychain refuses it; the page
 * names the secret, and never sends its value.
 */
async function copyNewSecret(
  deps: SecretServiceDeps,
  input: InputOf<'copyNewSecretToClipboard'>,
): Promise<{ copied: true; clearAfterSeconds: number }> {
  const clipboard = clipboardOrRefuse(deps);
  const held = await newSecretNamed(deps, input);
  refuseAdmin(deps, held.organisationId, held.clientId, 'its secrets are not copied');
  await clipboard.put(held.value);
  deps.activity.record({
    organisation: held.organisationId,
    action: 'secret.copy',
    target: held.clientId,
    headline: 'Copied the new secret to the clipboard',
    detail: `Secret ${held.secretId} copied to the clipboard, to be cleared after ${clipboard.clearAfterSeconds} s.`,
  });
  return { copied: true, clearAfterSeconds: clipboard.clearAfterSeconds };
}

export function secretService(deps: SecretServiceDeps) {
  return {
    list: (organisationId: string, clientId: string) => listSecrets(deps, organisationId, clientId),
    generate: (input: InputOf<'generateSecret'>) => generateSecret(deps, input),
    delete: (organisationId: string, clientId: string, secretId: string) =>
      deleteSecret(deps, organisationId, clientId, secretId),
    copy: (organisationId: string, clientId: string, secretId: string) =>
      copySecret(deps, organisationId, clientId, secretId),
    copyNew: (input: InputOf<'copyNewSecretToClipboard'>) => copyNewSecret(deps, input),
  };
}
export type SecretService = ReturnType<typeof secretService>;

/** A secret in an activity headline: by its description, as the App Secret section names it. */
function secretHeadlineName(description: string | null | undefined): string {
  return description ? `the secret “${description}”` : 'a secret without description';
}

/** The handlers of the secrets' operations (src/shared/contract/secrets.ts): one line each onto the services. */
export function secretHandlers(s: Services): HandlersOf<typeof secretOperations> {
  return {
    listSecrets: ({ organisation, clientId }) => s.secrets.list(organisation, clientId),
    generateSecret: (input) => s.secrets.generate(input),
    deleteSecret: ({ organisation, clientId, secretId }) => s.secrets.delete(organisation, clientId, secretId),
    copySecretToClipboard: ({ organisation, clientId, secretId }) => s.secrets.copy(organisation, clientId, secretId),
    copyNewSecretToClipboard: (input) => s.secrets.copyNew(input),
    retrySecretStore: ({ pendingId }) => s.secretKeeping.retry(pendingId),
    dismissPendingSecret: ({ pendingId }) => Promise.resolve(s.secretKeeping.dismiss(pendingId)),
  };
}
