// Builds `window.api` from the contract over any `invoke` (Electron IPC, or the e2e test bridge), and the
// renderer's throwing view of it. Only values cross the bridge: a thrown error would reach the page as a bare
// Error with its message alone (Electron's contextBridge keeps nothing else), losing the code and the fields.
import { AppError, type Result } from '../shared/errors';
import { channelOf, operationNames, type OperationName, type OutputOf, type RawInputOf } from '../shared/contract';

export type Invoke = (channel: string, input: unknown) => Promise<Result<unknown>>;

/** What the preload exposes: exactly the contract's operations, each answering a value or a typed error. */
export type BridgeApi = {
  [K in OperationName]: (input: RawInputOf<K>) => Promise<Result<OutputOf<K>>>;
};

/** What the renderer's stores call: the same operations, with a typed error thrown as an AppError. */
export type Api = {
  [K in OperationName]: (input: RawInputOf<K>) => Promise<OutputOf<K>>;
};

export function createApi(invoke: Invoke): BridgeApi {
  const api: Partial<Record<OperationName, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of operationNames) api[name] = (input: unknown) => invoke(channelOf(name), input ?? {});
  return Object.freeze(api) as BridgeApi;
}

/** Turns the bridge's answers back into values and AppErrors, on the page's side of the bridge. */
export function unwrapApi(bridge: BridgeApi): Api {
  const api: Partial<Record<OperationName, (input: unknown) => Promise<unknown>>> = {};
  for (const name of operationNames) {
    const call = bridge[name] as (input: unknown) => Promise<Result<unknown>>;
    api[name] = async (input: unknown) => {
      const result = await call(input);
      if (result.ok) return result.value;
      throw AppError.from(result.error);
    };
  }
  return Object.freeze(api) as Api;
}
