// The App Secret section's use cases: list an application's secrets, generate one (replacing the others or
// overlapping them), delete one, and copy one from the keychain to the clipboard. Values never leave main except
// in the answer that creates a secret, and on the clipboard the admin asked for.
import type { EventBus } from '../events';
import type { InputOf, secretOperations } from '../../shared/contract';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import { AppError } from '../../shared/errors';
import type { NewSecret, AppSecret, SecretInfo } from '../../shared/model';
import { checkSecretDescription, optionalText } from '../../shared/rules';
import type { SecretClipboard } from '../clipboard/clipboard';
import type { Workspace } from '../workspace/workspace';
import { appWords, type ActivityService } from './activity';
import { unreadableSecret } from './answerReadBack';
import { refuseAdminApp } from './adminApp';
import type { PendingSecretStore } from './pendingSecrets';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { TenantService } from './organisations';

export interface SecretServiceDeps {
  workspace: Workspace;
  /** Told when a secret was made or deleted here: the list's secret counts changed. */
  events: EventBus;
  tenants: TenantService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  /** Absent where there is no clipboard to put a secret on (the CLI). */
  clipboard?: SecretClipboard;
  /** Secrets the keychain refused, held in memory: a new one's Copy reads it from here until Retry stores it. */
  pending: PendingSecretStore;
}

export function secretService(deps: SecretServiceDeps) {
  const { workspace, tenants, registrations, secretKeeping, activity, pending } = deps;

  /** The admin application's secrets are rotateAdminSecret's alone (adminApp.ts). */
  function refuseAdmin(tenantId: string, clientId: string, refusal: string): void {
    refuseAdminApp(tenants.get(tenantId), clientId, refusal);
  }

  /** The clipboard, or the reason there is none (the CLI). */
  function clipboardOrRefuse(): SecretClipboard {
    const { clipboard } = deps;
    if (!clipboard)
      throw new AppError(
        'invalid_input',
        'There is no clipboard here to copy a secret to. Read it from the keychain instead (the handoff sheet names its entry).',
      );
    return clipboard;
  }

  /** Deletes secrets on the tenant, then their keychain entries and records; answers the ids deleted. */
  async function deleteOnTenant(tenantId: string, clientId: string, secretIds: readonly string[]): Promise<string[]> {
    const client = tenants.client(tenantId);
    const deleted: string[] = [];
    for (const secretId of secretIds) {
      await client.deleteSecret(secretId);
      deleted.push(secretId);
      await secretKeeping.discard(tenantId, secretId);
    }
    await registrations.get(tenantId, clientId);
    return deleted;
  }

  return {
    /**
     * The tenant's secrets of the app (with last use), each joined with where this workspace keeps it and whether the
     * keychain still holds it: a secret whose value was lost is shown as such, never left out.
     */
    async list(tenantId: string, clientId: string): Promise<AppSecret[]> {
      const app = await registrations.get(tenantId, clientId);
      const kept = new Map(workspace.secrets.listForClient(tenantId, clientId).map((k) => [k.secretId, k]));
      return Promise.all(
        app.secrets.map(async (secret) => {
          const keptSecret = kept.get(secret.id);
          return {
            ...secret,
            lastUsedTime: secret.lastUsedTime ?? null,
            keychain: keptSecret?.keychain ?? null,
            fingerprint: keptSecret?.fingerprint ?? null,
            inKeychain: keptSecret ? await secretKeeping.holds(tenantId, clientId, secret.id) : false,
          };
        }),
      );
    },

    /**
     * A new secret, in the keychain before this answers. `replace` deletes the app's other secrets only once the
     * new one is stored; when the keychain refuses, nothing is deleted and a retry of the pending secret finishes it.
     */
    async generate(input: InputOf<'generateSecret'>): Promise<{ secret: NewSecret; replaced: string[] }> {
      const { tenant: tenantId, clientId, mode } = input;
      refuseAdmin(tenantId, clientId, 'its secrets are not generated');
      const description = checkSecretDescription(input.description);
      if (description.errors.length > 0) throw AppError.invalid(description.errors);
      const client = tenants.client(tenantId);
      const cachedBefore = workspace.registrations.get(tenantId, clientId);
      const answer = await client.generateSecret(clientId, {
        description: optionalText(input.description),
        expiryTime: input.expiryTime,
      });
      // The value reaches the keychain (or the in-memory hold) before anything else in the answer is checked.
      const kept = await secretKeeping.keepFromAnswer(tenantId, answer, { expiresAt: input.expiryTime });
      let info: SecretInfo;
      try {
        info = answer.read();
        if (!kept.secret) throw new Error('it held no secret value');
      } catch (error) {
        throw await unreadableSecret(
          { workspace, secretKeeping, refresh: () => registrations.get(tenantId, clientId) },
          { tenantId, orgName: tenants.get(tenantId).orgName },
          {
            clientId,
            name: cachedBefore?.name ?? '',
            secretIdsBefore: new Set(cachedBefore?.secrets.map((s) => s.id) ?? []),
          },
          kept,
          error,
        );
      }
      const generated = { info };
      const app = await registrations.get(tenantId, clientId);
      const others = app.secrets.map((s) => s.id).filter((id) => id !== generated.info.id);

      const replaceOthers = async (): Promise<string[]> => {
        const replaced = await deleteOnTenant(tenantId, clientId, others);
        activity.record({
          tenant: tenantId,
          action: 'secret.replace',
          target: clientId,
          detail: `${replaced.length > 0 ? `Deleted ${replaced.length === 1 ? 'the old secret' : `${replaced.length} old secrets`}: the new one replaces ${replaced.length === 1 ? 'it' : 'them'}` : 'The new secret replaced no other secret'}\nSecret ${generated.info.id} replaced ${replaced.length > 0 ? `secret${replaced.length === 1 ? '' : 's'} ${replaced.join(', ')}` : 'no other secret'}; ${
            replaced.length === 1 ? 'it no longer works' : 'they no longer work'
          }.`,
        });
        return replaced;
      };
      const secret = kept.secret;
      if (!secret.stored && mode === 'replace' && others.length > 0) secretKeeping.afterRetry(secret, replaceOthers);
      activity.record({
        tenant: tenantId,
        action: 'secret.generate',
        target: clientId,
        detail: `Generated a new secret${generated.info.description ? ` “${generated.info.description}”` : ''}, ${
          generated.info.expiryTime ? `expiring ${generated.info.expiryTime.slice(0, 10)}` : 'which does not expire'
        }${mode === 'replace' ? ', to replace the others' : ''}${secret.stored ? '' : '; the keychain refused it'}\nNew secret ${secret.id} for ${appWords(app)}${generated.info.description ? ` ("${generated.info.description}")` : ''}, ${
          generated.info.expiryTime ? `expires ${generated.info.expiryTime}` : 'does not expire'
        }; ${mode === 'replace' ? 'replacing the others' : 'the others keep working (overlap)'}; ${
          secret.stored
            ? `in the keychain as ${secret.keychain.service} / ${secret.keychain.account}`
            : 'held in memory: the keychain refused it, so no other secret was deleted yet'
        }.`,
      });
      const replaced = mode === 'replace' && secret.stored && others.length > 0 ? await replaceOthers() : [];
      deps.events.emit('organisationDataChanged', { tenant: tenantId, what: 'applications' });
      return { secret, replaced };
    },

    /** Deletes one secret on the tenant, then its keychain entry and record here. */
    async delete(tenantId: string, clientId: string, secretId: string): Promise<{ deleted: true }> {
      refuseAdmin(tenantId, clientId, 'its secrets are not deleted');
      const app = await registrations.get(tenantId, clientId);
      if (!app.secrets.some((s) => s.id === secretId))
        throw new AppError('not_found', `Application ${clientId} has no secret ${secretId}.`, [
          { field: 'secretId', message: `Application ${clientId} has no secret ${secretId}.` },
        ]);
      const kept = workspace.secrets.get(tenantId, secretId);
      await deleteOnTenant(tenantId, clientId, [secretId]);
      activity.record({
        tenant: tenantId,
        action: 'secret.delete',
        target: clientId,
        detail: `Deleted ${secretHeadlineName(app.secrets.find((s) => s.id === secretId)?.description)}\nDeleted secret ${secretId} of ${appWords(app)}; integrations using it no longer get tokens${
          kept ? `; keychain entry ${kept.keychain.service} / ${kept.keychain.account} removed` : ''
        }.`,
      });
      deps.events.emit('organisationDataChanged', { tenant: tenantId, what: 'applications' });
      return { deleted: true };
    },

    /** Keychain → main → clipboard, cleared after a while; the value never reaches the renderer. */
    async copy(
      tenantId: string,
      clientId: string,
      secretId: string,
    ): Promise<{ copied: true; clearAfterSeconds: number }> {
      refuseAdmin(tenantId, clientId, 'its secrets are not copied');
      const clipboard = clipboardOrRefuse();
      const value = await secretKeeping.read(tenantId, clientId, secretId);
      await clipboard.put(value);
      activity.record({
        tenant: tenantId,
        action: 'secret.copy',
        target: clientId,
        detail: `Copied a secret to the clipboard\nSecret ${secretId} copied to the clipboard, to be cleared after ${clipboard.clearAfterSeconds} s.`,
      });
      return { copied: true, clearAfterSeconds: clipboard.clearAfterSeconds };
    },

    /**
     * The Copy of a secret just shown once: through main like every copy, so the clipboard is cleared after the same
     * while. The value comes from the keychain, or from the in-memory hold while the keychain refuses it; the page
     * names the secret, and never sends its value.
     */
    async copyNew(input: InputOf<'copyNewSecretToClipboard'>): Promise<{ copied: true; clearAfterSeconds: number }> {
      const clipboard = clipboardOrRefuse();
      let held: { tenantId: string; clientId: string; secretId: string; value: string };
      if (input.pendingId !== undefined) {
        const pendingSecret = pending.get(input.pendingId);
        if (!pendingSecret)
          throw new AppError('not_found', 'No secret is waiting for the keychain under that id.', [
            { field: 'pendingId', message: 'No secret is waiting for the keychain under that id.' },
          ]);
        held = pendingSecret;
      } else {
        const clientId = input.clientId ?? '';
        const secretId = input.secretId ?? '';
        held = {
          tenantId: input.tenant,
          clientId,
          secretId,
          value: await secretKeeping.read(input.tenant, clientId, secretId),
        };
      }
      refuseAdmin(held.tenantId, held.clientId, 'its secrets are not copied');
      await clipboard.put(held.value);
      activity.record({
        tenant: held.tenantId,
        action: 'secret.copy',
        target: held.clientId,
        detail: `Copied the new secret to the clipboard\nSecret ${held.secretId} copied to the clipboard, to be cleared after ${clipboard.clearAfterSeconds} s.`,
      });
      return { copied: true, clearAfterSeconds: clipboard.clearAfterSeconds };
    },
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
    listSecrets: ({ tenant, clientId }) => s.secrets.list(tenant, clientId),
    generateSecret: (input) => s.secrets.generate(input),
    deleteSecret: ({ tenant, clientId, secretId }) => s.secrets.delete(tenant, clientId, secretId),
    copySecretToClipboard: ({ tenant, clientId, secretId }) => s.secrets.copy(tenant, clientId, secretId),
    copyNewSecretToClipboard: (input) => s.secrets.copyNew(input),
    retrySecretStore: ({ pendingId }) => s.secretKeeping.retry(pendingId),
    dismissPendingSecret: ({ pendingId }) => Promise.resolve(s.secretKeeping.dismiss(pendingId)),
  };
}
