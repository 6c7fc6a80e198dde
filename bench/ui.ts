// The renderer's promises at scale, measured in Chromium over the real dispatch: 10 000 applications in the
// workspace cache, first rows of the list, filtering per keystroke, and a whole resource's scopes in the panel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import keytar from 'keytar';
import { openAppContext } from '../src/main/context';
import type { OperationName, OutputOf, RawInputOf } from '../src/shared/contract';
import { AppError } from '../src/shared/errors';
import { attachApi } from '../tests/e2e/attach';
import { buildBridge, buildRenderer } from '../tests/e2e/build';
import { serveRenderer } from '../tests/e2e/serve';

export interface UiBench {
  apps: number;
  /** From the renderer's start (bundle loaded) to the first rows painted, all rows read from the workspace cache. */
  firstRowsMs: number[];
  /** From navigation to the first rows painted: page, bundle, app start, the rows. */
  loadToFirstRowsMs: number[];
  /** Back to the list from another view: first rows painted. */
  reopenMs: number[];
  /** One small call from the page to main over the test bridge, which stands in for Electron's IPC. */
  bridgeRoundTripMs: number[];
  keystrokeMs: number[];
  scopePanelMs: number[];
  tabSwitchMs: number[];
}

/** Resolves `window.__firstRowsPainted` with the time the first table row was painted (rAF, then a task). */
const FIRST_ROWS_PROBE = `
window.__firstRowsPainted = new Promise((resolve) => {
  const seen = () => document.querySelector('[data-testid="app-row"]');
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
});`;

/** Page-side timings are strings: the bundler's helpers for named functions do not exist in the page. */
const RENDERER_START_TO_FIRST_ROWS = `(async () => {
  const painted = await window.__firstRowsPainted;
  const start = performance.getEntriesByName('oauth-desk:renderer-start')[0].startTime;
  return [painted - start, painted];
})()`;

const BRIDGE_ROUND_TRIPS = `(async () => {
  const times = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await window.api.listTenants({});
    times.push(performance.now() - start);
  }
  return times;
})()`;

const REOPEN_LIST = `(async () => {
  const start = performance.now();
  location.hash = '#/applications';
  while (!document.querySelector('[data-testid="app-row"]')) {
    if (performance.now() - start > 10000) throw new Error('the list did not show within 10 s');
    await new Promise((r) => requestAnimationFrame(r));
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - start;
})()`;

const TYPE_IN_SEARCH = (text: string) => `(async () => {
  const input = document.querySelector('[data-testid="apps-search"] input');
  const text = ${JSON.stringify(text)};
  const times = [];
  for (let i = 1; i <= Math.max(text.length, 1); i++) {
    const start = performance.now();
    input.value = text.slice(0, i);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    times.push(performance.now() - start);
  }
  return times;
})()`;

/** Clicks `clickSelector` (whose text contains `text`), then waits until `ready` matches and that frame is painted. */
const CLICK_UNTIL = (clickSelector: string, text: string, ready: string) => `(async () => {
  const target = [...document.querySelectorAll(${JSON.stringify(clickSelector)})]
    .find((el) => el.textContent.includes(${JSON.stringify(text)}));
  if (!target) throw new Error('nothing to click: ' + ${JSON.stringify(text)});
  const start = performance.now();
  target.click();
  while (!document.querySelector(${JSON.stringify(ready)})) {
    if (performance.now() - start > 10000) throw new Error('not shown within 10 s: ' + ${JSON.stringify(ready)});
    await new Promise((r) => requestAnimationFrame(r));
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - start;
})()`;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Registers `count` applications on the server through its ExternalClient API, as an admin script would. */
async function seed(
  call: <K extends OperationName>(op: K, input: RawInputOf<K>) => Promise<OutputOf<K>>,
  count: number,
) {
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
          ? [
              { name: `OR.${area}`, type: 'application' },
              { name: 'OR.Folders.Read', type: 'application' },
            ]
          : [
              { name: `OR.${area}.Read`, type: 'user' },
              { name: 'DataFabric.Data.Read', type: 'user' },
            ],
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
    // BENCH_TRACE=1 prints every operation the page calls, when and how long main took to answer.
    const traceStart = Date.now();
    const dispatch: typeof context.dispatch = process.env.BENCH_TRACE
      ? async (operation, input) => {
          const start = Date.now();
          const result = await context.dispatch(operation, input);
          console.error(
            `trace: ${operation} ${JSON.stringify(input)} at ${start - traceStart} ms took ${Date.now() - start} ms`,
          );
          return result;
        }
      : context.dispatch;
    await attachApi(page, dispatch);
    await page.addInitScript({ content: FIRST_ROWS_PROBE });

    const firstRowsMs: number[] = [];
    const loadToFirstRowsMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await page.goto('about:blank');
      await page.goto(`${renderer.url}/index.html#/applications`);
      const [fromStart, fromNavigation] = await page.evaluate<[number, number]>(RENDERER_START_TO_FIRST_ROWS);
      if (process.env.BENCH_TRACE)
        console.error(
          `trace: first rows ${fromStart} ms after start, ${fromNavigation} after navigation; marks ${await page.evaluate<string>(`JSON.stringify(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]))`)}`,
        );
      firstRowsMs.push(fromStart);
      loadToFirstRowsMs.push(fromNavigation);
    }

    const bridgeRoundTripMs = await page.evaluate<number[]>(BRIDGE_ROUND_TRIPS);

    const reopenMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await page.evaluate(`location.hash = '#/activity'`);
      await page.getByTestId('activity-table').waitFor();
      reopenMs.push(await page.evaluate<number>(REOPEN_LIST));
    }

    const keystrokeMs: number[] = [];
    for (const text of ['portal jobs 01', 'sync queues', 'data']) {
      keystrokeMs.push(...(await page.evaluate<number[]>(TYPE_IN_SEARCH(text))));
      await page.evaluate(TYPE_IN_SEARCH(''));
    }

    // The Edit Resource panel: Orchestrator's 61 scopes with their descriptions, and the switch between its tabs.
    const scopePanelMs: number[] = [];
    const tabSwitchMs: number[] = [];
    const panel = page.getByTestId('edit-resource');
    await page.getByTestId('add-application').click();
    await page.getByTestId('app-name').locator('input').fill('Bench');
    for (let i = 0; i < rounds; i++) {
      await page.getByTestId('add-scopes').click();
      await panel.getByTestId('resource-select').click();
      await page.locator('.n-base-select-option', { hasText: 'Orchestrator API Access' }).first().waitFor();
      scopePanelMs.push(
        await page.evaluate<number>(
          CLICK_UNTIL(
            '.n-base-select-option',
            'Orchestrator API Access',
            '[aria-label="User scopes"] > :nth-child(61)',
          ),
        ),
      );
      tabSwitchMs.push(
        await page.evaluate<number>(
          CLICK_UNTIL(
            '[data-testid="edit-resource"] .n-tabs-tab',
            'Application Scope(s)',
            '[aria-label="Application scopes"] > :nth-child(61)',
          ),
        ),
      );
      await panel.getByRole('button', { name: 'Cancel' }).click();
      await panel.waitFor({ state: 'hidden' });
    }
    return {
      apps: cached.length,
      firstRowsMs,
      loadToFirstRowsMs,
      reopenMs,
      bridgeRoundTripMs,
      keystrokeMs,
      scopePanelMs,
      tabSwitchMs,
    };
  } finally {
    await browser.close();
    await renderer.close();
    await context.close();
    for (const c of await keytar.findCredentials(keychainService))
      await keytar.deletePassword(keychainService, c.account);
    rmSync(home, { recursive: true, force: true });
  }
}
