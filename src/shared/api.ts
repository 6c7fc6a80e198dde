// The contract seen from a caller's side of a door: the bridge's answers (a value or a typed error, never a thrown
// exception) and the unwrapped view that the renderer's stores, the CLI and the tests call, where a refusal is thrown
// as an AppError with its code and fields intact.
import type { EventName, EventOf, OperationName, OutputOf, RawInputOf } from './contract';
import { AppError, type Result } from './errors';

/** Hears one of the contract's events from main, from now on; answers the function that stops hearing it. */
export type Subscribe = <E extends EventName>(name: E, listener: (payload: EventOf<E>) => void) => () => void;

/**
 * What the preload exposes: exactly the contract's operations, each answering a value or a typed error, and `on`,
 * the events main pushes.
 */
export type BridgeApi = {
  [K in OperationName]: (input: RawInputOf<K>) => Promise<Result<OutputOf<K>>>;
} & { on: Subscribe };

/** The same operations, with a refusal thrown as an AppError; `on` as the bridge's. */
export type Api = {
  [K in OperationName]: (input: RawInputOf<K>) => Promise<OutputOf<K>>;
} & { on: Subscribe };

/** Any door's raw call: an operation's name and input in, a Result out (the dispatch itself, or a bridge). */
export type ResultCall = (operation: OperationName, input: unknown) => Promise<Result<unknown>>;

/** A Result's value, or its error thrown as an AppError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw AppError.from(result.error);
}

/** A typed, throwing call over any door: `call('listApps', { organisation })` answers the operation's output. */
export function callerOf(call: ResultCall) {
  return async <K extends OperationName>(operation: K, input: RawInputOf<K>): Promise<OutputOf<K>> =>
    unwrap(await call(operation, input)) as OutputOf<K>;
}

/**
 * Turns the bridge's answers back into values and AppErrors, on the page's side of the bridge. The bridge holds
 * exactly the contract's operations, so its own keys are the names: the page's first view loads no contract, no zod.
 */
export function unwrapApi(bridge: BridgeApi): Api {
  const api: Partial<Record<OperationName, (input: unknown) => Promise<unknown>>> & { on?: Subscribe } = {};
  for (const name of Object.keys(bridge) as (OperationName | 'on')[]) {
    if (name === 'on') continue;
    const call = bridge[name] as (input: unknown) => Promise<Result<unknown>>;
    api[name] = async (input: unknown) => unwrap(await call(input));
  }
  api.on = (name, listener) => bridge.on(name, listener);
  return Object.freeze(api) as Api;
}
