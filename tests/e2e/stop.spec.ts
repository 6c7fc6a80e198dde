// Stop stops, and says so at once. A second embedded Identity Server plays "Acme", reached through a fault proxy of our
// own that can answer 429 with a long Retry-After or hold an answer. Sync's and Apply's Stop say "Stopping…" within a
// second and end a rate-limit wait at once; the wait is counted down in the window meanwhile. Apply's Stop at 4 of 16
// finishes only the application being written, and its summary offers a preview of the rest, chosen already.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import type { ScopeRequest } from '../../src/shared/model';
import { faultProxy, isList, isUpdate, type Asked, type Fault, type FaultProxy } from '../integration/faultProxy';
import { test, expect, type Desk } from './fixtures';
import { shootAtBothSizes } from './shots';

const LIFTED = { get: 100_000, post: 100_000, put: 100_000, delete: 100_000 };
const READERS: ScopeRequest[] = [{ name: 'OR.Jobs.Read', type: 'user' }];

interface Acme {
  server: RunningIdentityServer;
  proxy: FaultProxy;
  /** What the proxy does to each request from now on. */
  faultOf: (asked: Asked) => Fault;
  close(): Promise<void>;
}

/** Acme behind the fault proxy, the desk's current organisation, and the window opened on it. */
async function openOnAcme(page: Page, desk: Desk): Promise<Acme> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-acme-'));
  const server = await startIdentityServer({ dataDir, port: 0, orgName: 'acme', rateLimits: LIFTED });
  const acme: Acme = {
    server,
    proxy: await faultProxy(server.baseUrl, (asked) => acme.faultOf(asked)),
    faultOf: () => 'none',
    async close() {
      await acme.proxy.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const admin = await server.ensureAdminClient();
  await desk.call('addOrganisation', {
    id: 'acme',
    displayName: 'Acme',
    baseUrl: acme.proxy.url,
    orgName: 'acme',
    signIn: { method: 'adminApp', clientId: admin.clientId, clientSecret: admin.secret?.value ?? '' },
  });
  await desk.call('useOrganisation', { organisation: 'acme' });
  await page.reload();
  await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
  return acme;
}

/** The App ID of a single application's read or write: /ExternalClient/{partition}/{App ID}; null for any other. */
function appOf(asked: Asked): string | null {
  const match = /\/ExternalClient\/[^/]+\/([^/]+)\/?$/.exec(asked.path);
  return match && !isList(asked) ? decodeURIComponent(match[1]!) : null;
}

/**
 * Clicks `button` and answers how many milliseconds later `testid` first read "Stopping…" (null: never, within 1 s),
 * watched by a MutationObserver so that even a moment's "Stopping…" is seen.
 */
async function clickAndTimeStopping(page: Page, button: string, testid: string): Promise<number | null> {
  // Plain text, not a function: the test's transpiler would wrap a function's inner functions in its own helpers.
  return page.evaluate(`new Promise((resolve) => {
    const shows = () => document.querySelector('[data-testid="${testid}"]')?.textContent?.includes('Stopping…');
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (!shows()) return;
      observer.disconnect();
      resolve(performance.now() - start);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    setTimeout(() => {
      observer.disconnect();
      resolve(null);
    }, 1000);
    document.querySelector('[data-testid="${button}"]').click();
  })`);
}

/** The seconds a countdown shows now ("waiting 42 s (rate limit)"). */
async function secondsShown(page: Page, testid: string): Promise<number> {
  const text = await page.getByTestId(testid).innerText();
  const match = /waiting (\d+) s \(rate limit\)/.exec(text);
  if (!match) throw new Error(`No countdown in "${text}"`);
  return Number(match[1]);
}

async function createApps(desk: Desk, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const { app } = await desk.call('createApp', {
      name: `Bulk ${String(i).padStart(2, '0')}`,
      isConfidential: false,
      redirectUri: `https://bulk${i}.example.com/callback`,
      scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
    });
    ids.push(app.id);
  }
  await desk.call('saveScopeSet', { name: 'Readers', scopes: READERS });
  return ids;
}

/** Scope Sets → Apply…, every Bulk application chosen, and the preview opened. */
async function previewAll(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: 'Scope Sets' }).click();
  await page.getByTestId('scope-set-row').getByTestId('apply-set').click();
  await expect(page.getByRole('heading', { name: 'Apply a scope set to applications' })).toBeVisible();
  await page.getByLabel('Filter applications').fill('bulk');
  await page.getByTestId('apply-check-shown').click();
  await page.getByTestId('apply-preview-open').click();
}

/** The applications of `ids` that hold the set's scope on the server. */
async function givenOnServer(desk: Desk, ids: string[]): Promise<number> {
  let given = 0;
  for (const clientId of ids) {
    const app = await desk.call('getApp', { organisation: 'acme', clientId });
    if (app.resources.some((r) => r.scopes.some((s) => s.name === 'OR.Jobs.Read'))) given++;
  }
  return given;
}

test('Sync: Stop during a rate-limit wait says "Stopping…" at once and ends the wait', async ({ app: page, desk }) => {
  test.setTimeout(90_000);
  const acme = await openOnAcme(page, desk);
  try {
    // Acme limits its list of applications for two minutes.
    acme.faultOf = (asked) => (isList(asked) ? { rateLimitSeconds: 120 } : 'none');
    await page.getByTestId('sync').click();
    const wait = page.getByTestId('rate-limit-wait');
    await expect(wait).toHaveText(/waiting 1[12]\d s \(rate limit\)/);
    const first = await secondsShown(page, 'rate-limit-wait');
    await expect.poll(() => secondsShown(page, 'rate-limit-wait'), { timeout: 3000 }).toBeLessThan(first);
    await shootAtBothSizes(page, 'stop-sync-waiting');

    const started = Date.now();
    const stoppingAfter = await clickAndTimeStopping(page, 'sync-stop', 'sync-stop');
    expect(stoppingAfter, '"Stopping…" within a second of Stop').not.toBeNull();
    expect(stoppingAfter!).toBeLessThan(1000);
    // The two-minute wait is not waited out (the bound allows for a busy machine).
    await expect(page.getByTestId('sync')).toBeVisible({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(wait).toHaveCount(0);
    await expect(page.getByText('Sync stopped')).toBeVisible();
  } finally {
    await acme.close();
  }
});

test('Apply: a rate-limit wait is counted down, and Stop in it ends the run at once', async ({ app: page, desk }) => {
  test.setTimeout(90_000);
  const acme = await openOnAcme(page, desk);
  try {
    await createApps(desk, 16);
    await previewAll(page);
    const preview = page.getByTestId('scope-set-preview');
    await expect(preview.getByTestId('plan-counts')).toHaveText('16 applications in Acme: 16 to update.');
    // The organisation it writes to is named on the button.
    await expect(preview.getByTestId('apply-preview')).toHaveText('Apply to 16 applications in Acme');

    // Four PUTs go through; then Acme asks to wait a minute.
    let puts = 0;
    acme.faultOf = (asked) => (isUpdate(asked) && ++puts > 4 ? { rateLimitSeconds: 60 } : 'none');
    await preview.getByTestId('apply-preview').click();
    const progress = page.getByTestId('apply-progress');
    await expect(progress.getByTestId('apply-heading')).toContainText('in Acme');
    await expect(progress.getByTestId('apply-count')).toContainText('4 of 16 applications done');
    // The wait is told as it starts and counted down each second.
    await expect(progress.getByTestId('apply-wait')).toHaveText(/waiting [1-6]?\d s \(rate limit\)/);
    const first = await secondsShown(page, 'apply-wait');
    await expect.poll(() => secondsShown(page, 'apply-wait'), { timeout: 3000 }).toBeLessThan(first);
    await shootAtBothSizes(page, 'stop-apply-waiting');

    const started = Date.now();
    const stoppingAfter = await clickAndTimeStopping(page, 'apply-stop', 'apply-stop');
    expect(stoppingAfter, '"Stopping…" within a second of Stop').not.toBeNull();
    expect(stoppingAfter!).toBeLessThan(1000);
    // The minute's wait is not waited out (the bound allows for a busy machine).
    await expect(progress.getByTestId('apply-count')).toHaveText(/4 of 16 applications done\s*· stopped/, {
      timeout: 10_000,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    // Only the counts that are not zero.
    await expect(progress.getByTestId('apply-summary')).toContainText('4 applied, 12 not run (stopped).');
    await expect(progress.getByTestId('apply-summary')).not.toContainText(' 0 ');
  } finally {
    await acme.close();
  }
});

test('Apply: Stop at 4 of 16 finishes only the one being written, then previews the rest chosen', async ({
  app: page,
  desk,
}) => {
  test.setTimeout(90_000);
  const acme = await openOnAcme(page, desk);
  try {
    const ids = await createApps(desk, 16);
    await previewAll(page);
    const preview = page.getByTestId('scope-set-preview');
    await expect(preview.getByTestId('apply-preview')).toHaveText('Apply to 16 applications in Acme');

    // Four applications are written; the fifth one's PUT is held on its way, and the other three re-reads with it.
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const held = { puts: 0, reads: 0 };
    // Each application is read again, written, then read back; only the reads before a write are counted.
    const written = new Set<string>();
    let reads = 0;
    acme.faultOf = (asked) => {
      const app = appOf(asked);
      if (!holding || app === null) return 'none';
      if (isUpdate(asked)) {
        written.add(app);
        return written.size === 5 ? { hold, held: () => held.puts++ } : 'none';
      }
      if (asked.method === 'GET' && !written.has(app) && ++reads > 5) return { hold, held: () => held.reads++ };
      return 'none';
    };
    await preview.getByTestId('apply-preview').click();
    const progress = page.getByTestId('apply-progress');
    await expect.poll(() => held, { timeout: 15_000 }).toEqual({ puts: 1, reads: 3 });
    await expect(progress.getByTestId('apply-count')).toContainText('4 of 16 applications done');

    const stoppingAfter = await clickAndTimeStopping(page, 'apply-stop', 'apply-stopping');
    expect(stoppingAfter, '"Stopping…" within a second of Stop').not.toBeNull();
    expect(stoppingAfter!).toBeLessThan(1000);
    await expect(progress.getByTestId('apply-stopping')).toHaveText('Stopping… finishing 1 being written');
    await expect(progress.getByTestId('apply-stop')).toHaveText('Stopping…');
    await shootAtBothSizes(page, 'stop-apply-finishing');

    holding = false;
    release();
    // The one being written is finished; the three read again are not written.
    await expect(progress.getByTestId('apply-count')).toHaveText(/5 of 16 applications done\s*· stopped/);
    await expect(progress.getByTestId('apply-summary')).toContainText('5 applied, 11 not run (stopped).');
    expect(await givenOnServer(desk, ids)).toBe(5);
    const rest = progress.getByTestId('apply-preview-rest');
    await expect(rest).toHaveText('Preview the 11 not applied');
    await shootAtBothSizes(page, 'stop-apply-summary');

    // The rest, chosen already and previewed as they are now.
    await rest.click();
    await expect(preview.getByTestId('plan-counts')).toHaveText('11 applications in Acme: 11 to update.');
    await expect(preview.getByTestId('apply-preview')).toHaveText('Apply to 11 applications in Acme');
    await expect(page.getByTestId('apply-checked-count')).toHaveText('11 selected');
    await preview.getByTestId('apply-preview').click();
    await expect(progress.getByTestId('apply-summary')).toContainText('11 applied.', { timeout: 20_000 });
    expect(await givenOnServer(desk, ids)).toBe(16);
  } finally {
    await acme.close();
  }
});
