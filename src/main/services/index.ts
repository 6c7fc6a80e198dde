// Builds the services of one workspace and wires them to each other.
import type { EventBus } from '../events';
import { secretClipboard, DEFAULT_CLIPBOARD_CLEAR_SECONDS } from '../clipboard/clipboard';
import type { BrowserOpener, ChooseSavePath, Clipboard, ConfirmByMain, Keychain } from '../ports';
import type { Handlers } from '../dispatch';
import type { Workspace } from '../workspace/workspace';
import type { RateLimits } from '../../shared/rateLimits';
import { activityHandlers, activityService, type ActivityService } from './activity';
import { adminSecretService, type AdminSecretService } from './adminSecret';
import { bulkApplyService, type BulkApplyService } from './bulkApply';
import { catalogueService, type CatalogueService } from './catalogue';
import { copyService, type CopyService } from './copies';
import { draftHandlers, draftService, type DraftService } from './drafts';
import { expiryService, type ExpiryService } from './expiry';
import {
  federatedCredentialHandlers,
  federatedCredentialService,
  type FederatedCredentialService,
} from './federatedCredentials';
import { handoffHandlers, handoffService, type HandoffService } from './handoff';
import { linkService, type LinkService } from './links';
import { pendingSecretStore } from './pendingSecrets';
import { applicationHandlers, registrationService, type RegistrationService } from './registrations';
import {
  registrationsAsCodeHandlers,
  registrationsAsCodeService,
  type RegistrationsAsCodeService,
} from './registrationsAsCode';
import { scopeSetHandlers, scopeSetService, type ScopeSetService } from './scopeSets';
import { secretKeeping as createSecretKeeping, type SecretKeeping } from './secretKeeping';
import { secretHandlers, secretService, type SecretService } from './secrets';
import { syncService, type SyncService } from './sync';
import { connectivityPolicy, type Timers } from './organisations/connectivity';
import { organisationHandlers, organisationService, type OrganisationService } from './organisations';
import { keptSecretsService, type KeptSecretsService } from './organisations/removal';
import { userHandlers, userService, type UserService } from './users';

export interface ServiceDeps {
  workspace: Workspace;
  /** Where services raise the contract's events (a status changed, data changed, an apply moved on). */
  events: EventBus;
  keychain: Keychain;
  keychainService: string;
  fetch?: typeof fetch;
  /** Where copied secrets go (Electron's clipboard); without one, copySecretToClipboard answers that it cannot copy. */
  clipboard?: Clipboard;
  clipboardClearAfterSeconds?: number;
  /** The save dialog of exports; without one, an export needs a path. */
  chooseSavePath?: ChooseSavePath;
  /** The system browser, for adding an organisation by signing in with an account. */
  openBrowser?: BrowserOpener;
  /** Main's own confirmation (a native dialog, the CLI's prompt): organisation-admin grants and a new host need it. */
  confirm?: ConfirmByMain;
  /** The rate limits the embedded server runs with, for the estimate of a scope set's apply on the local organisation. */
  localRateLimits?: Partial<RateLimits>;
  /** How often an offline organisation is asked again (default 15 s), and on which clock: tests shorten it. */
  connectivity?: { retryMs?: number; timers?: Timers };
}

export type AllServices = Services & {
  pending: ReturnType<typeof pendingSecretStore>;
  /** Takes every copied secret still on the clipboard off it, when the app closes. */
  closeClipboard(): Promise<void>;
  /** Stops what runs by itself (the connectivity policy's retries and the syncs it began), before the workspace closes. */
  stop(): Promise<void>;
};

/** The services every other one stands on: activity, the keeping of secrets, organisations, catalogue, sync, registrations. */
function foundation(deps: ServiceDeps) {
  const { workspace, keychain, keychainService, events } = deps;
  const activity = activityService(
    workspace.activity,
    (organisationId, clientId) => workspace.registrations.get(organisationId, clientId)?.name ?? null,
  );
  const pending = pendingSecretStore();
  const secretKeeping = createSecretKeeping({
    keychain,
    keychainService,
    secrets: workspace.secrets,
    pending,
    activity,
  });
  const organisations = organisationService({
    workspace,
    events,
    keychain,
    keychainService,
    secretKeeping,
    activity,
    fetch: deps.fetch,
    openBrowser: deps.openBrowser,
    confirm: deps.confirm,
  });
  const catalogue = catalogueService({ workspace, organisations });
  const sync = syncService({ workspace, organisations, catalogue, activity, events });
  const connectivity = connectivityPolicy({ events, organisations, sync, ...deps.connectivity });
  const registrations = registrationService({
    ...{ workspace, events, organisations, catalogue, secretKeeping, activity },
    confirm: deps.confirm,
  });
  return { activity, pending, secretKeeping, organisations, catalogue, sync, connectivity, registrations };
}
type Foundation = ReturnType<typeof foundation>;

/** What works on one application: its secrets, the admin's, links, the handoff, users, copies, expiry. */
function applicationServices(deps: ServiceDeps, f: Foundation) {
  const { workspace, keychain, events } = deps;
  const { organisations, registrations, secretKeeping, activity, catalogue, pending } = f;
  const clipboard = deps.clipboard
    ? secretClipboard(deps.clipboard, deps.clipboardClearAfterSeconds ?? DEFAULT_CLIPBOARD_CLEAR_SECONDS)
    : undefined;
  return {
    clipboard,
    secrets: secretService({
      workspace,
      events,
      organisations,
      registrations,
      secretKeeping,
      activity,
      clipboard,
      pending,
    }),
    adminSecret: adminSecretService({ organisations, registrations, keychain, secretKeeping, activity }),
    links: linkService({ organisations, openBrowser: deps.openBrowser, clipboard }),
    handoff: handoffService({
      workspace,
      organisations,
      registrations,
      secretKeeping,
      activity,
      chooseSavePath: deps.chooseSavePath,
    }),
    users: userService({ organisations, activity }),
    federatedCredentials: federatedCredentialService({ organisations, activity, workspace }),
    copies: copyService({ organisations, catalogue, registrations, activity }),
    expiry: expiryService({ workspace }),
    keptSecrets: keptSecretsService({ workspace, keychain, activity, clipboard }),
  };
}

/** What works on many applications: scope sets, drafts, their apply, registrations as code. */
function manyApplicationServices(deps: ServiceDeps, f: Foundation) {
  const { workspace, events } = deps;
  const { organisations, catalogue, registrations, activity } = f;
  const scopeSets = scopeSetService({ workspace, activity });
  return {
    scopeSets,
    drafts: draftService({ workspace, organisations, catalogue, registrations, activity }),
    bulkApply: bulkApplyService({
      workspace,
      events,
      organisations,
      catalogue,
      registrations,
      scopeSets,
      activity,
      localRateLimits: deps.localRateLimits,
      confirm: deps.confirm,
    }),
    registrationsAsCode: registrationsAsCodeService({
      workspace,
      organisations,
      catalogue,
      registrations,
      scopeSets,
      activity,
      chooseSavePath: deps.chooseSavePath,
    }),
  };
}

export function createServices(deps: ServiceDeps): AllServices {
  const { connectivity, ...f } = foundation(deps);
  const { clipboard, ...forOne } = applicationServices(deps, { connectivity, ...f });
  return {
    ...f,
    ...forOne,
    ...manyApplicationServices(deps, { connectivity, ...f }),
    closeClipboard: async () => clipboard?.close(),
    stop: () => connectivity.stop(),
  };
}

/** Every service of a workspace, as the handlers reach them. */
export interface Services {
  organisations: OrganisationService;
  sync: SyncService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  secrets: SecretService;
  /** An application's federated credentials (secretless), and why a token would be refused. */
  federatedCredentials: FederatedCredentialService;
  handoff: HandoffService;
  users: UserService;
  copies: CopyService;
  expiry: ExpiryService;
  activity: ActivityService;
  adminSecret: AdminSecretService;
  links: LinkService;
  scopeSets: ScopeSetService;
  drafts: DraftService;
  bulkApply: BulkApplyService;
  registrationsAsCode: RegistrationsAsCodeService;
  /** The kept secrets of removed organisations. */
  keptSecrets: KeptSecretsService;
}

/**
 * The handler of every operation of the contract: each slice of the services answers its slice of the contract, and
 * TypeScript refuses a missing one here.
 */
export function createHandlers(s: Services): Handlers {
  return {
    ...organisationHandlers(s),
    ...applicationHandlers(s),
    ...secretHandlers(s),
    ...federatedCredentialHandlers(s),
    ...handoffHandlers(s),
    ...userHandlers(s),
    ...activityHandlers(s),
    ...scopeSetHandlers(s),
    ...draftHandlers(s),
    ...registrationsAsCodeHandlers(s),
  };
}

export { LOCAL_ORGANISATION_ID, type LocalServer } from './organisations';
