// Builds `window.api` from the contract over any `invoke` (Electron IPC, or the e2e test bridge). Only values cross
// the bridge: a thrown error would reach the page as a bare Error with its message alone (Electron's contextBridge
// keeps nothing else), losing the code and the fields. The page unwraps the answers (src/shared/api.ts).
import type { BridgeApi } from '../shared/api';
import type { OperationName } from '../shared/contract';
import type { Result } from '../shared/errors';
import { channelOf, operationNames } from './operations';

export type Invoke = (channel: string, input: unknown) => Promise<Result<unknown>>;

export function createApi(invoke: Invoke): BridgeApi {
  const api: Partial<Record<OperationName, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of operationNames) api[name] = (input: unknown) => invoke(channelOf(name), input ?? {});
  return Object.freeze(api) as BridgeApi;
}
