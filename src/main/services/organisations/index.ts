// The organisations wing: the organisations this workspace knows (registry.ts: records, the current one, sign-in
// references, adding and forgetting one), a connection to each (connections.ts: its TenantClient, token source and
// the admin secret held in memory), what is known of each one's reachability and sync (status.ts, pushed as events),
// and the embedded one's start (localBootstrap.ts); composed here into the TenantService the other services use.
import type { InputOf, organisationOperations } from '../../../shared/contract';
import type { TenantStatus } from '../../../shared/model';
import type { HandlersOf } from '../../dispatch';
import type { EventBus } from '../../events';
import type { BrowserOpener, Keychain } from '../../ports';
import type { Workspace } from '../../workspace/workspace';
import type { ActivityService } from '../activity';
import { runConnectionChecks } from '../connectionChecks';
import type { Services } from '../index';
import type { SecretKeeping } from '../secretKeeping';
import { organisationConnections } from './connections';
import { bootstrapLocal, type LocalServer } from './localBootstrap';
import { addOrganisation, organisationRegistry, removeOrganisation, type MembershipParts } from './registry';
import { organisationStatus } from './status';

export { LOCAL_TENANT_ID } from './registry';
export type { LocalServer } from './localBootstrap';

export interface TenantServiceDeps {
  workspace: Workspace;
  /** Where the organisations' status changes and "its data changed" are pushed. */
  events: EventBus;
  keychain: Keychain;
  keychainService: string;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  fetch?: typeof fetch;
  /** The system browser, for signing in with an account; without it only an admin application can be added. */
  openBrowser?: BrowserOpener;
}

export function tenantService(deps: TenantServiceDeps) {
  const { workspace, events } = deps;
  const registry = organisationRegistry(deps);
  const status = organisationStatus(deps);
  const connections = organisationConnections({ ...deps, status, record: registry.get });
  const removing = new Set<(tenantId: string) => void>();
  const parts: MembershipParts = {
    ...deps,
    registry,
    connections,
    status,
    removing: (tenantId) => {
      for (const listener of removing) listener(tenantId);
    },
  };

  return {
    bootstrapLocal: (server: LocalServer) => bootstrapLocal({ ...deps, connections }, server),
    get: registry.get,
    client: connections.client,
    list: () => registry.list(),
    show: registry.show,
    current: registry.current,
    use(tenantId: string): { current: string } {
      const answer = registry.use(tenantId);
      events.emit('organisationDataChanged', { tenant: tenantId, what: 'organisations' });
      return answer;
    },
    add: (input: InputOf<'addTenant'>) => addOrganisation(parts, input),
    /** Test connection: every check against the organisation as it is recorded. */
    test: (tenantId: string) => runConnectionChecks(connections.client(tenantId)),
    remove: (tenantId: string) => removeOrganisation(parts, tenantId),
    /** Online state, last sync, a sync's progress and a rate-limit wait. */
    status(tenantId: string): TenantStatus {
      registry.get(tenantId);
      return status.status(tenantId);
    },
    /** Whether the organisation was asked and did not answer (the connectivity policy asks it again). */
    isOffline: status.isOffline,
    /** A sync's progress as the status shows it; null when the sync ended. The sync itself is the sync service's. */
    showSyncProgress: status.syncProgress,
    /** `listener` hears of each organisation about to be forgotten (the sync service stops its sync). */
    whenRemoving(listener: (tenantId: string) => void): void {
      removing.add(listener);
    },
    forgetSecretsInMemory: () => connections.forgetSecretsInMemory(),
    /** Whether the workspace knows the organisation (now). */
    isKnown: (tenantId: string): boolean => workspace.tenants.get(tenantId) !== null,
  };
}
export type TenantService = ReturnType<typeof tenantService>;

/** The handlers of the organisations' operations (src/shared/contract/organisations.ts): one line each onto the services. */
export function organisationHandlers(s: Services): HandlersOf<typeof organisationOperations> {
  return {
    listTenants: () => Promise.resolve(s.tenants.list()),
    showTenant: ({ tenant }) => Promise.resolve(s.tenants.show(tenant)),
    addTenant: (input) => s.tenants.add(input),
    testTenant: ({ tenant }) => s.tenants.test(tenant),
    useTenant: ({ tenant }) => Promise.resolve(s.tenants.use(tenant)),
    removeTenant: ({ tenant }) => s.tenants.remove(tenant),
    tenantStatus: ({ tenant }) => Promise.resolve(s.tenants.status(tenant)),
    syncTenant: ({ tenant }) => s.sync.sync(tenant),
    stopSync: ({ tenant }) => Promise.resolve(s.sync.stop(tenant)),
    listExpiringSecrets: ({ withinDays }) => Promise.resolve(s.expiry.list(withinDays)),
    rotateAdminSecret: ({ tenant }) => s.adminSecret.rotate(tenant),
    openLink: ({ link, tenant }) => s.links.open(link, tenant),
  };
}
