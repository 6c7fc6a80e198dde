// The organisations wing: the organisations this workspace knows (registry.ts: records, the current one, sign-in
// references, adding and forgetting one), a connection to each (connections.ts: its OrganisationClient, token source and
// the admin secret held in memory), what is known of each one's reachability and sync (status.ts, pushed as events),
// and the embedded one's start (localBootstrap.ts); composed here into the OrganisationService the other services use.
import type { InputOf, organisationOperations } from '../../../shared/contract';
import type { OrganisationStatus } from '../../../shared/model';
import type { HandlersOf } from '../../dispatch';
import type { EventBus } from '../../events';
import type { BrowserOpener, ConfirmByMain, Keychain } from '../../ports';
import type { Workspace } from '../../workspace/workspace';
import type { ActivityService } from '../activity';
import { runConnectionChecks } from '../connectionChecks';
import type { Services } from '../index';
import type { SecretKeeping } from '../secretKeeping';
import { organisationConnections } from './connections';
import { bootstrapLocal, type LocalServer } from './localBootstrap';
import { accountSignIns } from './accountSignIns';
import { addOrganisation, organisationRegistry, type MembershipParts } from './registry';
import { removeOrganisation } from './removal';
import { changeSignIn } from './signInChange';
import { organisationStatus } from './status';

export { LOCAL_ORGANISATION_ID } from './registry';
export type { LocalServer } from './localBootstrap';

export interface OrganisationServiceDeps {
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
  /** Main's own confirmation of a new host, before anything is sent to it. */
  confirm?: ConfirmByMain;
}

export function organisationService(deps: OrganisationServiceDeps) {
  const { workspace, events } = deps;
  const registry = organisationRegistry(deps);
  const status = organisationStatus(deps);
  const connections = organisationConnections({ ...deps, status, record: registry.get });
  const removing = new Set<(organisationId: string) => void>();
  const signIns = accountSignIns(events);
  const parts: MembershipParts = {
    ...deps,
    accountSignIns: signIns,
    registry,
    connections,
    status,
    removing: (organisationId) => {
      for (const listener of removing) listener(organisationId);
    },
  };

  return {
    bootstrapLocal: (server: LocalServer) => bootstrapLocal({ ...deps, connections }, server),
    get: registry.get,
    client: connections.client,
    list: () => registry.list(),
    show: registry.show,
    current: registry.current,
    use(organisationId: string): { current: string } {
      const answer = registry.use(organisationId);
      events.emit('organisationDataChanged', { organisation: organisationId, what: 'organisations' });
      return answer;
    },
    add: (input: InputOf<'addOrganisation'>) => addOrganisation(parts, input),
    /** A new sign-in, proven (a token, every check) before it replaces the old one in the keychain. */
    changeSignIn: (input: InputOf<'changeSignIn'>) => changeSignIn(parts, input),
    /** The sign-in in the browser main waits for (adding, or signing in again): cancel, open again, a fresh link. */
    accountSignIns: signIns,
    /** Test connection: every check against the organisation as it is recorded. */
    test: (organisationId: string) => runConnectionChecks(connections.client(organisationId)),
    /** Forgets an organisation; its application secrets stay in the keychain (listed as kept) unless 'delete'. */
    remove: (organisationId: string, secrets?: 'keep' | 'delete') => removeOrganisation(parts, organisationId, secrets),
    /** Online state, last sync, a sync's progress and a rate-limit wait. */
    status(organisationId: string): OrganisationStatus {
      registry.get(organisationId);
      return status.status(organisationId);
    },
    /** Whether the organisation was asked and did not answer (the connectivity policy asks it again). */
    isOffline: status.isOffline,
    /** A sync's progress as the status shows it; null when the sync ended. The sync itself is the sync service's. */
    showSyncProgress: status.syncProgress,
    /** `listener` hears of each organisation about to be forgotten (the sync service stops its sync). */
    whenRemoving(listener: (organisationId: string) => void): void {
      removing.add(listener);
    },
    forgetSecretsInMemory: () => connections.forgetSecretsInMemory(),
    /** Whether the workspace knows the organisation (now). */
    isKnown: (organisationId: string): boolean => workspace.organisations.get(organisationId) !== null,
  };
}
export type OrganisationService = ReturnType<typeof organisationService>;

/** The handlers of the organisations' operations (src/shared/contract/organisations.ts): one line each onto the services. */
export function organisationHandlers(s: Services): HandlersOf<typeof organisationOperations> {
  return {
    listOrganisations: () => Promise.resolve(s.organisations.list()),
    showOrganisation: ({ organisation }) => Promise.resolve(s.organisations.show(organisation)),
    addOrganisation: (input) => s.organisations.add(input),
    testOrganisation: ({ organisation }) => s.organisations.test(organisation),
    changeSignIn: (input) => s.organisations.changeSignIn(input),
    cancelAccountSignIn: ({ id }) => Promise.resolve(s.organisations.accountSignIns.cancel(id)),
    reopenAccountSignIn: ({ id }) => s.organisations.accountSignIns.reopen(id),
    copyAccountSignInLink: ({ id }) => s.links.copyAccountSignInLink(id),
    useOrganisation: ({ organisation }) => Promise.resolve(s.organisations.use(organisation)),
    removeOrganisation: ({ organisation, secrets }) => s.organisations.remove(organisation, secrets),
    listKeptSecretsOfRemoved: () => Promise.resolve(s.keptSecrets.list()),
    copyKeptSecretOfRemoved: ({ account }) => s.keptSecrets.copy(account),
    deleteKeptSecretOfRemoved: ({ account }) => s.keptSecrets.delete(account),
    organisationStatus: ({ organisation }) => Promise.resolve(s.organisations.status(organisation)),
    syncOrganisation: ({ organisation }) => s.sync.sync(organisation),
    stopSync: ({ organisation }) => Promise.resolve(s.sync.stop(organisation)),
    listExpiringSecrets: ({ withinDays }) => Promise.resolve(s.expiry.list(withinDays)),
    rotateAdminSecret: ({ organisation }) => s.adminSecret.rotate(organisation),
    openLink: ({ link, organisation }) => s.links.open(link, organisation),
  };
}
