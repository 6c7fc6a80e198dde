// Builds `window.api` from the contract over any `invoke` (Electron IPC, or the e2e test bridge). Only values cross
// the bridge: a thrown error would reach the page as a bare Error with its message alone (Electron's contextBridge
// keeps nothing else), losing the code and the fields. The page unwraps the answers (src/shared/api.ts).
import type { BridgeApi, Subscribe } from '../shared/api';
import type { EventMessage } from '../shared/eventChannel';
import type { OperationName } from '../shared/contract';
import type { Result } from '../shared/errors';
import { channelOf, operationNames } from './operations';

export type Invoke = (channel: string, input: unknown) => Promise<Result<unknown>>;

/** Hears every event main pushes (the event channel's messages); answers the function that stops hearing them. */
export type Listen = (listener: (message: EventMessage) => void) => () => void;

export function createApi(invoke: Invoke, listen: Listen): BridgeApi {
  const api: Partial<Record<OperationName, (input: unknown) => Promise<Result<unknown>>>> & { on?: Subscribe } = {};
  for (const name of operationNames) api[name] = (input: unknown) => invoke(channelOf(name), input ?? {});
  // Only the payload of the named event reaches the page's listener: never the IPC event, never another event.
  api.on = (name, listener) =>
    listen((message) => {
      if (message.name === name) (listener as (payload: unknown) => void)(message.payload);
    });
  return Object.freeze(api) as BridgeApi;
}
