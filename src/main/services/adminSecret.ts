// Rotating the admin application's secret: the admin application's own, explicit flow. The new secret goes straight
// to the keychain and is never shown or answered; the old ones are deleted only once the new one is stored and works.
import type { OutputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { KeychainRef } from '../../shared/model';
import { keychainUnavailable } from '../keychain/keychain';
import type { Keychain } from '../ports';
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
      const before = new Set(
        (await registrations.get(tenantId, tenant.adminClientId)).secrets.map((secret) => secret.id),
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
      let newId = answer.secretId;
      let ref: KeychainRef;
      const undo = async (cause: unknown): Promise<never> => {
        if (newId !== null) await client.deleteSecret(newId).catch(() => undefined);
        throw keychainUnavailable(cause);
      };
      if (tenant.signIn === 'embedded') {
        const kept = await secretKeeping.keepFromAnswer(tenantId, answer);
        if (kept.secret && !kept.secret.stored) {
          if (kept.secret.pendingId)
            secretKeeping.dismiss(kept.secret.pendingId, 'the admin secret rotation was undone');
          return undo(new Error(kept.secret.keychainError ?? 'the keychain refused it'));
        }
        if (kept.keychainError !== null) return undo(new Error(kept.keychainError));
        const entry = kept.secret?.keychain ?? kept.unidentified?.keychain;
        if (!entry) throw new Error('A kept secret has no keychain entry.');
        ref = entry;
        if (newId === null && kept.unidentified) {
          const fresh = (await registrations.get(tenantId, tenant.adminClientId)).secrets.filter(
            (s) => !before.has(s.id),
          );
          if (fresh.length === 1 && fresh[0]) {
            newId = fresh[0].id;
            secretKeeping.adopt(tenantId, tenant.adminClientId, fresh[0], kept.unidentified);
          }
        }
        // A value held in memory since a refused start would now be older than the keychain's.
        tenants.forgetSecretsInMemory();
      } else {
        ref = tenants.show(tenantId).adminSecret;
        try {
          await keychain.set(ref.service, ref.account, value);
        } catch (error) {
          return undo(error);
        }
      }
      if (newId === null) {
        const fresh = (await registrations.get(tenantId, tenant.adminClientId)).secrets.filter(
          (s) => !before.has(s.id),
        );
        newId = fresh.length === 1 && fresh[0] ? fresh[0].id : null;
      }
      if (newId === null)
        throw new AppError(
          'server_error',
          `The new admin secret of ${tenant.orgName} is in your keychain (${ref.account}), but ${tenant.orgName}'s answer did not say which secret it is, so the old secrets were kept.`,
        );

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
