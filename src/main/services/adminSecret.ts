// Rotating the admin application's secret: the admin application's own, explicit flow. The new secret goes straight
// to the keychain and is never shown or answered; the old ones are deleted only once the new one is stored and works.
import type { OutputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { KeychainRef } from '../../shared/model';
import { keychainUnavailable, type Keychain } from '../keychain/keychain';
import type { ActivityService } from './activity';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { TenantService } from './tenants';

export interface AdminSecretServiceDeps {
  tenants: TenantService;
  registrations: RegistrationService;
  keychain: Keychain;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
}

export function adminSecretService(deps: AdminSecretServiceDeps) {
  const { tenants, registrations, keychain, secretKeeping, activity } = deps;

  return {
    async rotate(tenantId: string): Promise<OutputOf<'rotateAdminSecret'>> {
      const tenant = tenants.get(tenantId);
      if (tenant.signIn === 'account')
        throw AppError.invalid([
          {
            field: 'tenant',
            message: `OAuth Desk signs in to ${tenant.orgName} with your account, so it holds no admin secret to rotate.`,
          },
        ]);
      const client = tenants.client(tenantId);
      const generated = await client.generateSecret(tenant.adminClientId, {
        description: 'OAuth Desk admin secret',
        expiryTime: null,
      });
      const newId = generated.info.id;

      // Into the keychain, or undone: a secret nobody holds must not stay valid on the organisation.
      let ref: KeychainRef;
      const undo = async (cause: unknown): Promise<never> => {
        await client.deleteSecret(newId).catch(() => undefined);
        throw keychainUnavailable(cause);
      };
      if (tenant.signIn === 'embedded') {
        const kept = await secretKeeping.keep({
          tenantId,
          clientId: tenant.adminClientId,
          secretId: newId,
          value: generated.value,
          createdAt: generated.info.creationTime,
          expiresAt: generated.info.expiryTime,
        });
        if (!kept.stored) {
          if (kept.pendingId) secretKeeping.dismiss(kept.pendingId, 'the admin secret rotation was undone');
          return undo(new Error(kept.keychainError ?? 'the keychain refused it'));
        }
        ref = kept.keychain;
        // A value held in memory since a refused start would now be older than the keychain's.
        tenants.forgetSecretsInMemory();
      } else {
        ref = tenants.show(tenantId).adminSecret;
        try {
          await keychain.set(ref.service, ref.account, generated.value);
        } catch (error) {
          return undo(error);
        }
      }

      // The next token is asked with the new secret: reading the application proves it works before anything goes.
      client.forgetToken();
      const app = await registrations.get(tenantId, tenant.adminClientId);
      const deleted: string[] = [];
      for (const old of app.secrets.filter((s) => s.id !== newId)) {
        await client.deleteSecret(old.id);
        deleted.push(old.id);
        await secretKeeping.discard(tenantId, old.id);
      }
      if (deleted.length > 0) await registrations.get(tenantId, tenant.adminClientId);
      activity.record({
        tenant: tenantId,
        action: 'tenant.admin_secret_rotated',
        target: tenant.adminClientId,
        detail: `Rotated the admin secret of ${tenant.orgName}\nNew admin secret ${newId} for ${tenant.adminClientId}, in the keychain as ${ref.service} / ${ref.account} (never shown); ${
          deleted.length > 0
            ? `deleted the old secret${deleted.length === 1 ? '' : 's'} ${deleted.join(', ')}`
            : 'no old secret to delete'
        }.`,
      });
      return { rotated: true, secretId: newId, keychain: ref, deleted };
    },
  };
}
export type AdminSecretService = ReturnType<typeof adminSecretService>;
