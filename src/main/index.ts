// The Electron entry point: wires the app context, the IPC door and the window together. Every decision it acts
// on (window options, which URL is ours, which frame is trusted, which file is served) lives in window.ts and
// security.ts; this file only connects them to Electron.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  net,
  Notification,
  protocol,
  session,
  shell,
  type WebContents,
} from 'electron';
import { AppError } from '../shared/errors';
import { openAppContext } from './context';
import { resolveHome } from '../node/home';
import { forwardEvents, registerIpc } from './ipc';
import { appAssetPath, denyWindowOpen, isPermissionGranted } from './security';
import { isSafeExternalUrl } from '../shared/externalUrl';
import { APP_SCHEME, isAppUrl, rendererUrl, windowOptions, withSecurityHeaders } from './window';

const outDir = join(import.meta.dirname, '..');
const preloadPath = join(outDir, 'preload', 'index.cjs');
const rendererDir = join(outDir, 'renderer');
const appUrl = rendererUrl({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL });

type AppContext = Awaited<ReturnType<typeof openAppContext>>;
let context: AppContext | null = null;
let mainWindow: BrowserWindow | null = null;

// Every renderer is sandboxed, whatever a window's own options say.
app.enableSandbox();
// Must happen before `ready`: the app scheme behaves like https (its own origin, secure context, fetch).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // Another OAuth Desk owns this data folder and the local port; it focuses its window (below) and we leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guard(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (context && BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
  app.on('will-quit', (event) => {
    if (!context) return;
    // Close the workspace and the embedded Identity Server before the process ends, then quit for real.
    event.preventDefault();
    const closing = context;
    context = null;
    void closing.close().finally(() => app.quit());
  });
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appAssetPath(request.url, rendererDir);
    if (!file) return withSecurityHeaders(new Response('Not found', { status: 404 }));
    return withSecurityHeaders(await net.fetch(pathToFileURL(file).toString()));
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl, appUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, appUrl),
  );
  try {
    // Port and keychain service come from home.ts's defaults (OAUTH_DESK_PORT, OAUTH_DESK_KEYCHAIN_SERVICE).
    // The app owns the data folder: a background owner the CLI started hands over to it; `oauth-desk server`
    // running on the same folder is named in the error below. The CLI then works through this process's socket.
    context = await openAppContext({
      home: resolveHome(app.getPath('userData')),
      ownerKind: 'desktop',
      // Copied secrets go to the OS clipboard from main, never through the window.
      clipboard,
      chooseSavePath: async (suggestedName) => {
        const defaultPath = join(app.getPath('downloads'), suggestedName);
        const answer = mainWindow
          ? await dialog.showSaveDialog(mainWindow, { defaultPath })
          : await dialog.showSaveDialog({ defaultPath });
        return answer.canceled || !answer.filePath ? null : answer.filePath;
      },
      // Expiring secrets: one OS notification, where the OS offers them (expiryNotice decides whether and what).
      notifier: {
        notify: (title, body) => {
          if (Notification.isSupported()) new Notification({ title, body }).show();
        },
      },
      // "Sign in with my account" happens in the user's own browser, never in a window of the app.
      openBrowser: {
        open: async (url) => {
          if (!isSafeExternalUrl(url))
            throw new AppError('invalid_input', 'Only an http or https address is opened in the browser.');
          await shell.openExternal(url);
        },
      },
      // Main's own question, drawn by the OS and not by the page: organisation-admin grants, a new host.
      confirm: {
        confirm: async ({ title, message, detail }) => {
          const options = { type: 'warning' as const, title, message, detail, buttons: ['Cancel', 'Confirm'] };
          const shown = { ...options, defaultId: 0, cancelId: 0, noLink: true };
          const answer = mainWindow
            ? await dialog.showMessageBox(mainWindow, shown)
            : await dialog.showMessageBox(shown);
          return answer.response === 1;
        },
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('OAuth Desk could not start', reason);
    app.exit(1);
    return;
  }
  registerIpc(context.dispatch, appUrl);
  // Main speaks first: its events go to the app's own window, while there is one.
  forwardEvents(context.events, (channel, message) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, message);
  });
  await openWindow();
  const recovered = context.workspaceRecovered;
  if (recovered && mainWindow)
    void dialog.showMessageBox(mainWindow, { type: 'warning', message: 'The workspace was reset', detail: recovered });
  // A data folder it may only read: the window shows the workspace's cache, and every change is refused with this line.
  if (context.readOnly && mainWindow)
    void dialog.showMessageBox(mainWindow, { type: 'info', message: 'Changes are disabled', detail: context.readOnly });
}

async function openWindow(): Promise<void> {
  const window = new BrowserWindow(windowOptions(preloadPath));
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  await window.loadURL(appUrl);
}

/** Applies the same navigation rules to every web contents the app ever creates. */
function guard(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The page opens nothing: its few links go through the openLink operation, whose addresses main builds itself.
  contents.setWindowOpenHandler(denyWindowOpen);
  // The page refuses to unload while an edit is unsaved; Electron shows nothing by itself, so ask here.
  contents.on('will-prevent-unload', (event) => {
    const window = BrowserWindow.fromWebContents(contents);
    const options = {
      type: 'question' as const,
      buttons: ['Keep editing', 'Discard'],
      defaultId: 0,
      cancelId: 0,
      title: 'Unsaved changes',
      message: 'Discard unsaved changes?',
      detail: 'The application you are editing has changes that are not saved.',
    };
    const choice = window ? dialog.showMessageBoxSync(window, options) : dialog.showMessageBoxSync(options);
    // preventDefault here overrides the page's refusal: the window closes and the changes are dropped.
    if (choice === 1) event.preventDefault();
  });
}
