// Gives a page the app's `window.api`: the bridge script (the preload's createApi) over a Playwright binding to
// a real dispatch. Answers cross as JSON text: Playwright's own serializer takes seconds for 10 000 rows, where
// Electron's IPC (a structured clone, the same data) takes milliseconds; JSON keeps the test bridge as fast.
import type { Page } from '@playwright/test';
import { channelOf, operationNames, type OperationName } from '../../src/shared/contract';
import { pageInputRefusal } from '../../src/main/security';
import type { EventBus } from '../../src/main/events';
import type { EventMessage } from '../../src/shared/eventChannel';
import type { Result } from '../../src/shared/errors';
import { BRIDGE_FILE } from './build';

type Dispatch = (operation: string, rawInput: unknown) => Promise<Result<unknown>>;

const operationByChannel = new Map<string, OperationName>(operationNames.map((name) => [channelOf(name), name]));

/**
 * Gives the page `window.api` over `dispatch`, and, with `events`, forwards every event main raises to the page as the
 * app's IPC does (page.evaluate in place of webContents.send), until the page closes.
 */
export async function attachApi(page: Page, dispatch: Dispatch, events?: EventBus): Promise<void> {
  if (events) {
    const stop = events.subscribe((name, payload) => {
      const message: EventMessage = { name, payload };
      page
        .evaluate(
          (m) => (globalThis as unknown as { __oauthDeskEvent?: (m: EventMessage) => void }).__oauthDeskEvent?.(m),
          message,
        )
        .catch(() => undefined);
    });
    page.once('close', stop);
  }
  await page.exposeBinding('__oauthDeskInvoke', async (_source, channel: string, input: unknown) => {
    const operation = operationByChannel.get(channel) ?? channel;
    // The same refusal as the IPC door's: the page decides nothing main decides (e.g. where an export is written).
    const refusal = pageInputRefusal(operation, input);
    return JSON.stringify(refusal ? { ok: false, error: refusal.toJSON() } : await dispatch(operation, input));
  });
  await page.addInitScript({ path: BRIDGE_FILE });
}
