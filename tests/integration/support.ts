// What the integration tests of the main process share: the desk fixture (a temp data folder, a keychain service of
// the test file's own, a keychain that can be made to refuse, and the app contexts opened on them, all cleaned up
// afterwards), a typed way to call the dispatch, the CLI as a process, and ways to look for secrets in files.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll } from 'vitest';
import { callerOf } from '../../src/shared/api';
import type { Clipboard, Keychain } from '../../src/main/ports';
import { openAppContext, type AppContext, type AppContextOptions } from '../../src/main/context';
import type { Dispatch } from '../../src/main/dispatch';
import type { RunningIdentityServer } from '../../src/identity-server/server';
import { keychainUnavailable } from '../../src/main/keychain/keychain';
import { createKeytarKeychain } from '../../src/main/keychain/keytar';
import { connectToOwner } from '../../src/node/ownerClient';
import { ownerPaths } from '../../src/node/ownerDoor';

export interface Keytar {
  setPassword(service: string, account: string, password: string): Promise<void>;
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}
/** keytar itself, to read back what the app stored the way any other program on the machine would. */
export const keytar = createRequire(import.meta.url)('keytar') as Keytar;

/** What a Secret Service says when none is running, as keytar passes it on. */
export const NO_SECRET_SERVICE =
  'org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files';

/**
 * The real keychain, except that `refusing` makes `set` fail as a Secret Service does when it is not running (or
 * with `refusal`, say a locked collection's message), mapped as the keytar adapter maps it — the one fake the tests
 * allow, since a real refusal cannot be caused on demand.
 */
export function refusableKeychain(): Keychain & { refusing: boolean; refusal: string } {
  const real = createKeytarKeychain();
  const keychain = {
    refusing: false,
    refusal: NO_SECRET_SERVICE,
    async set(service: string, account: string, value: string) {
      if (keychain.refusing) throw keychainUnavailable(new Error(keychain.refusal));
      return real.set(service, account, value);
    },
    get: (service: string, account: string) => real.get(service, account),
    delete: (service: string, account: string) => real.delete(service, account),
  };
  return keychain;
}

export type RefusableKeychain = ReturnType<typeof refusableKeychain>;

/** A typed call of the dispatch: a refusal is thrown as an AppError. */
export type Call = ReturnType<typeof callerOf>;

/** What a test sets of an app context; the desk gives the keychain and its service, and by default the data folder. */
export type DeskOptions = Omit<AppContextOptions, 'home' | 'keychain' | 'keychainService'> & { home?: string };

export interface OpenedDesk {
  context: AppContext;
  call: Call;
}

/** A test file's data folder and keychain service; every context and folder it gives is cleaned up with it. */
export interface DeskHome {
  home: string;
  keychainService: string;
  /** The real keychain, able to refuse on demand; every context of the desk uses it. */
  keychain: RefusableKeychain;
  /** An app context on the desk's data folder (or `options.home`), on a free port: a start of the app. */
  open(options?: DeskOptions): Promise<OpenedDesk>;
  /** Another temp folder (an export's destination, a second data folder). */
  tempDir(): string;
  /** Closes every context still open, empties the keychain service and removes the folders. */
  cleanup(): Promise<void>;
}

/** A desk with its context opened. */
export type Desk = DeskHome & OpenedDesk;

function deskHome(): DeskHome {
  const folders: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-desk-it-'));
    folders.push(dir);
    return dir;
  };
  const home = tempDir();
  const keychainService = `oauth-desk-test-${randomBytes(4).toString('hex')}`;
  const keychain = refusableKeychain();
  const contexts: AppContext[] = [];
  /** Every data folder an app context was opened on: searched for the keychain's values before they are removed. */
  const homes = new Set([home]);
  return {
    home,
    keychainService,
    keychain,
    async open(options = {}) {
      homes.add(options.home ?? home);
      const context = await openAppContext({
        port: 0,
        // Stands in for main's native confirmation dialog: the person says yes unless a test passes its own.
        confirm: { confirm: () => Promise.resolve(true) },
        ...options,
        home: options.home ?? home,
        keychain,
        keychainService,
      });
      contexts.push(context);
      return { context, call: callerOf(context.dispatch) };
    },
    tempDir,
    async cleanup() {
      for (const context of contexts.splice(0)) await context.close();
      // A background owner a CLI command started leaves with the test file, not ten idle minutes later.
      for (const folder of new Set([home, ...homes])) await stopBackgroundOwner(folder);
      const kept = await keytar.findCredentials(keychainService);
      // Whatever the test file did, no value the keychain holds may be in a file of a data folder (logs included).
      const leaks = [...homes].flatMap((folder) =>
        existsSync(folder)
          ? filesContaining(
              folder,
              kept.map((c) => c.password),
            )
          : [],
      );
      for (const { account } of kept) await keytar.deletePassword(keychainService, account);
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
      if (leaks.length > 0) throw new Error(`A secret value was found in: ${leaks.join(', ')}`);
    },
  };
}

/** Asks the background owner of `folder`, if one runs, to leave; resolves once it has closed its door. */
export async function stopBackgroundOwner(folder: string): Promise<void> {
  const owner = await connectToOwner(ownerPaths(folder), folder).catch(() => null);
  if (!owner) return;
  if (owner.hello.kind === 'background') await owner.handOver();
  else owner.close();
}

/** The desk of a test file whose tests open their own contexts (restarts, a second process); cleaned up after all. */
export function useDeskHome(): DeskHome {
  const desk = deskHome();
  afterAll(() => desk.cleanup());
  return desk;
}

/** The desk of a test file, its context opened before all tests with `options`, and everything cleaned up after. */
export function useDesk(options: DeskOptions = {}): Desk {
  const desk = useDeskHome();
  let opened: OpenedDesk | null = null;
  beforeAll(async () => {
    opened = await desk.open(options);
  });
  const current = (): OpenedDesk => {
    if (!opened) throw new Error('The desk opens its context in beforeAll; use it inside a test.');
    return opened;
  };
  return {
    ...desk,
    get context() {
      return current().context;
    },
    call: (operation, input) => current().call(operation, input),
  };
}

/** A clipboard held in memory, in place of Electron's, whose binary cannot run where the tests do. */
export function memoryClipboard(): Clipboard & { text: string } {
  const clipboard = {
    text: '',
    writeText(text: string) {
      clipboard.text = text;
    },
    readText() {
      return clipboard.text;
    },
    clear() {
      clipboard.text = '';
    },
  };
  return clipboard;
}

/** Calls an operation through the dispatch; a typed error becomes a thrown AppError. */
export function caller(dispatch: Dispatch) {
  return callerOf(dispatch);
}

/** The files under `dir` (every depth, WAL and journal files included) whose bytes contain any of `values`. */
export function filesContaining(dir: string, values: readonly string[]): string[] {
  const needles = values.filter((v) => v.length > 0).map((v) => Buffer.from(v, 'utf8'));
  const hits: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      // A file a running owner just replaced (its compile cache writes through temporary files) is gone: skipped.
      const stats = statSync(full, { throwIfNoEntry: false });
      if (!stats) continue;
      if (stats.isDirectory()) walk(full);
      // The owner's socket is no file to read; everything else is.
      else if (stats.isFile()) {
        const bytes = readFileSync(full, { flag: 'r' });
        if (needles.some((n) => bytes.includes(n))) hits.push(full);
      }
    }
  };
  walk(dir);
  return hits;
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** An OAuth client library's view of an application, as an integration holding `secret` configures it. */
export function oauthClient(issuer: string, clientId: string, secret: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, secret, oidc.ClientSecretPost(secret), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** A port free on the loopback now: fixed for a test file, as a user's is, so URLs stay the same between commands. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

export interface CliRun {
  /** The exit code; -1 when a signal ended the process. */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The oauth-desk CLI as a script runs it: one process per command, on the desk's data folder and keychain service.
 * `until` ends a command with SIGKILL as soon as its stderr matches, as a crash at that point would. `bin` is the
 * source checkout's by default, or an installed one.
 */
export function cliOf(desk: Pick<DeskHome, 'home' | 'keychainService'>, port: number, bin = 'bin/oauth-desk.mjs') {
  return (args: string[], env: Record<string, string> = {}, stdin = '', until?: RegExp): Promise<CliRun> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: {
          ...process.env,
          OAUTH_DESK_HOME: desk.home,
          OAUTH_DESK_PORT: String(port),
          OAUTH_DESK_KEYCHAIN_SERVICE: desk.keychainService,
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (until?.test(stderr)) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        resolve({ code: code ?? -1, signal, stdout, stderr });
      });
      child.stdin.end(stdin);
    });
}

/**
 * A second embedded server playing a remote organisation, added to a desk as organisation `id` with its own admin
 * application (its first secret, issued now) as the sign-in.
 */
export async function addServerAsOrganisation(
  call: Call,
  server: RunningIdentityServer,
  id = server.orgName,
): Promise<void> {
  const admin = await server.ensureAdminClient();
  if (!admin.secret) throw new Error(`${server.orgName} issued no admin secret on its first start`);
  await call('addOrganisation', {
    id,
    baseUrl: server.baseUrl,
    orgName: server.orgName,
    signIn: { method: 'adminApp', clientId: admin.clientId, clientSecret: admin.secret.value },
  });
}
