// axe-core on the organisation states, in the light and the dark theme: Add organisation and its connection checks,
// the organisation switcher open, a sync under way (its progress bar), an organisation offline (the list and an
// application's page from the cache), and the Expiring secrets drawer with rows. A second embedded Identity Server
// plays the organisation "acme". No violation of serious or critical impact is allowed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { test, expect } from './fixtures';
import { expectAccessible } from './axe';
import { fillAcmeOrganisation } from './acme';
import { registerExpiringSoon } from './application';

/** acme's limits: a short window, so a burst meets a 429 and the sync it slows down is seen under way. */
const ACME_LIMITS = { get: 60, windowSeconds: 6 };

async function exhaustGets(acme: RunningIdentityServer): Promise<void> {
  for (let i = 0; i <= ACME_LIMITS.get; i++) {
    const answer = await fetch(`${acme.baseUrl}/acme/identity_/api/ExternalClient`);
    if (answer.status === 429) return;
  }
  throw new Error('acme never answered 429');
}

test('Add organisation, its checks, the switcher, a sync, offline and Expiring secrets', async ({
  app: page,
  desk,
}) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-acme-'));
  const acme = await startIdentityServer({ dataDir, port: 0, orgName: 'acme', rateLimits: ACME_LIMITS });
  try {
    const admin = await acme.ensureAdminClient();
    if (!admin.secret) throw new Error('acme issued no admin secret on its first start');
    const robot = await registerExpiringSoon(desk);
    await page.reload();

    await page.getByTestId('organisation-switcher').click();
    await expect(page.getByTestId('add-organisation')).toBeVisible();
    await expectAccessible(page, 'the organisation switcher, open');
    await page.getByTestId('add-organisation').click();
    await expect(page.getByRole('heading', { name: 'Add organisation' })).toBeVisible();
    await page.getByTestId('sign-in-admin-app').click();
    await expectAccessible(page, 'Add organisation');

    await fillAcmeOrganisation(page, acme.baseUrl, admin.clientId);
    // Add and Cancel stay in sight while the form scrolls; Enter in a field submits, as in the wizard, and focus moves
    // to the checks' summary.
    await expect(page.getByTestId('add-organisation-form').locator('.n-card__action')).toHaveCSS('position', 'sticky');
    await page.getByLabel('App secret').fill(admin.secret.value);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('connection-summary')).toHaveText('Every check passed.');
    await expect(page.getByTestId('connection-summary')).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Connection checks', level: 2 })).toBeVisible();
    await expectAccessible(page, 'the connection checks');
    await page.getByTestId('organisation-done').click();
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
    await desk.call('createApp', {
      organisation: 'acme',
      name: 'Acme robot',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
    });

    await exhaustGets(acme);
    // Sync from the keyboard: focus moves to Stop while it runs, and back to Sync when it ends.
    await page.getByTestId('sync').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('sync-stop')).toBeFocused();
    await expect(page.getByRole('progressbar', { name: 'Sync progress' })).toBeVisible();
    await expect(page.getByTestId('rate-limit-wait')).toBeVisible();
    await expectAccessible(page, 'a sync under way');
    await expect(page.getByTestId('sync-progress')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('sync')).toBeFocused();

    await acme.close();
    await page.getByTestId('apps-refresh').click();
    await expect(page.getByTestId('organisation-offline')).toHaveText('Offline');
    await expectAccessible(page, 'an organisation offline');
    await page.locator('[data-testid="app-row"]', { hasText: 'Acme robot' }).locator('a.app-name').click();
    await expect(page.getByRole('heading', { name: 'Acme robot' })).toBeVisible();
    await expectAccessible(page, 'an application offline');

    await page.getByTestId('expiring-open').click();
    await expect(page.locator(`[data-testid="expiring-row"][data-app-id="${robot.id}"]`)).toBeVisible();
    await expectAccessible(page, 'Expiring secrets with rows');
  } finally {
    await acme.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
