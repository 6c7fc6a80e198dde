// The app context: opens the workspace, starts (or attaches to) the local Identity Server, bootstraps the local
// tenant and builds the one dispatch every door uses. Electron, the CLI and the e2e bridge each open one.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RateLimits, RunningIdentityServer } from '../identity-server/server';
import { AppError } from '../shared/errors';
import { createDispatch, type Dispatch } from './dispatch';
import { resolveKeychainService, resolveLocalPort } from '../node/home';
import { createKeytarKeychain } from './keychain/keytar';
import type { BrowserOpener, ChooseSavePath, Clipboard, Keychain, Notifier } from './ports';
import { watchExpiringSecrets } from './services/expiry';
import { eventBus, type EventBus } from './events';
import { createHandlers, createServices, type LocalServer } from './services/index';
import { openWorkspace, type Workspace } from './workspace/workspace';

/** The ports a door plugs its adapters into; the CLI names them from here, its one way into main. */
export type { BrowserOpener, ChooseSavePath, Clipboard, Keychain, Notifier } from './ports';

export interface AppContextOptions {
  /** The data folder: workspace.db, the embedded server's folder and server.json live here. */
  home: string;
  /** Port of the local Identity Server; 0 picks a free one. Default: OAUTH_DESK_PORT or 43110. */
  port?: number;
  /** The organisation the local Identity Server plays (`oauth-desk server --org`); default 'local'. */
  orgName?: string;
  keychain?: Keychain;
  /** Default: OAUTH_DESK_KEYCHAIN_SERVICE or 'oauth-desk'. */
  keychainService?: string;
  rateLimits?: Partial<RateLimits>;
  /** Use the server another process of this data folder is running, instead of starting one (the CLI, the app). */
  reuseRunningServer?: boolean;
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
  /** How often an offline organisation is asked again (default 15 s); tests shorten it. */
  offlineRetryMs?: number;
}

export interface AppContext {
  dispatch: Dispatch;
  /** The contract's events as main raises them: each door that listens passes them on (IPC, the e2e bridge). */
  events: EventBus;
  local: { baseUrl: string; reused: boolean };
  /** Why the workspace file was moved aside and a new one started (corrupt, another program's, newer); else null. */
  workspaceRecovered: string | null;
  close(): Promise<void>;
}

/** What a process serving the local tenant writes to `${home}/server.json`, so others of the same home find it. */
const ServerFile = z.object({
  pid: z.number().int(),
  baseUrl: z.string(),
  orgName: z.string(),
  partitionGlobalId: z.string(),
});
type ServerFile = z.infer<typeof ServerFile>;

export function serverFilePath(home: string): string {
  return join(home, 'server.json');
}

export function identityServerDataDir(home: string): string {
  return join(home, 'identity-server');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The local server another process of this home is running, if its process lives and its discovery answers. */
async function findRunningServer(home: string): Promise<ServerFile | null> {
  let file: ServerFile;
  try {
    const parsed = ServerFile.safeParse(JSON.parse(readFileSync(serverFilePath(home), 'utf8')));
    if (!parsed.success) return null;
    file = parsed.data;
  } catch {
    return null;
  }
  if (!isAlive(file.pid)) return null;
  try {
    const issuer = `${file.baseUrl}/identity_`;
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return null;
    const discovery = (await response.json()) as { issuer?: unknown };
    return discovery.issuer === issuer ? file : null;
  } catch {
    return null;
  }
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
        'tenant_unreachable',
        `Port ${port} is already used by another program, so the local Identity Server cannot start. Set OAUTH_DESK_PORT to a free port.`,
      );
    throw error;
  }
}

export async function openAppContext(options: AppContextOptions): Promise<AppContext> {
  const { home } = options;
  const keychain = options.keychain ?? createKeytarKeychain();
  const keychainService = options.keychainService ?? resolveKeychainService();
  const port = options.port ?? resolveLocalPort();

  // Asked first: the running server answers over loopback while this process opens the workspace.
  const runningServer = options.reuseRunningServer ? findRunningServer(home) : Promise.resolve(null);
  const workspace: Workspace = openWorkspace(home);
  let server: RunningIdentityServer | null = null;
  let ownsServerFile = false;

  const cleanUp = async () => {
    if (ownsServerFile) {
      // Only this process's own file: another process may have taken over the home since.
      try {
        const current = ServerFile.safeParse(JSON.parse(readFileSync(serverFilePath(home), 'utf8')));
        if (current.success && current.data.pid === process.pid && current.data.baseUrl === server?.baseUrl)
          rmSync(serverFilePath(home), { force: true });
      } catch {
        // Already gone.
      }
      ownsServerFile = false;
    }
    if (server) await server.close();
    server = null;
    workspace.close();
  };

  try {
    const running = await runningServer;
    let local: LocalServer;
    if (running) {
      local = { baseUrl: running.baseUrl, orgName: running.orgName, partitionGlobalId: running.partitionGlobalId };
    } else {
      const started = await startLocalServer(home, port, options.rateLimits, options.orgName);
      server = started;
      local = {
        baseUrl: started.baseUrl,
        orgName: started.orgName,
        partitionGlobalId: started.partitionGlobalId,
        ensureAdminClient: (o) => started.ensureAdminClient(o),
      };
    }

    const events = eventBus();
    const services = createServices({
      workspace,
      events,
      keychain,
      keychainService,
      clipboard: options.clipboard,
      clipboardClearAfterSeconds: options.clipboardClearAfterSeconds,
      chooseSavePath: options.chooseSavePath,
      openBrowser: options.openBrowser,
      connectivity: { retryMs: options.offlineRetryMs },
      // Known only when this process runs the server; another process's limits are unknown, so UiPath's are assumed.
      localRateLimits: running ? undefined : options.rateLimits,
    });
    await services.tenants.bootstrapLocal(local);

    if (server) {
      const file: ServerFile = {
        pid: process.pid,
        baseUrl: server.baseUrl,
        orgName: server.orgName,
        partitionGlobalId: server.partitionGlobalId,
      };
      writeFileSync(serverFilePath(home), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
      ownsServerFile = true;
    }

    const dispatch = createDispatch(createHandlers(services), { currentTenant: () => services.tenants.current() });
    const expiryWatch = options.notifier ? watchExpiringSecrets(services.expiry, options.notifier) : null;
    let closing: Promise<void> | null = null;
    return {
      // A call that arrives while the app closes (a window's status poll at quit) is answered, not run against a
      // workspace being closed.
      dispatch: (operation, input) =>
        closing
          ? Promise.resolve({ ok: false, error: new AppError('internal', 'OAuth Desk is closing.').toJSON() })
          : dispatch(operation, input),
      events,
      local: { baseUrl: local.baseUrl, reused: running !== null },
      workspaceRecovered: workspace.recovered,
      close() {
        closing ??= (async () => {
          expiryWatch?.stop();
          await services.stop();
          services.pending.clear();
          await services.closeClipboard();
          services.tenants.forgetSecretsInMemory();
          await cleanUp();
        })();
        return closing;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * Runs the local tenant's Identity Server in this process (`oauth-desk server`), refusing when another process
 * of the same data folder already serves it.
 */
export async function serveLocalTenant(options: Omit<AppContextOptions, 'reuseRunningServer'>): Promise<AppContext> {
  const running = await findRunningServer(options.home);
  if (running)
    throw new AppError(
      'server_error',
      `The local Identity Server of this data folder is already running at ${running.baseUrl} (process ${running.pid}).`,
    );
  return openAppContext({ ...options, reuseRunningServer: false });
}
