// The page's `window.api` in the e2e tests: the same createApi the preload uses, over a binding to the real
// dispatch in the test process instead of Electron IPC. Bundled as a classic script and added before the page loads.
import { createApi } from '../../src/preload/api';
import type { BridgeApi } from '../../src/shared/api';
import type { EventMessage } from '../../src/shared/eventChannel';
import type { Result } from '../../src/shared/errors';

// Typed through globalThis: this file is checked with the Node settings, though it runs in the page.
const page = globalThis as unknown as {
  api: BridgeApi;
  __oauthDeskInvoke(channel: string, input: unknown): Promise<string>;
  /** Called by the test process (attach.ts) with each event main raised, as the preload's IPC listener is. */
  __oauthDeskEvent(message: EventMessage): void;
};

const listeners = new Set<(message: EventMessage) => void>();
page.__oauthDeskEvent = (message) => {
  for (const listener of [...listeners]) listener(message);
};

page.api = createApi(
  async (channel, input) => JSON.parse(await page.__oauthDeskInvoke(channel, input)) as Result<unknown>,
  (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
);
