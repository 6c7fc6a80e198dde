// The embedded organisation at start: the facts gathered (what the workspace knew, what the server says, whether the
// keychain's admin secret works), planLocalTenant's decision (../localTenantBootstrap.ts) carried out.
import { AppError } from '../../../shared/errors';
import type { TenantClient } from '../../tenant/client';
import type { TenantRecord } from '../../workspace/tenants';
import type { Workspace } from '../../workspace/workspace';
import type { ActivityService } from '../activity';
import {
  planLocalTenant,
  type AdminSecretFinding,
  type IssuedSecret,
  type LocalTenantPlan,
} from '../localTenantBootstrap';
import type { OrganisationConnections } from './connections';
import { LOCAL_TENANT_ID } from './registry';

/** The embedded Identity Server as the organisations see it. */
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

export interface BootstrapParts {
  workspace: Workspace;
  connections: OrganisationConnections;
  activity: ActivityService;
}

interface Found {
  finding: AdminSecretFinding;
  /** The client that tried the secret, when one did: it keeps its token. */
  probe: TenantClient | null;
}

/**
 * The admin secret of `tenant` as found at start. When this process runs the server, a secret the keychain holds
 * is tried once, since the server may no longer accept it (deleted or expired there); `probe` then made that try.
 */
async function findAdminSecret(parts: BootstrapParts, tenant: TenantRecord, runsHere: boolean): Promise<Found> {
  let value: string | null;
  try {
    value = await parts.connections.readAdminSecret(tenant);
  } catch (cause) {
    return { finding: { state: 'unreadable', cause }, probe: null };
  }
  if (value === null) return { finding: { state: 'missing' }, probe: null };
  if (!runsHere) return { finding: { state: 'unchecked' }, probe: null };
  const probe = parts.connections.newClient(tenant);
  try {
    await probe.checkAdminAccess();
    return { finding: { state: 'works' }, probe };
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'unauthorized')) throw error;
    return { finding: { state: 'refused' }, probe };
  }
}

function localRecord(server: LocalServer, adminClientId: string): TenantRecord {
  return {
    id: LOCAL_TENANT_ID,
    displayName: 'Local Identity Server',
    baseUrl: server.baseUrl,
    orgName: server.orgName,
    partitionGlobalId: server.partitionGlobalId,
    adminClientId,
    isLocal: true,
    signIn: 'embedded',
  };
}

/** Records the embedded organisation; a new partition means a new server database, so its cache goes. */
function record(parts: BootstrapParts, tenant: TenantRecord, forgetCache: boolean, probe: TenantClient | null): void {
  const { workspace } = parts;
  workspace.db.transaction(() => {
    workspace.tenants.save(tenant);
    if (forgetCache) {
      workspace.registrations.replaceAll(LOCAL_TENANT_ID, []);
      workspace.tenants.setRegistrationsFetchedAt(LOCAL_TENANT_ID, null);
    }
  })();
  // The client that tried the secret keeps its token; otherwise the next call makes one for the new record.
  if (probe) parts.connections.adopt(LOCAL_TENANT_ID, probe);
  else parts.connections.drop(LOCAL_TENANT_ID);
}

/** Keeps the admin secret the plan says: the one just issued, or a new one the server issues now. */
async function carryOut(
  parts: BootstrapParts,
  server: LocalServer,
  tenant: TenantRecord,
  plan: LocalTenantPlan,
): Promise<void> {
  const { connections, activity } = parts;
  if (plan.kind === 'create') {
    await connections.keepAdminSecret(tenant.id, tenant.adminClientId, plan.secret);
    if (plan.announce)
      activity.record({
        tenant: tenant.id,
        action: 'tenant.connect',
        target: tenant.orgName,
        detail: `Started the embedded Identity Server\nLocal Identity Server at ${tenant.baseUrl}; admin application ${tenant.adminClientId}.`,
      });
  } else if (plan.kind === 'reissue') {
    // Planned only when this process runs the server, which is when ensureAdminClient is there.
    const reissued = await server.ensureAdminClient?.({ reissueSecret: true });
    if (!reissued?.secret)
      throw new AppError('server_error', 'The local Identity Server did not issue a new admin secret.');
    await connections.keepAdminSecret(tenant.id, reissued.clientId, reissued.secret);
    connections.client(tenant.id).forgetToken();
    activity.record({
      tenant: tenant.id,
      action: 'tenant.admin_secret_reissued',
      target: reissued.clientId,
      detail:
        'Issued a new admin secret for the embedded Identity Server\nThe keychain held no working admin secret, so the local Identity Server issued a new one.',
    });
  }
}

/**
 * Makes the local organisation usable: records it, makes sure its admin application exists and that the keychain
 * holds a working secret of it. If the keychain lost the secret, the server issues a new one.
 */
export async function bootstrapLocal(parts: BootstrapParts, server: LocalServer): Promise<TenantRecord> {
  const known = parts.workspace.tenants.get(LOCAL_TENANT_ID);
  const ensured = server.ensureAdminClient ? await server.ensureAdminClient() : null;
  const tenant = localRecord(server, ensured?.clientId ?? known?.adminClientId ?? '');
  const found: Found = ensured?.secret
    ? { finding: { state: 'issued', secret: ensured.secret }, probe: null }
    : await findAdminSecret(parts, tenant, ensured !== null);
  const plan = planLocalTenant({
    known,
    server: { partitionGlobalId: server.partitionGlobalId, runsHere: ensured !== null },
    adminSecret: found.finding,
  });
  if (plan.kind === 'refuse') throw plan.error;
  record(parts, tenant, plan.forgetCache, found.probe);
  await carryOut(parts, server, tenant, plan);
  return tenant;
}
