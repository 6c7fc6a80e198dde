// The tenants service: the organisations this workspace knows, the bootstrap of the local one, and a TenantClient each.
import { AppError } from '../../shared/errors';
import type { KeychainRef, TenantDetails, TenantSummary } from '../../shared/model';
import type { Keychain } from '../keychain/keychain';
import { TenantClient } from '../tenant/client';
import { endpointsOf } from '../tenant/endpoints';
import type { Workspace } from '../workspace/workspace';
import type { TenantRecord } from '../workspace/tenants';
import type { ActivityService } from './activity';
import { planLocalTenant, type AdminSecretFinding, type IssuedSecret } from './localTenantBootstrap';
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
    secret: IssuedSecret | null;
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

  function tenantRecord(tenantId: string): TenantRecord {
    const tenant = workspace.tenants.get(tenantId);
    if (!tenant)
      throw new AppError('not_found', `No tenant named "${tenantId}" is known to this workspace.`, [
        { field: 'tenant', message: `No tenant named "${tenantId}" is known to this workspace.` },
      ]);
    return tenant;
  }

  /** Where the admin application's current secret is kept: the newest of its kept secrets. */
  function adminSecretRef(tenant: TenantRecord): KeychainRef | null {
    return workspace.secrets.listForClient(tenant.id, tenant.adminClientId).at(-1)?.keychain ?? null;
  }

  async function readAdminSecret(tenant: TenantRecord): Promise<string | null> {
    const inMemory = adminSecretsInMemory.get(tenant.id);
    if (inMemory) return inMemory;
    const ref = adminSecretRef(tenant);
    return ref ? keychain.get(ref.service, ref.account) : null;
  }

  async function keepAdminSecret(tenantId: string, clientId: string, secret: IssuedSecret): Promise<void> {
    const kept = await secretKeeping.keep({ tenantId, clientId, secretId: secret.id, value: secret.value });
    if (!kept.stored) {
      // The admin secret has no dialog to wait in; hold it for this session only.
      adminSecretsInMemory.set(tenantId, secret.value);
      if (kept.pendingId)
        secretKeeping.dismiss(kept.pendingId, 'the admin secret is held in memory until the app closes');
    }
  }

  /** A tenant's HTTP client; it reads the admin secret from the keychain (or the in-memory hold) for each token. */
  function newClient(tenant: TenantRecord): TenantClient {
    return new TenantClient({
      connection: tenant,
      fetch: deps.fetch,
      adminSecret: async () => {
        const secret = await readAdminSecret(tenant);
        if (secret === null)
          throw new AppError(
            'unauthorized',
            `The keychain holds no secret of the admin application of ${tenant.orgName}; reconnect the tenant.`,
          );
        return secret;
      },
    });
  }

  /** The HTTP client of a tenant, made once and kept, so its admin token is reused until it expires. */
  function client(tenantId: string): TenantClient {
    const existing = clients.get(tenantId);
    if (existing) return existing;
    const created = newClient(tenantRecord(tenantId));
    clients.set(tenantId, created);
    return created;
  }

  /**
   * The admin secret of `tenant` as found at start. When this process runs the server, a secret the keychain holds
   * is tried once, since the server may no longer accept it (deleted or expired there); `probe` then made that try.
   */
  async function findAdminSecret(
    tenant: TenantRecord,
    runsHere: boolean,
  ): Promise<{ finding: AdminSecretFinding; probe: TenantClient | null }> {
    let value: string | null;
    try {
      value = await readAdminSecret(tenant);
    } catch (cause) {
      return { finding: { state: 'unreadable', cause }, probe: null };
    }
    if (value === null) return { finding: { state: 'missing' }, probe: null };
    if (!runsHere) return { finding: { state: 'unchecked' }, probe: null };
    const probe = newClient(tenant);
    try {
      await probe.checkAdminAccess();
      return { finding: { state: 'works' }, probe };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'unauthorized')) throw error;
      return { finding: { state: 'refused' }, probe };
    }
  }

  return {
    /**
     * Makes the local tenant usable: records it, makes sure its admin application exists and that the keychain
     * holds a working secret of it. If the keychain lost the secret, the server issues a new one.
     * planLocalTenant decides from the facts gathered here; this carries its plan out.
     */
    async bootstrapLocal(server: LocalServer): Promise<TenantRecord> {
      const known = workspace.tenants.get(LOCAL_TENANT_ID);
      const ensured = server.ensureAdminClient ? await server.ensureAdminClient() : null;
      const tenant: TenantRecord = {
        id: LOCAL_TENANT_ID,
        displayName: 'Local Identity Server',
        baseUrl: server.baseUrl,
        orgName: server.orgName,
        partitionGlobalId: server.partitionGlobalId,
        adminClientId: ensured?.clientId ?? known?.adminClientId ?? '',
        isLocal: true,
      };
      const found: { finding: AdminSecretFinding; probe: TenantClient | null } = ensured?.secret
        ? { finding: { state: 'issued', secret: ensured.secret }, probe: null }
        : await findAdminSecret(tenant, ensured !== null);
      const plan = planLocalTenant({
        known,
        server: { partitionGlobalId: server.partitionGlobalId, runsHere: ensured !== null },
        adminSecret: found.finding,
      });
      if (plan.kind === 'refuse') throw plan.error;

      workspace.db.transaction(() => {
        workspace.tenants.save(tenant);
        if (plan.forgetCache) {
          workspace.registrations.replaceAll(LOCAL_TENANT_ID, []);
          workspace.tenants.setRegistrationsFetchedAt(LOCAL_TENANT_ID, null);
        }
      })();
      // The client that tried the secret keeps its token; otherwise the next call makes one for the new record.
      if (found.probe) clients.set(LOCAL_TENANT_ID, found.probe);
      else clients.delete(LOCAL_TENANT_ID);

      if (plan.kind === 'create') {
        await keepAdminSecret(tenant.id, tenant.adminClientId, plan.secret);
        if (plan.announce)
          activity.record({
            tenant: tenant.id,
            action: 'tenant.connect',
            target: tenant.orgName,
            detail: `Local Identity Server at ${tenant.baseUrl}; admin application ${tenant.adminClientId}.`,
          });
      } else if (plan.kind === 'reissue') {
        // Planned only when this process runs the server, which is when ensureAdminClient is there.
        const reissued = await server.ensureAdminClient?.({ reissueSecret: true });
        if (!reissued?.secret)
          throw new AppError('server_error', 'The local Identity Server did not issue a new admin secret.');
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

    get: tenantRecord,
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
      const t = tenantRecord(tenantId);
      const endpoints = endpointsOf(t);
      const kept = workspace.secrets.listForClient(t.id, t.adminClientId).at(-1);
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
        // Not kept: the keychain refused the secret at start; it lives in memory for this session only.
        adminSecret: kept?.keychain ?? {
          service: secretKeeping.refOf(t.id, t.adminClientId, '').service,
          account: '(not in the keychain)',
        },
      };
    },

    forgetSecretsInMemory(): void {
      adminSecretsInMemory.clear();
    },
  };
}
export type TenantService = ReturnType<typeof tenantService>;
