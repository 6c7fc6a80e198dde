// The renderer's promises at scale, measured in Chromium over the real dispatch: 10 000 applications in the
// workspace cache, first rows of the list, filtering per keystroke, and a whole resource's scopes in the panel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import keytar from 'keytar';
import { openAppContext } from '../src/main/context';
import { channelOf, operationNames, type OperationName, type OutputOf, type RawInputOf } from '../src/shared/contract';
import { AppError } from '../src/shared/errors';
import { BRIDGE_FILE, buildBridge, buildRenderer } from '../tests/e2e/build';
import { serveRenderer } from '../tests/e2e/serve';

export interface UiBench {
  apps: number;
  firstRowsMs: number[];
  coldStartMs: number;
  keystrokeMs: number[];
  scopePanelMs: number[];
  tabSwitchMs: number[];
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Registers `count` applications on the server through its ExternalClient API, as an admin script would. */
async function seed(call: <K extends OperationName>(op: K, input: RawInputOf<K>) => Promise<OutputOf<K>>, count: number) {
  const tenant = await call('showTenant', {});
  const adminSecret = await keytar.getPassword(tenant.adminSecret.service, tenant.adminSecret.account);
  if (!adminSecret) throw new Error('the admin secret is not in the keychain');
  const tokenResponse = await fetch(tenant.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.adminClientId,
      client_secret: adminSecret,
      scope: 'PM.OAuthApp',
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const url = `${tenant.baseUrl}/${tenant.orgName}/identity_/api/ExternalClient`;
  const areas = ['Jobs', 'Queues', 'Assets', 'Robots', 'Folders', 'Machines'];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const area = areas[i % areas.length];
      const confidential = i % 3 === 0;
      const body = {
        partitionGlobalId: tenant.partitionGlobalId,
        name: `${confidential ? 'Sync' : 'Portal'} ${area} ${String(i).padStart(5, '0')}`,
        isConfidential: confidential,
        redirectUri: confidential ? null : `https://portal${i}.example.com/callback`,
        scopes: confidential
          ? [{ name: `OR.${area}`, type: 'application' }, { name: 'OR.Folders.Read', type: 'application' }]
          : [{ name: `OR.${area}.Read`, type: 'user' }, { name: 'DataFabric.Data.Read', type: 'user' }],
      };
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`seeding: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The few page globals the measurements use; this file is type-checked with Node's libraries, not the DOM's. */
interface PageGlobals {
  document: { querySelector(selector: string): ({ value: string; dispatchEvent(event: unknown): boolean } & object) | null };
  location: { hash: string };
  requestAnimationFrame(callback: () => void): number;
  Event: new (type: string, init?: { bubbles?: boolean }) => unknown;
}

async function timeKeystrokes(page: Page, text: string): Promise<number[]> {
  return page.evaluate(async (text) => {
    const g = globalThis as unknown as PageGlobals;
    const input = g.document.querySelector('[data-testid="apps-search"] input');
    if (!input) throw new Error('no search box');
    const times: number[] = [];
    for (let i = 1; i <= Math.max(text.length, 1); i++) {
      const start = performance.now();
      input.value = text.slice(0, i);
      input.dispatchEvent(new g.Event('input', { bubbles: true }));
      // Until the frame showing the result is painted: the task after the next animation frame.
      await new Promise((resolve) => g.requestAnimationFrame(() => setTimeout(resolve, 0)));
      times.push(performance.now() - start);
    }
    return times;
  }, text);
}

export async function uiBench(count = 10_000, rounds = 5): Promise<UiBench> {
  await buildRenderer();
  await buildBridge();
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-ui-'));
  const keychainService = `oauth-desk-bench-${process.pid}`;
  const context = await openAppContext({
    home,
    port: 0,
    keychainService,
    rateLimits: { get: 1_000_000, post: 1_000_000 },
  });
  const call = async <K extends OperationName>(op: K, input: RawInputOf<K>): Promise<OutputOf<K>> => {
    const result = await context.dispatch(op, input);
    if (!result.ok) throw AppError.from(result.error);
    return result.value as OutputOf<K>;
  };
  const renderer = await serveRenderer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await seed(call, count);
    const cached = await call('listApps', { refresh: true });
    if (cached.length < count) throw new Error(`only ${cached.length} applications in the cache`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const byChannel = new Map(operationNames.map((name) => [channelOf(name), name]));
    await page.exposeBinding('__oauthDeskInvoke', (_source, channel: string, input: unknown) =>
      context.dispatch(byChannel.get(channel) ?? channel, input),
    );
    await page.addInitScript({ path: BRIDGE_FILE });

    const coldStart = performance.now();
    await page.goto(`${renderer.url}/index.html#/applications`);
    await page.locator('[data-testid="app-row"]').first().waitFor();
    const coldStartMs = performance.now() - coldStart;

    // Opening the view: from the click on its link to the first rows painted, all 10 000 loaded from the cache.
    const firstRowsMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await page.goto(`${renderer.url}/index.html#/activity`);
      await page.getByTestId('activity-table').waitFor();
      firstRowsMs.push(
        await page.evaluate(async () => {
          const g = globalThis as unknown as PageGlobals;
          const start = performance.now();
          g.location.hash = '#/applications';
          await new Promise<void>((resolve) => {
            const check = () => (g.document.querySelector('[data-testid="app-row"]') ? resolve() : g.requestAnimationFrame(check));
            check();
          });
          await new Promise((resolve) => g.requestAnimationFrame(() => setTimeout(resolve, 0)));
          return performance.now() - start;
        }),
      );
    }

    const keystrokeMs: number[] = [];
    for (const text of ['portal jobs 01', 'sync queues', 'data']) {
      keystrokeMs.push(...(await timeKeystrokes(page, text)));
      await timeKeystrokes(page, '');
    }

    // The Edit Resource panel: Orchestrator's 61 scopes with their descriptions, and the switch between tabs.
    const scopePanelMs: number[] = [];
    const tabSwitchMs: number[] = [];
    await page.getByTestId('add-application').click();
    await page.getByTestId('app-name').locator('input').fill('Bench');
    for (let i = 0; i < rounds; i++) {
      await page.getByTestId('add-scopes').click();
      await page.getByTestId('resource-select').click();
      const option = page.getByRole('option', { name: 'Orchestrator API Access' });
      await option.waitFor();
      const start = performance.now();
      await option.click();
      await page.getByRole('checkbox', { name: 'OR.Webhooks.Write', exact: true }).first().waitFor();
      scopePanelMs.push(performance.now() - start);
      const tabStart = performance.now();
      await page.getByRole('tab', { name: /Application Scope/ }).click();
      await page.locator('[aria-label="Application scopes"]').getByRole('checkbox', { name: 'OR.Webhooks.Write', exact: true }).waitFor();
      tabSwitchMs.push(performance.now() - tabStart);
      await page.getByTestId('edit-resource').getByRole('button', { name: 'Cancel' }).click();
      await page.getByTestId('edit-resource').waitFor({ state: 'hidden' });
    }
    return { apps: cached.length, firstRowsMs, coldStartMs, keystrokeMs, scopePanelMs, tabSwitchMs };
  } finally {
    await browser.close();
    await renderer.close();
    await context.close();
    for (const c of await keytar.findCredentials(keychainService)) await keytar.deletePassword(keychainService, c.account);
    rmSync(home, { recursive: true, force: true });
  }
}
