// Builds the typed `window.api` from the contract over any `invoke` (Electron IPC, or the e2e test bridge).
// It exposes exactly the contract's operations and turns an error envelope back into an AppError.
import { AppError, type Result } from '../shared/errors';
import { channelOf, operationNames, type OperationName, type OutputOf, type RawInputOf } from '../shared/contract';

export type Invoke = (channel: string, input: unknown) => Promise<Result<unknown>>;

export type Api = {
  [K in OperationName]: (input: RawInputOf<K>) => Promise<OutputOf<K>>;
};

export function createApi(invoke: Invoke): Api {
  const api: Partial<Record<OperationName, (input: unknown) => Promise<unknown>>> = {};
  for (const name of operationNames) {
    api[name] = async (input: unknown) => {
      const result = await invoke(channelOf(name), input ?? {});
      if (result.ok) return result.value;
      throw AppError.from(result.error);
    };
  }
  return Object.freeze(api) as Api;
}
