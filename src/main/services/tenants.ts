// The tenants service: the organisations this workspace knows, the bootstrap of the local one, and a TenantClient each.
import { AppError } from '../../shared/errors';
import type { KeychainRef, TenantDetails, TenantSummary } from '../../shared/model';
import { keychainUnavailable, type Keychain } from '../keychain/keychain';
import { TenantClient } from '../tenant/client';
import { endpointsOf } from '../tenant/endpoints';
import type { Workspace } from '../workspace/workspace';
import type { TenantRecord } from '../workspace/tenants';
import type { ActivityService } from './activity';
import type { SecretKeeping } from './secretKeeping';

export const LOCAL_TENANT_ID = 'local';

/** The embedded Identity Server as the tenants service sees it. */
export interface LocalServer {
  baseUrl: string;
  orgName: string;
  partitionGlobalId: string;
  /** Present when this process runs the server; absent when another process of this data folder runs it. */
  ensureAdminClient?: (options?: { reissueSecret?: boolean }) => Promise<{
    clientId: string;
    secret: { id: string; value: string } | null;
  }>;
}

export interface TenantServiceDeps {
  workspace: Workspace;
  keychain: Keychain;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  fetch?: typeof fetch;
}

export function tenantService(deps: TenantServiceDeps) {
  const { workspace, keychain, secretKeeping, activity } = deps;
  const clients = new Map<string, TenantClient>();
  // Only when the keychain refused the admin secret at start: the session keeps working, and the secret is not written anywhere.
  const adminSecretsInMemory = new Map<string, string>();

  function record(tenantId: string): TenantRecord {
    const tenant = workspace.tenants.get(tenantId);
    if (!tenant)
      throw new AppError('not_found', `No tenant named "${tenantId}" is known to this workspace.`, [
        { field: 'tenant', message: `No tenant named "${tenantId}" is known to this workspace.` },
      ]);
    return tenant;
  }

  /** Where the admin application's current secret is kept: its newest secret record. */
  function adminSecretRef(tenant: TenantRecord): KeychainRef | null {
    const records = workspace.secrets.listForClient(tenant.id, tenant.adminClientId);
    return records.at(-1)?.keychain ?? null;
  }

  async function readAdminSecret(tenant: TenantRecord): Promise<string | null> {
    const held = adminSecretsInMemory.get(tenant.id);
    if (held) return held;
    const ref = adminSecretRef(tenant);
    return ref ? keychain.get(ref.service, ref.account) : null;
  }

  async function keepAdminSecret(tenantId: string, clientId: string, secret: { id: string; value: string }): Promise<void> {
    const kept = await secretKeeping.keep({ tenantId, clientId, secretId: secret.id, value: secret.value });
    if (!kept.stored) {
      // The admin secret has no dialog to wait in; hold it for this session only.
      adminSecretsInMemory.set(tenantId, secret.value);
      if (kept.pendingId) secretKeeping.dismiss(kept.pendingId, 'the admin secret is held in memory until the app closes');
    }
  }

  /** The HTTP client of a tenant, made once and kept, so its admin token is reused until it expires. */
  function client(tenantId: string): TenantClient {
    const existing = clients.get(tenantId);
    if (existing) return existing;
    const tenant = record(tenantId);
    const created = new TenantClient({
      connection: tenant,
      fetch: deps.fetch,
      adminSecret: async () => {
        const secret = await readAdminSecret(record(tenantId));
        if (secret === null)
          throw new AppError(
            'unauthorized',
            `The keychain holds no secret of the admin application of ${tenant.orgName}; reconnect the tenant.`,
          );
        return secret;
      },
    });
    clients.set(tenantId, created);
    return created;
  }

  return {
    /**
     * Makes the local tenant usable: records it, makes sure its admin application exists and that the keychain
     * holds a working secret of it. If the keychain lost the secret, the server issues a new one.
     */
    async bootstrapLocal(server: LocalServer): Promise<TenantRecord> {
      const previous = workspace.tenants.get(LOCAL_TENANT_ID);
      let adminClientId = previous?.adminClientId ?? '';
      let fresh: { id: string; value: string } | null = null;

      if (server.ensureAdminClient) {
        const ensured = await server.ensureAdminClient();
        adminClientId = ensured.clientId;
        fresh = ensured.secret;
      } else if (!previous) {
        throw new AppError(
          'tenant_unreachable',
          'The local Identity Server is run by another OAuth Desk process, but this workspace does not know it yet. Stop the other process and try again.',
        );
      }

      const tenant: TenantRecord = {
        id: LOCAL_TENANT_ID,
        displayName: 'Local Identity Server',
        baseUrl: server.baseUrl,
        orgName: server.orgName,
        partitionGlobalId: server.partitionGlobalId,
        adminClientId,
        isLocal: true,
      };
      workspace.db.transaction(() => {
        // A new partition means a new server database: the cached applications belong to the old one.
        workspace.tenants.save(tenant);
        if (previous && previous.partitionGlobalId !== tenant.partitionGlobalId) {
          workspace.registrations.replaceAll(LOCAL_TENANT_ID, []);
          workspace.tenants.setRegistrationsFetchedAt(LOCAL_TENANT_ID, null);
        }
      })();
      clients.delete(LOCAL_TENANT_ID);

      if (fresh) {
        await keepAdminSecret(tenant.id, adminClientId, fresh);
        if (!previous || previous.partitionGlobalId !== tenant.partitionGlobalId)
          activity.record({
            tenant: tenant.id,
            action: 'tenant.connect',
            target: tenant.orgName,
            detail: `Local Identity Server at ${tenant.baseUrl}; admin application ${adminClientId}.`,
          });
        return tenant;
      }

      let existing: string | null;
      try {
        existing = await readAdminSecret(tenant);
      } catch (error) {
        if (!server.ensureAdminClient) throw keychainUnavailable(error);
        existing = null;
      }
      if (existing !== null && server.ensureAdminClient) {
        // The keychain may hold a secret the server no longer accepts (deleted or expired there): test it once.
        try {
          await client(tenant.id).checkAdminAccess();
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'unauthorized')) throw error;
          existing = null;
        }
      }
      if (existing === null) {
        if (!server.ensureAdminClient)
          throw new AppError(
            'unauthorized',
            "The keychain does not hold the local admin application's secret. Stop the other OAuth Desk process so this one can issue a new secret.",
          );
        const reissued = await server.ensureAdminClient({ reissueSecret: true });
        if (!reissued.secret) throw new AppError('server_error', 'The local Identity Server did not issue a new admin secret.');
        await keepAdminSecret(tenant.id, reissued.clientId, reissued.secret);
        clients.get(tenant.id)?.forgetToken();
        activity.record({
          tenant: tenant.id,
          action: 'tenant.admin_secret_reissued',
          target: reissued.clientId,
          detail: 'The keychain held no working admin secret, so the local Identity Server issued a new one.',
        });
      }
      return tenant;
    },

    record,
    client,

    list(): TenantSummary[] {
      return workspace.tenants.list().map((t) => ({
        id: t.id,
        displayName: t.displayName,
        baseUrl: t.baseUrl,
        orgName: t.orgName,
        isLocal: t.isLocal,
      }));
    },

    show(tenantId: string): TenantDetails {
      const t = record(tenantId);
      const endpoints = endpointsOf(t);
      const held = workspace.secrets.listForClient(t.id, t.adminClientId).at(-1);
      return {
        id: t.id,
        displayName: t.displayName,
        baseUrl: t.baseUrl,
        orgName: t.orgName,
        isLocal: t.isLocal,
        partitionGlobalId: t.partitionGlobalId,
        issuer: endpoints.issuer,
        tokenUrl: endpoints.tokenUrl,
        authorizeUrl: endpoints.authorizeUrl,
        adminClientId: t.adminClientId,
        // Without a record the keychain refused the secret at start; it lives in memory for this session only.
        adminSecret: held?.keychain ?? { service: secretKeeping.refOf(t.id, t.adminClientId, '').service, account: '(not in the keychain)' },
      };
    },

    forgetSecretsInMemory(): void {
      adminSecretsInMemory.clear();
    },
  };
}
export type TenantService = ReturnType<typeof tenantService>;
