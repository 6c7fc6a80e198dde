// Gives a page the app's `window.api`: the bridge script (the preload's createApi) over a Playwright binding to
// a real dispatch. Answers cross as JSON text: Playwright's own serializer takes seconds for 10 000 rows, where
// Electron's IPC (a structured clone, the same data) takes milliseconds; JSON keeps the test bridge as fast.
import type { Page } from '@playwright/test';
import { channelOf, operationNames, type OperationName } from '../../src/shared/contract';
import { pageInputRefusal } from '../../src/main/security';
import type { Result } from '../../src/shared/errors';
import { BRIDGE_FILE } from './build';

type Dispatch = (operation: string, rawInput: unknown) => Promise<Result<unknown>>;

const operationByChannel = new Map<string, OperationName>(operationNames.map((name) => [channelOf(name), name]));

export async function attachApi(page: Page, dispatch: Dispatch): Promise<void> {
  await page.exposeBinding('__oauthDeskInvoke', async (_source, channel: string, input: unknown) => {
    const operation = operationByChannel.get(channel) ?? channel;
    // The same refusal as the IPC door's: the page decides nothing main decides (e.g. where an export is written).
    const refusal = pageInputRefusal(operation, input);
    return JSON.stringify(refusal ? { ok: false, error: refusal.toJSON() } : await dispatch(operation, input));
  });
  await page.addInitScript({ path: BRIDGE_FILE });
}
