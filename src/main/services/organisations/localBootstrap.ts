// The embedded organisation at start: the facts gathered (what the workspace knew, what the server says, whether the
// keychain's admin secret works), planLocalOrganisation's decision (../localOrganisationBootstrap.ts) carried out.
import { AppError } from '../../../shared/errors';
import { keychainRefusal } from '../../keychain/keychain';
import type { Keychain } from '../../ports';
import type { OrganisationClient } from '../../organisation/client';
import type { OrganisationRecord } from '../../workspace/organisations';
import type { Workspace } from '../../workspace/workspace';
import type { ActivityService } from '../activity';
import {
  planLocalOrganisation,
  type AdminSecretFinding,
  type IssuedSecret,
  type LocalOrganisationPlan,
} from '../localOrganisationBootstrap';
import { deleteOrphanAdminSecrets } from './adminSecretOrphans';
import type { OrganisationConnections } from './connections';
import { LOCAL_ORGANISATION_ID } from './registry';

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
  keychain: Keychain;
  keychainService: string;
}

interface Found {
  finding: AdminSecretFinding;
  /** The client that tried the secret, when one did: it keeps its token. */
  probe: OrganisationClient | null;
}

/**
 * The admin secret of `organisation` as found at start. When this process runs the server, a secret the keychain holds
 * is tried once, since the server may no longer accept it (deleted or expired there); `probe` then made that try.
 */
async function findAdminSecret(
  parts: BootstrapParts,
  organisation: OrganisationRecord,
  runsHere: boolean,
): Promise<Found> {
  let value: string | null;
  try {
    value = await parts.connections.readAdminSecret(organisation);
  } catch (cause) {
    return { finding: { state: 'unreadable', cause }, probe: null };
  }
  if (value === null) return { finding: { state: 'missing' }, probe: null };
  if (!runsHere) return { finding: { state: 'unchecked' }, probe: null };
  const probe = parts.connections.newClient(organisation);
  try {
    await probe.checkAdminAccess();
    return { finding: { state: 'works' }, probe };
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'unauthorized')) throw error;
    return { finding: { state: 'refused' }, probe };
  }
}

function localRecord(server: LocalServer, adminClientId: string): OrganisationRecord {
  return {
    id: LOCAL_ORGANISATION_ID,
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
function record(
  parts: BootstrapParts,
  organisation: OrganisationRecord,
  forgetCache: boolean,
  probe: OrganisationClient | null,
): void {
  const { workspace } = parts;
  workspace.db.transaction(() => {
    workspace.organisations.save(organisation);
    if (forgetCache) {
      workspace.registrations.replaceAll(LOCAL_ORGANISATION_ID, []);
      workspace.organisations.setRegistrationsFetchedAt(LOCAL_ORGANISATION_ID, null);
    }
  })();
  // The client that tried the secret keeps its token; otherwise the next call makes one for the new record.
  if (probe) parts.connections.adopt(LOCAL_ORGANISATION_ID, probe);
  else parts.connections.drop(LOCAL_ORGANISATION_ID);
}

/** Keeps the admin secret the plan says: the one just issued, or a new one the server issues now. */
async function carryOut(
  parts: BootstrapParts,
  server: LocalServer,
  organisation: OrganisationRecord,
  plan: LocalOrganisationPlan,
): Promise<void> {
  const { connections, activity } = parts;
  if (plan.kind === 'create') {
    await connections.keepAdminSecret(organisation.id, organisation.adminClientId, plan.secret);
    if (plan.announce)
      activity.record({
        organisation: organisation.id,
        action: 'organisation.connect',
        target: organisation.orgName,
        headline: 'Started the embedded Identity Server',
        detail: `Local Identity Server at ${organisation.baseUrl}; admin application ${organisation.adminClientId}.`,
      });
  } else if (plan.kind === 'reissue') {
    // Planned only when this process runs the server, which is when ensureAdminClient is there.
    const reissued = await server.ensureAdminClient?.({ reissueSecret: true });
    if (!reissued?.secret)
      throw new AppError('server_error', 'The local Identity Server did not issue a new admin secret.');
    await connections.keepAdminSecret(organisation.id, reissued.clientId, reissued.secret);
    connections.client(organisation.id).forgetToken();
    activity.record({
      organisation: organisation.id,
      action: 'organisation.admin_secret_reissued',
      target: reissued.clientId,
      headline: 'Issued a new admin secret for the embedded Identity Server',
      detail: 'The keychain held no working admin secret, so the local Identity Server issued a new one.',
    });
  }
}

/**
 * A start whose keychain refuses a write (locked, absent): nothing is issued, since the keychain could not keep it.
 * The organisation the workspace knows is recorded as it is (each call that needs its admin secret then names the
 * keychain's refusal); one it never knew cannot start.
 */
function startWithoutKeychain(
  parts: BootstrapParts,
  server: LocalServer,
  known: OrganisationRecord | null,
  refusal: AppError,
): OrganisationRecord {
  if (!known?.adminClientId) throw refusal;
  const organisation = localRecord(server, known.adminClientId);
  record(parts, organisation, known.partitionGlobalId !== server.partitionGlobalId, null);
  return organisation;
}

/** Admin secrets no keychain entry holds go; a failure here waits for the next start, never failing this one. */
async function deleteOrphans(parts: BootstrapParts, organisation: OrganisationRecord): Promise<void> {
  if (parts.connections.holdsInMemory(organisation.id)) return;
  try {
    await deleteOrphanAdminSecrets(parts, organisation);
  } catch {
    // The next start that reaches the keychain tries again.
  }
}

/**
 * Makes the local organisation usable: records it, makes sure its admin application exists and that the keychain
 * holds a working secret of it. If the keychain lost the secret, the server issues a new one. No secret is issued
 * unless the keychain has just accepted a write, and admin secrets no keychain entry holds are deleted.
 */
export async function bootstrapLocal(parts: BootstrapParts, server: LocalServer): Promise<OrganisationRecord> {
  const known = parts.workspace.organisations.get(LOCAL_ORGANISATION_ID);
  if (server.ensureAdminClient) {
    const refusal = await keychainRefusal(parts.keychain, parts.keychainService);
    if (refusal) return startWithoutKeychain(parts, server, known, refusal);
  }
  const ensured = server.ensureAdminClient ? await server.ensureAdminClient() : null;
  const organisation = localRecord(server, ensured?.clientId ?? known?.adminClientId ?? '');
  const found: Found = ensured?.secret
    ? { finding: { state: 'issued', secret: ensured.secret }, probe: null }
    : await findAdminSecret(parts, organisation, ensured !== null);
  const plan = planLocalOrganisation({
    known,
    server: { partitionGlobalId: server.partitionGlobalId, runsHere: ensured !== null },
    adminSecret: found.finding,
  });
  if (plan.kind === 'refuse') throw plan.error;
  record(parts, organisation, plan.forgetCache, found.probe);
  await carryOut(parts, server, organisation, plan);
  if (ensured) await deleteOrphans(parts, organisation);
  return organisation;
}
