// The App Secret section's use cases: list an application's secrets, generate one (replacing the others or
// overlapping them), delete one, and copy one from the keychain to the clipboard. Values never leave main except
// in the answer that creates a secret, and on the clipboard the admin asked for.
import type { InputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { NewSecret, AppSecret } from '../../shared/model';
import { optionalText } from '../../shared/rules';
import type { SecretClipboard } from '../clipboard/clipboard';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { TenantService } from './tenants';

export interface SecretServiceDeps {
  workspace: Workspace;
  tenants: TenantService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  /** Absent where there is no clipboard to put a secret on (the CLI). */
  clipboard?: SecretClipboard;
}

export function secretService(deps: SecretServiceDeps) {
  const { workspace, tenants, registrations, secretKeeping, activity, clipboard } = deps;

  /** The secret the workspace signs in to the tenant with; deleting it would lock OAuth Desk out. */
  function refuseAdminSecret(tenantId: string, clientId: string, secretId: string): void {
    const tenant = tenants.get(tenantId);
    if (clientId !== tenant.adminClientId) return;
    const current = workspace.secrets.listForClient(tenantId, clientId).at(-1);
    if (current?.secretId === secretId)
      throw AppError.invalid([
        {
          field: 'secretId',
          message: `Secret ${secretId} is the one OAuth Desk uses to manage ${tenant.orgName}; generate a new one first.`,
        },
      ]);
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
    /** The tenant's secrets of the app (with last use), each joined with where this workspace keeps it. */
    async list(tenantId: string, clientId: string): Promise<AppSecret[]> {
      const app = await registrations.get(tenantId, clientId);
      const kept = new Map(workspace.secrets.listForClient(tenantId, clientId).map((k) => [k.secretId, k]));
      return app.secrets.map((secret) => {
        const keptSecret = kept.get(secret.id);
        return {
          ...secret,
          lastUsedTime: secret.lastUsedTime ?? null,
          keychain: keptSecret?.keychain ?? null,
          fingerprint: keptSecret?.fingerprint ?? null,
        };
      });
    },

    /**
     * A new secret, in the keychain before this answers. `replace` deletes the app's other secrets only once the
     * new one is stored; when the keychain refuses, nothing is deleted and a retry of the pending secret finishes it.
     */
    async generate(input: InputOf<'generateSecret'>): Promise<{ secret: NewSecret; replaced: string[] }> {
      const { tenant: tenantId, clientId, mode } = input;
      tenants.get(tenantId);
      const client = tenants.client(tenantId);
      const generated = await client.generateSecret(clientId, {
        description: optionalText(input.description),
        expiryTime: input.expiryTime,
      });
      const app = await registrations.get(tenantId, clientId);
      const others = app.secrets.map((s) => s.id).filter((id) => id !== generated.info.id);

      const replaceOthers = async (): Promise<string[]> => {
        const replaced = await deleteOnTenant(tenantId, clientId, others);
        activity.record({
          tenant: tenantId,
          action: 'secret.replace',
          target: clientId,
          detail: `Secret ${generated.info.id} replaced ${replaced.length > 0 ? `secret${replaced.length === 1 ? '' : 's'} ${replaced.join(', ')}` : 'no other secret'}; ${
            replaced.length === 1 ? 'it no longer works' : 'they no longer work'
          }.`,
        });
        return replaced;
      };
      const secret = await secretKeeping.keep({
        tenantId,
        clientId,
        secretId: generated.info.id,
        value: generated.value,
        createdAt: generated.info.creationTime,
        expiresAt: generated.info.expiryTime,
        afterStoredOnRetry: mode === 'replace' && others.length > 0 ? replaceOthers : undefined,
      });
      activity.record({
        tenant: tenantId,
        action: 'secret.generate',
        target: clientId,
        detail: `New secret ${secret.id} for "${app.name}"${generated.info.description ? ` ("${generated.info.description}")` : ''}, ${
          generated.info.expiryTime ? `expires ${generated.info.expiryTime}` : 'does not expire'
        }; ${mode === 'replace' ? 'replacing the others' : 'the others keep working (overlap)'}; ${
          secret.stored
            ? `in the keychain as ${secret.keychain.service} / ${secret.keychain.account}`
            : 'held in memory: the keychain refused it, so no other secret was deleted yet'
        }.`,
      });
      const replaced = mode === 'replace' && secret.stored && others.length > 0 ? await replaceOthers() : [];
      return { secret, replaced };
    },

    /** Deletes one secret on the tenant, then its keychain entry and record here. */
    async delete(tenantId: string, clientId: string, secretId: string): Promise<{ deleted: true }> {
      const app = await registrations.get(tenantId, clientId);
      if (!app.secrets.some((s) => s.id === secretId))
        throw new AppError('not_found', `Application ${clientId} has no secret ${secretId}.`, [
          { field: 'secretId', message: `Application ${clientId} has no secret ${secretId}.` },
        ]);
      refuseAdminSecret(tenantId, clientId, secretId);
      const kept = workspace.secrets.get(tenantId, secretId);
      await deleteOnTenant(tenantId, clientId, [secretId]);
      activity.record({
        tenant: tenantId,
        action: 'secret.delete',
        target: clientId,
        detail: `Deleted secret ${secretId} of "${app.name}"; integrations using it no longer get tokens${
          kept ? `; keychain entry ${kept.keychain.service} / ${kept.keychain.account} removed` : ''
        }.`,
      });
      return { deleted: true };
    },

    /** Keychain → main → clipboard, cleared after a while; the value never reaches the renderer. */
    async copy(
      tenantId: string,
      clientId: string,
      secretId: string,
    ): Promise<{ copied: true; clearAfterSeconds: number }> {
      tenants.get(tenantId);
      if (!clipboard)
        throw new AppError(
          'invalid_input',
          'There is no clipboard here to copy a secret to. Read it from the keychain instead (the handoff sheet names its entry).',
        );
      const value = await secretKeeping.read(tenantId, clientId, secretId);
      await clipboard.put(value);
      activity.record({
        tenant: tenantId,
        action: 'secret.copy',
        target: clientId,
        detail: `Secret ${secretId} copied to the clipboard, to be cleared after ${clipboard.clearAfterSeconds} s.`,
      });
      return { copied: true, clearAfterSeconds: clipboard.clearAfterSeconds };
    },
  };
}
export type SecretService = ReturnType<typeof secretService>;
