// The window opens on a remote organisation: a second embedded Identity Server plays "acme", the desk's current one
// before the page opens. The list waits for main to say which organisation is current (a skeleton naming it), shows
// acme's applications under acme's name, never the embedded organisation's, not even for a frame, and opening a row
// shows the application. A switch to the embedded organisation then swaps the rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startIdentityServer } from '../../src/identity-server/server';
import { callerOf } from '../../src/shared/api';
import { addServerAsOrganisation } from '../integration/support';
import { attachApi } from './attach';
import { test, expect } from './fixtures';
import { shootAtBothSizes } from './shots';

declare global {
  interface Window {
    /** Every App ID a row of the list has carried since the page started. */
    __rowIdsSeen?: string[];
  }
}

/** From the page's first script on, collects the App ID of every row that ever appears, however briefly. */
async function watchRows(page: Page): Promise<void> {
  // Plain text, not a function: the test's transpiler would wrap a function's inner functions in its own helpers.
  await page.addInitScript(`
    const seen = [];
    window.__rowIdsSeen = seen;
    function collect(node) {
      if (!(node instanceof Element)) return;
      const own = node.getAttribute('data-app-id');
      if (own) seen.push(own);
      node.querySelectorAll('[data-app-id]').forEach((row) => seen.push(row.getAttribute('data-app-id')));
    }
    new MutationObserver((records) => {
      for (const record of records) {
        collect(record.target);
        record.addedNodes.forEach(collect);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-app-id'] });
  `);
}

function rowIdsSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__rowIdsSeen ?? []);
}

test('the window opened on a remote organisation shows its applications, never the embedded one’s', async ({
  page,
  desk,
  rendererUrl,
}) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-acme-'));
  const acme = await startIdentityServer({ dataDir, port: 0, orgName: 'acme' });
  try {
    await addServerAsOrganisation(callerOf(desk.context.dispatch), acme, 'acme');
    const { app: remote } = await desk.call('createApp', {
      organisation: 'acme',
      name: 'Acme billing bot',
      isConfidential: true,
      scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
    });
    const { app: local } = await desk.call('createApp', {
      organisation: 'local',
      name: 'Local report bot',
      isConfidential: true,
      scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
    });
    await desk.call('useOrganisation', { organisation: 'acme' });

    // The list's first answer is held back until the skeleton has been seen (and saved).
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const dispatch: typeof desk.context.dispatch = async (operation, input) => {
      if (holding && operation === 'listApps') await held;
      return desk.context.dispatch(operation, input);
    };
    await watchRows(page);
    await attachApi(page, dispatch, desk.context.events);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${rendererUrl}/index.html#/applications`);

    const header = page.getByTestId('current-organisation');
    await expect(header).toHaveAttribute('data-organisation', 'acme');
    await expect(page.getByTestId('current-organisation-name')).toHaveText('acme');
    const skeleton = page.getByTestId('apps-loading');
    await expect(skeleton).toHaveAttribute('aria-busy', 'true');
    await expect(skeleton).toHaveAttribute('aria-label', 'Loading applications of acme');
    await expect(page.getByRole('status', { name: 'Loading applications of acme' })).toBeVisible();
    expect(await rowIdsSeen(page)).toEqual([]);
    await shootAtBothSizes(page, 'current-organisation-skeleton');
    holding = false;
    release();

    const rows = page.getByTestId('app-row');
    await expect(rows.filter({ hasText: 'Acme billing bot' })).toHaveCount(1);
    await expect(page.locator(`[data-testid="app-row"][data-app-id="${local.id}"]`)).toHaveCount(0);
    await expect(skeleton).toHaveCount(0);
    await shootAtBothSizes(page, 'current-organisation-remote');
    // At no moment did a row of the embedded organisation appear under acme's name.
    const seen = await rowIdsSeen(page);
    expect(seen).toContain(remote.id);
    expect(seen).not.toContain(local.id);

    // Its row opens the application: acme has it.
    await page.locator(`[data-testid="app-row"][data-app-id="${remote.id}"]`).locator('a.app-name').click();
    await expect(page.getByTestId('application-id')).toHaveText(remote.id);
    await expect(page.getByTestId('application-missing')).toHaveCount(0);
    await expect(page.getByText('no longer exists')).toHaveCount(0);

    // The embedded organisation: its rows replace acme's.
    await page.getByTestId('organisation-switcher').click();
    await page.locator('[data-testid="organisation-option"][data-organisation="local"]').click();
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Local Identity Server (embedded)');
    await expect(page.locator(`[data-testid="app-row"][data-app-id="${local.id}"]`)).toHaveCount(1);
    await expect(page.locator(`[data-testid="app-row"][data-app-id="${remote.id}"]`)).toHaveCount(0);
  } finally {
    await acme.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
