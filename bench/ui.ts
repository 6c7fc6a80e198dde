// The renderer's promises at scale, measured in Chromium over the real dispatch: the list's first rows at 2, 1 000,
// 10 000 and 50 000 applications (each synced from the embedded server first, and timed), then at 10 000: the
// bridge, filtering per keystroke, going back to the list, and a whole resource's scopes in the panel.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import keytar from 'keytar';
import { openAppContext } from '../src/main/context';
import type { OperationName, OutputOf, RawInputOf } from '../src/shared/contract';
import { AppError } from '../src/shared/errors';
import { attachApi } from '../tests/e2e/attach';
import { buildBridge, buildRenderer, RENDERER_DIR } from '../tests/e2e/build';
import { seed } from './seed';
import { median, percentile } from './stats';

export interface ListAt {
  apps: number;
  /** From the renderer's start (bundle loaded) to the first rows painted, read from the workspace cache. */
  firstRowsMs: number;
  /** From navigation to the first rows painted: page, bundle, app start, the rows. */
  loadToFirstRowsMs: number;
  /** `syncOrganisation`: the organisation's applications fetched over HTTP and written into the workspace (none at 2). */
  syncMs: number | null;
}

export interface UiBench {
  lists: ListAt[];
  /** At `detailAt` applications: */
  detailAt: number;
  /** Back to the list from another view: first rows painted. */
  reopenMs: number;
  keystrokeMs: number;
  scopePanelMs: number;
  tabSwitchMs: number;
  /** `listOrganisations` from the page through the test bridge to main's dispatch and back. */
  roundTripP50Ms: number;
  roundTripP99Ms: number;
  /** The same call on main's dispatch alone; the rest of a round trip is the bridge's own. */
  dispatchP50Ms: number;
  dispatchP99Ms: number;
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
  const painted = await Promise.race([
    window.__firstRowsPainted,
    new Promise((_, late) => setTimeout(() => late(new Error('no rows painted within 60 s')), 60000)),
  ]);
  const start = performance.getEntriesByName('oauth-desk:renderer-start')[0].startTime;
  return [painted - start, painted];
})()`;

const BRIDGE_ROUND_TRIPS = `(async () => {
  const times = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    await window.api.listOrganisations({});
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

/** Where the page loads the renderer from: a snapshot served by Playwright, not a port. */
const RENDERER_ORIGIN = 'http://oauth-desk.bench';

/**
 * The renderer as just built, held in memory: out/renderer is shared with whoever builds next in this working tree,
 * and a build emptying it mid-run would fail a page load.
 */
function snapshotRenderer(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(RENDERER_DIR, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(`/${relative(RENDERER_DIR, path).split('\\').join('/')}`, readFileSync(path));
    }
  return files;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export async function uiBench(counts = [2, 1_000, 10_000, 50_000], detailAt = 10_000, rounds = 5): Promise<UiBench> {
  await buildRenderer();
  const rendererFiles = snapshotRenderer();
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
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const { partitionGlobalId } = await call('showOrganisation', {});
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // BENCH_TRACE=1 prints every operation the page calls, when and how long main took to answer.
    const traceStart = Date.now();
    const dispatch: typeof context.dispatch = process.env.BENCH_TRACE
      ? async (operation, input) => {
          const start = Date.now();
          const result = await context.dispatch(operation, input);
          console.error(`trace: ${operation} at ${start - traceStart} ms took ${Date.now() - start} ms`);
          return result;
        }
      : context.dispatch;
    await page.route(`${RENDERER_ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      const body = rendererFiles.get(path);
      await (body
        ? route.fulfill({ body, contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' })
        : route.fulfill({ status: 404 }));
    });
    await attachApi(page, dispatch);
    await page.addInitScript({ content: FIRST_ROWS_PROBE });

    const lists: ListAt[] = [];
    let seeded = 0;
    let detail: Omit<UiBench, 'lists' | 'detailAt'> | null = null;
    for (const count of counts) {
      process.stderr.write(`bench: the list at ${count} applications\n`);
      seed(home, partitionGlobalId, seeded, count);
      seeded = count;
      let syncMs: number | null = null;
      if (count > 2) {
        const syncs: number[] = [];
        for (let i = 0; i < 3; i++) {
          const start = performance.now();
          await call('syncOrganisation', {});
          syncs.push(performance.now() - start);
        }
        syncMs = median(syncs);
      } else await call('syncOrganisation', {});
      const cached = await call('listApps', { limit: 1 });
      if (cached.length === 0) throw new Error('no applications in the cache');

      const firstRowsMs: number[] = [];
      const loadToFirstRowsMs: number[] = [];
      for (let i = 0; i < rounds; i++) {
        await page.goto('about:blank');
        await page.goto(`${RENDERER_ORIGIN}/index.html#/applications`);
        const [fromStart, fromNavigation] = await page.evaluate<[number, number]>(RENDERER_START_TO_FIRST_ROWS);
        firstRowsMs.push(fromStart);
        loadToFirstRowsMs.push(fromNavigation);
        // The rest of the list arrives page by page after the first rows: the next round starts once it is whole, so
        // that it does not wait behind this one's pages in main.
        await page.waitForFunction(
          () => document.querySelector('[data-testid="apps-count"]')?.textContent.includes(' of ') === true,
          undefined,
          { timeout: 120_000 },
        );
      }
      lists.push({
        apps: count,
        firstRowsMs: median(firstRowsMs),
        loadToFirstRowsMs: median(loadToFirstRowsMs),
        syncMs,
      });
      if (count === detailAt) detail = await measureDetail(page, context.dispatch, rounds);
    }
    if (!detail) throw new Error(`no list of ${detailAt} applications was measured`);
    return { lists, detailAt, ...detail };
  } finally {
    await browser.close();
    await context.close();
    for (const c of await keytar.findCredentials(keychainService))
      await keytar.deletePassword(keychainService, c.account);
    rmSync(home, { recursive: true, force: true });
  }
}

/** With the list shown: the bridge, going back to the list, filtering, and the scope panel. */
async function measureDetail(
  page: Page,
  dispatch: (operation: string, input: unknown) => Promise<unknown>,
  rounds: number,
): Promise<Omit<UiBench, 'lists' | 'detailAt'>> {
  // Half a second for the rest of the list to follow the first rows.
  await page.waitForTimeout(500);

  const roundTrips = await page.evaluate<number[]>(BRIDGE_ROUND_TRIPS);
  const dispatchTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    await dispatch('listOrganisations', {});
    dispatchTimes.push(performance.now() - start);
  }

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
        CLICK_UNTIL('.n-base-select-option', 'Orchestrator API Access', '[aria-label="User scopes"] > :nth-child(61)'),
      ),
    );
    tabSwitchMs.push(
      await page.evaluate<number>(
        CLICK_UNTIL(
          '[data-testid="edit-resource"] [role="tab"]',
          'Application Scope(s)',
          '[aria-label="Application scopes"] > :nth-child(61)',
        ),
      ),
    );
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await panel.waitFor({ state: 'hidden' });
  }
  return {
    roundTripP50Ms: median(roundTrips),
    roundTripP99Ms: percentile(roundTrips, 99),
    dispatchP50Ms: median(dispatchTimes),
    dispatchP99Ms: percentile(dispatchTimes, 99),
    reopenMs: median(reopenMs),
    keystrokeMs: median(keystrokeMs),
    scopePanelMs: median(scopePanelMs),
    tabSwitchMs: median(tabSwitchMs),
  };
}
