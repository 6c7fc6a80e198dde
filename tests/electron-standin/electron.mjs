// A recording stand-in for the `electron` module, so the built main process (out/main/index.js) and the built preload
// run in plain Node: every call they make to Electron is recorded in order, each handler they install is kept for the
// test to call, and `app.whenReady()` resolves only when the test says the app is ready. hooks.mjs makes `electron`
// resolve here. In a child process, OAUTH_DESK_STANDIN_LOCK=held makes the single-instance lock already taken, and
// OAUTH_DESK_STANDIN_RECORD names a file the calls are written to as JSON when the process exits.
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @type {{ api: string, args: unknown[] }[]} */
const calls = [];
const record = (api, ...args) => void calls.push({ api, args });

/** An Electron event: its default action happens unless a listener prevents it. */
function electronEvent() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

const readiness = Promise.withResolvers();
const quitting = Promise.withResolvers();
/** Every BrowserWindow made, in order. */
const windows = [];
let lockTaken = process.env.OAUTH_DESK_STANDIN_LOCK === 'held';
let readyYet = false;

class App extends EventEmitter {
  isPackaged = false;
  enableSandbox() {
    record('app.enableSandbox');
  }
  requestSingleInstanceLock() {
    const granted = !lockTaken;
    lockTaken = true;
    record('app.requestSingleInstanceLock', granted);
    return granted;
  }
  whenReady() {
    record('app.whenReady');
    return readiness.promise;
  }
  isReady() {
    return readyYet;
  }
  getPath(name) {
    record('app.getPath', name);
    return join(process.env.OAUTH_DESK_STANDIN_PATHS ?? tmpdir(), name);
  }
  /** Electron's order: before-quit, the windows close, will-quit, quit; a prevented event stops the quit there. */
  quit() {
    record('app.quit');
    const beforeQuit = electronEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    for (const window of [...windows]) if (!window.isDestroyed()) window.destroy();
    const willQuit = electronEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    record('quit');
    this.emit('quit', electronEvent(), 0);
    quitting.resolve(0);
  }
  exit(code = 0) {
    record('app.exit', code);
    quitting.resolve(code);
  }
}
export const app = new App();

class WebContents extends EventEmitter {
  /** The URL the window loaded: its main frame's. */
  url = '';
  windowOpenHandler = null;
  setWindowOpenHandler(handler) {
    record('webContents.setWindowOpenHandler');
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.url;
  }
  get mainFrame() {
    return { url: this.url, parent: null };
  }
  /** Main's message to the page reaches the preload's listeners, as IPC does. */
  send(channel, ...args) {
    record('webContents.send', channel, ...args);
    ipcRenderer.emit(channel, { sender: ipcRenderer }, ...structuredClone(args));
  }
}

export class BrowserWindow extends EventEmitter {
  #destroyed = false;
  constructor(options) {
    super();
    record('new BrowserWindow', structuredClone(options));
    this.options = options;
    this.webContents = new WebContents();
    windows.push(this);
    app.emit('web-contents-created', electronEvent(), this.webContents);
  }
  static getAllWindows() {
    return windows.filter((window) => !window.isDestroyed());
  }
  static fromWebContents(contents) {
    return windows.find((window) => window.webContents === contents) ?? null;
  }
  loadURL(url) {
    record('BrowserWindow.loadURL', url);
    this.webContents.url = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    record('BrowserWindow.show');
  }
  focus() {
    record('BrowserWindow.focus');
  }
  restore() {
    record('BrowserWindow.restore');
  }
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.#destroyed;
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.emit('closed');
  }
  close() {
    this.destroy();
  }
}

/** Handlers of `protocol.handle`, by scheme. */
const schemeHandlers = new Map();
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => record('protocol.registerSchemesAsPrivileged', structuredClone(schemes)),
  handle(scheme, handler) {
    record('protocol.handle', scheme);
    schemeHandlers.set(scheme, handler);
  },
};

/** Electron's net.fetch of a file: URL reads the file; a missing one fails the request, as net::ERR_FILE_NOT_FOUND. */
export const net = {
  async fetch(url) {
    record('net.fetch', url);
    if (!url.startsWith('file:')) throw new Error(`The stand-in's net.fetch reads only files, not ${url}`);
    try {
      return new Response(await readFile(fileURLToPath(url)), { status: 200 });
    } catch {
      throw new Error('net::ERR_FILE_NOT_FOUND');
    }
  },
};

const permissionHandlers = { request: null, check: null };
export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      record('session.setPermissionRequestHandler');
      permissionHandlers.request = handler;
    },
    setPermissionCheckHandler(handler) {
      record('session.setPermissionCheckHandler');
      permissionHandlers.check = handler;
    },
  },
};

/** Handlers of `ipcMain.handle`, by channel. */
const ipcHandlers = new Map();
export const ipcMain = {
  handle(channel, handler) {
    record('ipcMain.handle', channel);
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcHandlers.set(channel, handler);
  },
  removeHandler(channel) {
    record('ipcMain.removeHandler', channel);
    ipcHandlers.delete(channel);
  },
};

/**
 * The preload's side: `invoke` reaches main's handler as a call from the first window's main frame would, its input
 * and its answer copied as IPC copies them; main's `webContents.send` reaches `on`'s listeners.
 */
class IpcRenderer extends EventEmitter {
  async invoke(channel, ...args) {
    record('ipcRenderer.invoke', channel);
    const handler = ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const contents = windows[0]?.webContents;
    const event = { sender: contents, senderFrame: contents?.mainFrame ?? null };
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}
export const ipcRenderer = new IpcRenderer();

/** What the preload exposed to the page, by key. */
const mainWorld = new Map();
export const contextBridge = {
  exposeInMainWorld(key, api) {
    record('contextBridge.exposeInMainWorld', key);
    mainWorld.set(key, api);
  },
};

const clipboardText = { text: '' };
export const clipboard = {
  writeText: (text) => void (clipboardText.text = text),
  readText: () => clipboardText.text,
  clear: () => void (clipboardText.text = ''),
};

export const dialog = {
  showSaveDialog: (...args) => (
    record('dialog.showSaveDialog', ...args.slice(-1)),
    Promise.resolve({ canceled: true })
  ),
  showMessageBox: (...args) => (record('dialog.showMessageBox', ...args.slice(-1)), Promise.resolve({ response: 0 })),
  showMessageBoxSync: (...args) => (record('dialog.showMessageBoxSync', ...args.slice(-1)), 0),
  showErrorBox: (title, content) => record('dialog.showErrorBox', title, content),
};

export class Notification {
  static isSupported() {
    return false;
  }
  constructor(options) {
    record('new Notification', options);
  }
  show() {
    record('Notification.show');
  }
}

export const shell = {
  openExternal: (url) => (record('shell.openExternal', url), Promise.resolve()),
};

export const Menu = {
  setApplicationMenu: (menu) => record('Menu.setApplicationMenu', menu),
  buildFromTemplate: (template) => (record('Menu.buildFromTemplate'), { template }),
};

/** The test's side: what was recorded and installed, and the moments only it decides. */
export const standin = {
  calls,
  windows,
  schemeHandlers,
  permissionHandlers,
  ipcHandlers,
  mainWorld,
  /** Resolves `app.whenReady()`, as Electron's `ready` would. */
  ready() {
    record('ready');
    readyYet = true;
    readiness.resolve();
  },
  /** Settles once the app has quit (or exited), with the exit code. */
  quitted: quitting.promise,
};

export default {
  app,
  BrowserWindow,
  protocol,
  net,
  session,
  ipcMain,
  ipcRenderer,
  contextBridge,
  clipboard,
  dialog,
  Notification,
  shell,
  Menu,
};

const recordFile = process.env.OAUTH_DESK_STANDIN_RECORD;
if (recordFile) {
  process.on('exit', () => {
    // Functions and other values JSON cannot hold are left out: the calls' names and plain arguments are what is read.
    writeFileSync(recordFile, JSON.stringify(calls.map(({ api, args }) => ({ api, args: args.map(plain) }))));
  });
}

function plain(value) {
  try {
    return JSON.parse(JSON.stringify(value ?? null));
  } catch {
    return String(value);
  }
}
