// The one IPC channel main pushes the contract's events on, as `{ name, payload }`. Zod-free: the preload uses it, and
// importing the contract would bundle zod into the preload.
export const EVENT_CHANNEL = 'oauth-desk:event';

/** What crosses the event channel. */
export interface EventMessage {
  name: string;
  payload: unknown;
}
