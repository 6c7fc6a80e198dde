// The sandboxed preload: exposes `window.api` with exactly the contract's operations, and nothing raw.
// Built into one self-contained CommonJS file (out/preload/index.cjs): a sandboxed preload can require only electron.
import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../shared/errors';
import { EVENT_CHANNEL, type EventMessage } from '../shared/eventChannel';
import { createApi } from './api';

contextBridge.exposeInMainWorld(
  'api',
  createApi(
    (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
    (listener) => {
      const heard = (_event: unknown, message: EventMessage) => listener(message);
      ipcRenderer.on(EVENT_CHANNEL, heard);
      return () => {
        ipcRenderer.removeListener(EVENT_CHANNEL, heard);
      };
    },
  ),
);
