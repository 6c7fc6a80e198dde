// Types of electron.mjs, the recording stand-in for `electron`, as the test that drives it reads it.
import type { EventEmitter } from 'node:events';

export interface Recorded {
  api: string;
  args: unknown[];
}

export interface StandinEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export interface StandinWebContents extends EventEmitter {
  url: string;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null;
}

export interface StandinWindow extends EventEmitter {
  options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>;
  webContents: StandinWebContents;
  isDestroyed(): boolean;
}

export type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string },
) => void;
export type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string) => boolean;
export type IpcHandler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

export const app: EventEmitter & { quit(): void };
export const ipcRenderer: EventEmitter;
export const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };

export const standin: {
  calls: Recorded[];
  windows: StandinWindow[];
  schemeHandlers: Map<string, (request: Request) => Promise<Response>>;
  permissionHandlers: { request: PermissionRequestHandler | null; check: PermissionCheckHandler | null };
  ipcHandlers: Map<string, IpcHandler>;
  mainWorld: Map<string, unknown>;
  ready(): void;
  quitted: Promise<number>;
};

declare const electron: Record<string, unknown>;
export default electron;
