// The app context: makes this process the data folder's one owner (./owner), opens the workspace, starts the local
// Identity Server, bootstraps the embedded organisation, builds the one dispatch every door uses and opens the
// owner's private door to it. The desktop app, `oauth-desk server`, a background owner and the e2e bridge each open
// one; a CLI command opens one itself only with --no-daemon and no owner running.
import { join } from 'node:path';
import type { RateLimits, RunningIdentityServer } from '../identity-server/server';
import { AppError } from '../shared/errors';
import { createDispatch, type Dispatch } from './dispatch';
import { resolveKeychainService, resolveLocalPort } from '../node/home';
import { createKeytarKeychain } from './keychain/keytar';
import type { BrowserOpener, ChooseSavePath, Clipboard, ConfirmByMain, Keychain, Notifier } from './ports';
import { watchExpiringSecrets } from './services/expiry';
import { eventBus, type EventBus } from './events';
import { createHandlers, createServices } from './services/index';
import { keepFolderPrivate } from '../node/privateFiles';
import { ownerPaths, type OwnerKind } from '../node/ownerDoor';
import { OAUTH_DESK_VERSION } from '../node/version';
import { browserOfCaller, confirmOfCaller, openDoor, type OwnerDoor } from './owner/door';
import { takeOwnership } from './owner/ownership';
export { FolderInUse } from './owner/ownership';
import { openWorkspace, type Workspace } from './workspace/workspace';
import { readOnlyReason } from '../node/readOnlyFolder';
import { openReadOnlyContext } from './readOnlyContext';

/** The ports a door plugs its adapters into; the CLI names them from here, its one way into main. */
export type { BrowserOpener, ChooseSavePath, Clipboard, ConfirmByMain, Keychain, Notifier } from './ports';

export interface AppContextOptions {
  /** The data folder: workspace.db, the embedded server's folder, the owner's lock and socket live here. */
  home: string;
  /** Port of the local Identity Server; 0 picks a free one. Default: OAUTH_DESK_PORT or 43110. */
  port?: number;
  /** The organisation the local Identity Server plays (`oauth-desk server --org`); default 'local'. */
  orgName?: string;
  keychain?: Keychain;
  /** Default: OAUTH_DESK_KEYCHAIN_SERVICE or 'oauth-desk'. */
  keychainService?: string;
  rateLimits?: Partial<RateLimits>;
  /**
   * Who this process is as the folder's owner (default 'command'). The desktop app and `oauth-desk server` take the
   * folder over from a background owner; any other kind is refused while another process owns it.
   */
  ownerKind?: OwnerKind;
  /** A background owner asked to hand over: it closes, and the process ends. */
  onHandOver?: () => void;
  /** Where copySecretToClipboard puts a secret: Electron's clipboard in the app; none in the CLI, which then cannot copy. */
  clipboard?: Clipboard;
  /** How long a copied secret stays on the clipboard; default 60 s (tests shorten it). */
  clipboardClearAfterSeconds?: number;
  /** Asks where to save an export (Electron's save dialog); null when cancelled. Without it an export needs a path. */
  chooseSavePath?: ChooseSavePath;
  /** Raises the expiring-secrets notification, at start and then daily (Electron's Notification); none in the CLI. */
  notifier?: Notifier;
  /** Opens the system browser for "sign in with my account" (Electron's shell.openExternal); the CLI prints the URL. */
  openBrowser?: BrowserOpener;
  /** Main's own confirmation (Electron's message box; the CLI's prompt over the door; a stand-in in tests). */
  confirm?: ConfirmByMain;
  /** How often an offline organisation is asked again (default 15 s); tests shorten it. */
  offlineRetryMs?: number;
}

export interface AppContext {
  dispatch: Dispatch;
  /** The contract's events as main raises them: each door that listens passes them on (IPC, the e2e bridge). */
  events: EventBus;
  local: { baseUrl: string };
  /** The owner's private door (the CLI's socket). */
  door: OwnerDoor;
  /** Why the workspace file was moved aside and a new one started (corrupt, another program's, newer); else null. */
  workspaceRecovered: string | null;
  /**
   * Why the data folder is read-only, as the one line said to the user (./readOnlyContext.ts: no lock, door or server,
   * every change refused with it); null when this process owns a folder it can write to.
   */
  readOnly: string | null;
  close(): Promise<void>;
}

export function identityServerDataDir(home: string): string {
  return join(home, 'identity-server');
}

async function startLocalServer(
  home: string,
  port: number,
  rateLimits?: Partial<RateLimits>,
  orgName?: string,
): Promise<RunningIdentityServer> {
  // Imported here: a process that attaches to a running server (the CLI, mostly) never loads oidc-provider.
  const { startIdentityServer } = await import('../identity-server/server');
  try {
    return await startIdentityServer({ dataDir: identityServerDataDir(home), port, rateLimits, orgName });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new AppError(
        'organisation_unreachable',
        `Port ${port} is already used by another program, so the local Identity Server cannot start. Set OAUTH_DESK_PORT to a free port.`,
      );
    throw error;
  }
}

export async function openAppContext(options: AppContextOptions): Promise<AppContext> {
  const { home } = options;
  const readOnly = readOnlyReason(home);
  if (readOnly !== null) return openReadOnlyContext(options, readOnly);
  keepFolderPrivate(home);
  const kind = options.ownerKind ?? 'command';
  const lock = await takeOwnership(home, kind);
  const workspace: Workspace = openWorkspace(home);
  let server: RunningIdentityServer | null = null;
  let door: OwnerDoor | null = null;
  const cleanUp = async () => {
    await door?.close('OAuth Desk is closing.');
    if (server) await server.close();
    server = null;
    workspace.close();
    lock.release();
  };
  try {
    server = await startLocalServer(home, options.port ?? resolveLocalPort(), options.rateLimits, options.orgName);
    const opened = await openServices(options, workspace, server);
    door = await openDoor({
      socketPath: ownerPaths(home).socket,
      dispatch: opened.dispatch,
      events: opened.events,
      hello: { version: OAUTH_DESK_VERSION, kind, localBaseUrl: server.baseUrl, notice: workspace.recovered },
      onHandOver: () => options.onHandOver?.(),
    });
    return contextOf(opened, { baseUrl: server.baseUrl }, door, workspace, cleanUp);
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

interface OpenedServices {
  dispatch: Dispatch;
  events: EventBus;
  stop(): Promise<void>;
}

/** The services over the workspace and the local server, the embedded organisation bootstrapped, and the dispatch. */
async function openServices(
  options: AppContextOptions,
  workspace: Workspace,
  server: RunningIdentityServer,
): Promise<OpenedServices> {
  const events = eventBus();
  const services = createServices({
    workspace,
    events,
    keychain: options.keychain ?? createKeytarKeychain(),
    keychainService: options.keychainService ?? resolveKeychainService(),
    clipboard: options.clipboard,
    clipboardClearAfterSeconds: options.clipboardClearAfterSeconds,
    chooseSavePath: options.chooseSavePath,
    // The browser of whoever asked: the CLI's through the door, the desktop's otherwise.
    openBrowser: browserOfCaller(options.openBrowser),
    // The confirmation of whoever asked: the CLI's terminal through the door, the desktop's dialog otherwise.
    confirm: confirmOfCaller(options.confirm),
    connectivity: { retryMs: options.offlineRetryMs },
    localRateLimits: options.rateLimits,
  });
  await services.organisations.bootstrapLocal({
    baseUrl: server.baseUrl,
    orgName: server.orgName,
    partitionGlobalId: server.partitionGlobalId,
    ensureAdminClient: (o) => server.ensureAdminClient(o),
  });
  const dispatch = createDispatch(createHandlers(services), {
    currentOrganisation: () => services.organisations.current(),
  });
  const expiryWatch = options.notifier ? watchExpiringSecrets(services.expiry, options.notifier) : null;
  return {
    dispatch,
    events,
    async stop() {
      expiryWatch?.stop();
      await services.stop();
      services.pending.clear();
      await services.closeClipboard();
      services.organisations.forgetSecretsInMemory();
    },
  };
}

function contextOf(
  opened: OpenedServices,
  local: { baseUrl: string },
  door: OwnerDoor,
  workspace: Workspace,
  cleanUp: () => Promise<void>,
): AppContext {
  let closing: Promise<void> | null = null;
  return {
    // A call that arrives while the app closes (a window's call at quit) is answered, not run against a workspace
    // being closed.
    dispatch: (operation, input) =>
      closing
        ? Promise.resolve({ ok: false, error: new AppError('internal', 'OAuth Desk is closing.').toJSON() })
        : opened.dispatch(operation, input),
    events: opened.events,
    local,
    door,
    workspaceRecovered: workspace.recovered,
    readOnly: null,
    close() {
      closing ??= (async () => {
        await door.close('OAuth Desk is closing.');
        await opened.stop();
        await cleanUp();
      })();
      return closing;
    },
  };
}
