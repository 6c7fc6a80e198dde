// The app on a data folder it may read but not write (a read-only mount, a folder this user may only read): the
// workspace opened read-only, no folder lock, no owner's door, no Identity Server. The dispatch answers the reads from
// the workspace and refuses every change up-front with one sentence naming the reason. No organisation is asked:
// nothing it answered could be cached, and the embedded one is not running.
import { AppError } from '../shared/errors';
import { isOperationName, type OperationName } from '../shared/contract';
import { organisationInWords } from '../shared/organisationInWords';
import { resolveKeychainService } from '../node/home';
import { readOnlySentence } from '../node/readOnlyFolder';
import type { AppContext, AppContextOptions } from './context';
import { createDispatch, type Dispatch, type Handlers } from './dispatch';
import { eventBus } from './events';
import { createKeytarKeychain } from './keychain/keytar';
import { browserOfCaller, confirmOfCaller } from './owner/door';
import { watchExpiringSecrets } from './services/expiry';
import { createHandlers, createServices, type AllServices } from './services/index';
import { LOCAL_ORGANISATION_ID } from './services/organisations';
import { openWorkspace, type Workspace } from './workspace/workspace';

/** What a read-only folder still answers: reads of the workspace (and of the keychain), never a change. */
export const READ_OPERATIONS: ReadonlySet<OperationName> = new Set<OperationName>([
  'listOrganisations',
  'showOrganisation',
  'organisationStatus',
  'listApps',
  'getApp',
  'listSecrets',
  'listCatalogue',
  'listActivity',
  'listDrafts',
  'listScopeSets',
  'getScopeSet',
  'listPendingChanges',
  'applyStatus',
  'listExpiringSecrets',
  'listKeptSecretsOfRemoved',
]);

/** Every request to an organisation fails as unreachable, with this reason: the cache answers instead. */
function askNoOrganisation(): Promise<Response> {
  return Promise.reject(new Error('the data folder is read-only, so OAuth Desk reads only its workspace'));
}

/** The reads as the workspace answers them: the list never refreshed, an application from the cache alone. */
function cacheHandlers(handlers: Handlers, services: AllServices, workspace: Workspace): Handlers {
  return {
    ...handlers,
    listApps: (input) => handlers.listApps({ ...input, refresh: false }),
    getApp: ({ organisation, clientId }) => {
      const inWords = organisationInWords(services.organisations.get(organisation));
      const cached = workspace.registrations.get(organisation, clientId);
      if (cached) return Promise.resolve(cached);
      return Promise.reject(
        new AppError(
          'not_found',
          `${clientId} is not in this workspace's cache of ${inWords}, and a read-only data folder asks no organisation.`,
        ),
      );
    },
  };
}

/** The dispatch of a read-only folder: a read goes through; a change is refused with `sentence` before it starts. */
function readOnlyDispatch(dispatch: Dispatch, sentence: string): Dispatch {
  return (operation, input) =>
    isOperationName(operation) && !READ_OPERATIONS.has(operation)
      ? Promise.resolve({ ok: false, error: new AppError('forbidden', sentence).toJSON() })
      : dispatch(operation, input);
}

/** Opens the app on `options.home`, which `reason` says this process cannot write to. */
export function openReadOnlyContext(options: AppContextOptions, reason: string): AppContext {
  const { home } = options;
  const sentence = readOnlySentence(home, reason);
  const kind = options.ownerKind ?? 'command';
  if (kind === 'server' || kind === 'background')
    throw new AppError('server_error', `${sentence} The Identity Server needs a data folder it can write to.`);
  const workspace = openWorkspace(home, true);
  const events = eventBus();
  const services = createServices({
    workspace,
    events,
    keychain: options.keychain ?? createKeytarKeychain(),
    keychainService: options.keychainService ?? resolveKeychainService(),
    fetch: askNoOrganisation,
    clipboard: options.clipboard,
    clipboardClearAfterSeconds: options.clipboardClearAfterSeconds,
    openBrowser: browserOfCaller(options.openBrowser),
    confirm: confirmOfCaller(options.confirm),
    connectivity: { retryMs: options.offlineRetryMs },
  });
  const dispatch = createDispatch(cacheHandlers(createHandlers(services), services, workspace), {
    currentOrganisation: () => services.organisations.current(),
  });
  const expiryWatch = options.notifier ? watchExpiringSecrets(services.expiry, options.notifier) : null;
  let closing: Promise<void> | null = null;
  return {
    dispatch: readOnlyDispatch(dispatch, sentence),
    events,
    local: { baseUrl: workspace.organisations.get(LOCAL_ORGANISATION_ID)?.baseUrl ?? '' },
    door: { idleFor: () => 0, close: () => Promise.resolve() },
    workspaceRecovered: null,
    readOnly: sentence,
    close() {
      closing ??= (async () => {
        expiryWatch?.stop();
        await services.stop();
        services.pending.clear();
        await services.closeClipboard();
        workspace.close();
      })();
      return closing;
    },
  };
}
