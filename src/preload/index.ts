// The sandboxed preload: exposes `window.api` with exactly the contract's operations, and nothing raw.
// Built into one self-contained CommonJS file (out/preload/index.cjs): a sandboxed preload can require only electron.
import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../shared/errors';
import { operationNames, type OperationName } from '../shared/contract';
import { createApi, type Api } from './api';

const api = createApi((channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>);

/**
 * The contextBridge copies a thrown Error as a bare Error with its message only, so an AppError's `code` and
 * `issues` (the fields the wizard marks) would be lost on the way to the page. A plain object survives the copy
 * whole; the page reads `code`, `message` and `issues` from it exactly as from an AppError.
 */
function bridgeable(error: unknown): { name: string; code: string; message: string; issues?: unknown } {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message, issues } = error as { code: unknown; message: unknown; issues?: unknown };
    return {
      name: 'AppError',
      code: String(code),
      message: String(message),
      ...(Array.isArray(issues) ? { issues } : {}),
    };
  }
  return { name: 'AppError', code: 'internal', message: 'Something went wrong in OAuth Desk.' };
}

const exposed = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
for (const name of operationNames) {
  const call = api[name] as (input: unknown) => Promise<unknown>;
  exposed[name] = async (input: unknown) => {
    try {
      return await call(input);
    } catch (error) {
      throw bridgeable(error);
    }
  };
}

contextBridge.exposeInMainWorld('api', Object.freeze(exposed) as Api);
