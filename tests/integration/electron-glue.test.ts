// The Electron glue as built: out/main/index.js runs in plain Node with `electron` resolved to a recording stand-in
// (tests/electron-standin/), against a real data folder, keychain and embedded Identity Server. Each test checks one
// wall the glue puts up, through what the glue itself installed (its handlers, its window's options), so that a glue
// that drops the wall fails here even though the pure decisions it should call are proven elsewhere.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, operationNames } from '../../src/shared/contract';
import { ownerPaths } from '../../src/node/ownerDoor';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY } from '../../src/main/window';
import type * as Electron from '../electron-standin/electron.mjs';
import type * as Hooks from '../electron-standin/hooks.mjs';
import { useDeskHome } from './support';

const root = join(import.meta.dirname, '..', '..');
const mainEntry = join(root, 'out', 'main', 'index.js');
const preloadFile = join(root, 'out', 'preload', 'index.cjs');
const rendererDir = join(root, 'out', 'renderer');
const hooksFile = join(root, 'tests', 'electron-standin', 'hooks.mjs');
/** Node's own require: the hooks load past vitest's module runner, and so do the built files they import. */
const nodeRequire = createRequire(import.meta.url);

const desk = useDeskHome();
let electron: typeof Electron;
/** Whether the stand-in and the glue were loaded: the app is quit after all tests, if the last one did not. */
let glueLoaded = false;
/** The calls the glue made before the test said `ready`. */
let beforeReady: string[] = [];

type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
interface Organisation {
  id: string;
  baseUrl: string;
}

/** The sources the main and preload bundles are built from. */
const BUNDLED = ['src/main', 'src/preload', 'src/shared', 'src/node', 'src/identity-server'];

function newestChange(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs;
    }),
  );
}

/** npm test builds before vitest runs; a run of this file alone builds first when the bundles are missing or older. */
function ensureBuilt(): void {
  const outputs = [mainEntry, preloadFile, join(rendererDir, 'index.html')];
  const sources = Math.max(...BUNDLED.map((dir) => newestChange(join(root, dir))));
  if (outputs.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources)) return;
  const built = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (built.status !== 0) throw new Error(`electron-vite build failed (status ${String(built.status)})`);
}

function calls(api: string): Electron.Recorded[] {
  return electron.standin.calls.filter((call) => call.api === api);
}

/** Why the built main process failed to load or start, once it has. */
let startFailure: unknown = null;

async function until(what: string, done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 50) {
    if (startFailure) throw startFailure as Error;
    const failed = calls('dialog.showErrorBox')[0];
    if (failed) throw new Error(`The app did not start: ${failed.args.join(': ')}`);
    if (waited > 30_000) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Calls main's handler of an operation as a message from `senderFrame` would reach it. */
function invoke(operation: string, input: unknown, senderFrame: { url: string; parent: unknown } | null) {
  const handler = electron.standin.ipcHandlers.get(channelOf(operation as (typeof operationNames)[number]));
  if (!handler) throw new Error(`No IPC handler for ${operation}`);
  return handler({ senderFrame }, input) as Promise<Answer>;
}

const fromApp = { url: APP_ENTRY_URL, parent: null };

async function localOrganisation(): Promise<Organisation> {
  const answer = await invoke('listOrganisations', {}, fromApp);
  if (!answer.ok) throw new Error(answer.error.message);
  return (answer.value as Organisation[]).find((organisation) => organisation.id === 'local')!;
}

/** What the app scheme answers for `url`: a response, or 'refused' when the request fails (nothing served). */
async function serve(url: string) {
  const handler = electron.standin.schemeHandlers.get('app')!;
  try {
    const response = await handler(new Request(url));
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch {
    return 'refused' as const;
  }
}

beforeAll(async () => {
  ensureBuilt();
  Object.assign(process.env, {
    OAUTH_DESK_HOME: desk.home,
    OAUTH_DESK_PORT: '0',
    OAUTH_DESK_KEYCHAIN_SERVICE: desk.keychainService,
    OAUTH_DESK_STANDIN_PATHS: desk.tempDir(),
  });
  delete process.env.ELECTRON_RENDERER_URL;
  const hooks = nodeRequire(hooksFile) as typeof Hooks;
  electron = (await hooks.importNatively('electron')) as typeof Electron;
  glueLoaded = true;
  const loaded = hooks.importNatively(pathToFileURL(mainEntry).href).catch((error: unknown) => {
    startFailure = error;
  });
  await until('the glue to wait for ready', () => calls('app.whenReady').length > 0);
  beforeReady = electron.standin.calls.map((call) => call.api);
  electron.standin.ready();
  await loaded;
  await until('the window to show', () => calls('BrowserWindow.show').length > 0);
}, 180_000);

afterAll(async () => {
  if (!glueLoaded) return;
  electron.app.quit();
  await electron.standin.quitted;
});

describe('the Electron glue, built, under a recording stand-in for electron', () => {
  it('turns the sandbox on and registers the app scheme as privileged before ready', () => {
    expect(beforeReady).toContain('app.enableSandbox');
    expect(beforeReady).toContain('protocol.registerSchemesAsPrivileged');
    expect(calls('app.enableSandbox')).toHaveLength(1);
    const [schemes] = calls('protocol.registerSchemesAsPrivileged')[0]!.args;
    expect(schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    ]);
  });

  it('takes the single-instance lock: a second instance quits without starting, the first one comes forward', async () => {
    expect(calls('app.requestSingleInstanceLock').map((call) => call.args)).toEqual([[true]]);
    const record = join(desk.tempDir(), 'second-instance.json');
    const env = { ...process.env, OAUTH_DESK_STANDIN_LOCK: 'held', OAUTH_DESK_STANDIN_RECORD: record };
    await promisify(execFile)(process.execPath, ['--import', hooksFile, mainEntry], { env, timeout: 30_000 });
    const second = (JSON.parse(readFileSync(record, 'utf8')) as Electron.Recorded[]).map((call) => call.api);
    expect(second).toContain('app.requestSingleInstanceLock');
    expect(second).toContain('app.quit');
    for (const started of ['app.whenReady', 'protocol.handle', 'ipcMain.handle', 'new BrowserWindow'])
      expect(second).not.toContain(started);

    const focused = calls('BrowserWindow.focus').length;
    electron.app.emit('second-instance', { preventDefault: () => undefined }, [], root);
    expect(calls('BrowserWindow.focus')).toHaveLength(focused + 1);
  });

  it('opens one window with every renderer protection on and the built preload, on the app scheme', () => {
    expect(electron.standin.windows).toHaveLength(1);
    const { webPreferences } = electron.standin.windows[0]!.options;
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(webPreferences!.preload).toBe(preloadFile);
    expect(existsSync(preloadFile)).toBe(true);
    expect(calls('BrowserWindow.loadURL').map((call) => call.args[0])).toEqual([APP_ENTRY_URL]);
  });

  it('sends the CSP and nosniff with every app:// answer, the page and a refusal alike', async () => {
    const page = await serve(APP_ENTRY_URL);
    const elsewhere = await serve('app://elsewhere/index.html');
    if (page === 'refused' || elsewhere === 'refused') throw new Error('The page was not served');
    expect(page.status).toBe(200);
    expect(page.body).toBe(readFileSync(join(rendererDir, 'index.html'), 'utf8'));
    expect(elsewhere.status).toBe(404);
    for (const { headers } of [page, elsewhere]) {
      expect(headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves nothing outside the built renderer to a traversal, encoded or absolute path', async () => {
    const attacks = [
      'app://x/../../etc/passwd',
      'app://oauth-desk/../../etc/passwd',
      'app://oauth-desk/%2e%2e/%2e%2e/etc/passwd',
      'app://oauth-desk/%2e%2e%2fmain%2findex.js',
      'app://oauth-desk/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      `app://oauth-desk/${encodeURIComponent(mainEntry)}`,
      'app://oauth-desk//etc/passwd',
      'app://oauth-desk/%2e%2e%5cmain%5cindex.js',
      'app://oauth-desk/index.html%00.js',
      'file:///etc/passwd',
    ];
    const fetchedBefore = calls('net.fetch').length;
    for (const attack of attacks) {
      const answer = await serve(attack);
      if (answer !== 'refused') expect({ attack, status: answer.status }).toEqual({ attack, status: 404 });
    }
    // Whatever main asked the file system for, it was inside the renderer folder.
    for (const { args } of calls('net.fetch').slice(fetchedBefore)) {
      const inside = relative(rendererDir, fileURLToPath(String(args[0])));
      expect(inside.startsWith(`..${sep}`) || inside === '..').toBe(false);
    }
  });

  it('grants no permission but clipboard writing to its own page, and no other origin anything', () => {
    const { request, check } = electron.standin.permissionHandlers;
    const requested = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      request!({}, permission, (answer) => (granted = answer), { requestingUrl });
      return granted;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi']) {
      expect({ permission, granted: requested(permission, APP_ENTRY_URL) }).toEqual({ permission, granted: false });
      expect({ permission, granted: check!({}, permission, 'app://oauth-desk') }).toEqual({
        permission,
        granted: false,
      });
    }
    expect(requested('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(check!({}, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(requested('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
  });

  it('lets the window neither navigate nor redirect away, attach a webview, nor open any window', () => {
    const contents = electron.standin.windows[0]!.webContents;
    const prevented = (name: string, url?: string) => {
      const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
      contents.emit(name, event, url);
      return event.defaultPrevented;
    };
    for (const away of ['https://evil.example/', 'file:///etc/passwd', 'app://elsewhere/index.html']) {
      expect({ away, prevented: prevented('will-navigate', away) }).toEqual({ away, prevented: true });
      expect({ away, prevented: prevented('will-redirect', away) }).toEqual({ away, prevented: true });
    }
    expect(prevented('will-navigate', `${APP_ENTRY_URL}#/apps`)).toBe(false);
    expect(prevented('will-attach-webview')).toBe(true);
    for (const url of ['https://example.com/', APP_ENTRY_URL])
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
  });

  it('answers on exactly the contract’s channels, and refuses a frame that is not the app’s own main frame', async () => {
    expect([...electron.standin.ipcHandlers.keys()].sort()).toEqual(operationNames.map(channelOf).sort());
    const strangers = [
      { url: 'https://evil.example/', parent: null },
      { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } },
      { url: 'file:///work/out/renderer/index.html', parent: null },
      null,
    ];
    for (const frame of strangers) {
      const answer = await invoke('listOrganisations', {}, frame);
      expect({ frame, answer }).toMatchObject({ frame, answer: { ok: false, error: { code: 'forbidden' } } });
    }
    expect(await invoke('listOrganisations', {}, fromApp)).toMatchObject({ ok: true });
  });

  it('the built preload, run in a vm, exposes exactly the contract and round-trips a call to main', async () => {
    const sandbox = vm.createContext({
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`A sandboxed preload cannot require ${name}`);
        return electron;
      },
      module: { exports: {} },
    });
    vm.runInContext(readFileSync(preloadFile, 'utf8'), sandbox, { filename: preloadFile });
    expect([...electron.standin.mainWorld.keys()]).toEqual(['api']);
    const api = electron.standin.mainWorld.get('api') as Record<string, (input: unknown) => Promise<Answer>>;
    expect(Object.keys(api).sort()).toEqual([...operationNames, 'on'].sort());

    const invoked = calls('ipcRenderer.invoke').length;
    const answer = await api.listOrganisations!({});
    expect(
      calls('ipcRenderer.invoke')
        .slice(invoked)
        .map((call) => call.args[0]),
    ).toEqual([channelOf('listOrganisations')]);
    expect(answer).toMatchObject({ ok: true, value: [{ id: 'local', baseUrl: (await localOrganisation()).baseUrl }] });
  });

  it('a clean quit closes the embedded Identity Server and the owner’s socket', async () => {
    const { baseUrl } = await localOrganisation();
    const socket = ownerPaths(desk.home).socket;
    expect((await fetch(baseUrl)).status).toBeGreaterThan(0);
    await expect(reaches(socket)).resolves.toBe(true);

    electron.app.quit();
    await expect(electron.standin.quitted).resolves.toBe(0);

    await expect(fetch(baseUrl)).rejects.toThrow();
    await expect(reaches(socket)).resolves.toBe(false);
  });
});

/** Whether a connection to the socket at `path` is accepted. */
function reaches(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = connect(path);
    connection.once('connect', () => {
      connection.destroy();
      resolve(true);
    });
    connection.once('error', () => resolve(false));
  });
}
