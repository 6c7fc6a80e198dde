// Real organisations in the window: a second embedded Identity Server plays the organisation "acme" (its own data
// folder and port, a catalogue without Data Service). Add it with its admin application, see the checks, switch to
// it, work there, sync through a rate-limit wait, lose it (its server stopped) and read the cache, see it come back
// and sync by itself, copy an application from the local organisation to it, and follow the expiring-secrets badge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { loadCatalogue } from '../../src/identity-server/catalog';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { fillAcmeOrganisation } from './acme';
import { registerExpiringSoon } from './application';
import { test, expect, SCREENSHOTS } from './fixtures';
import { ORCHESTRATOR, feedbackOf, fillWizard, openWizard, result } from './wizard';

const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1024x700', width: 1024, height: 700 },
] as const;

/** acme's limits: a short window, so a burst meets a 429 and the wait it causes is seconds, not minutes. */
const ACME_LIMITS = { get: 60, windowSeconds: 6 };

/** Saves the window at both sizes, and checks that nothing scrolls sideways at either; ends at the first size. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const size of [...SIZES].reverse()) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Popovers and drawers place themselves again after a resize.
    await page.waitForTimeout(250);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} scrolls sideways at ${size.name}`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}/${size.name}/organisations-${name}.png` });
  }
}

function startAcme(dataDir: string, port: number): Promise<RunningIdentityServer> {
  return startIdentityServer({
    dataDir,
    port,
    orgName: 'acme',
    catalogue: loadCatalogue().filter((resource) => resource.name !== 'DataServiceApiUserAccess'),
    rateLimits: ACME_LIMITS,
  });
}

/** Spends acme's GET allowance for this window, as another client of the organisation would. */
async function exhaustGets(acme: RunningIdentityServer): Promise<void> {
  // Windows are fixed: one that began with the window's own reads may end half-way, and the count starts again.
  for (let i = 0; i <= 2 * ACME_LIMITS.get; i++) {
    const answer = await fetch(`${acme.baseUrl}/acme/identity_/api/ExternalClient`);
    if (answer.status === 429) return;
  }
  throw new Error('acme never answered 429');
}

test('add an organisation, switch, sync, work offline, copy to it, and follow expiring secrets', async ({
  app: page,
  desk,
}) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-acme-'));
  let acme = await startAcme(dataDir, 0);
  const acmePort = Number(new URL(acme.baseUrl).port);
  try {
    const admin = await acme.ensureAdminClient();
    if (!admin.secret) throw new Error('acme issued no admin secret on its first start');

    // On the local organisation: an application whose secret expires in 10 days, and one acme's catalogue cannot take.
    const robot = await registerExpiringSoon(desk);
    const { app: reader } = await desk.call('createApp', {
      name: 'Data reader',
      isConfidential: false,
      redirectUri: 'https://reader.example.com/callback',
      scopes: [{ name: 'DataFabric.Data.Read', type: 'user' }],
    });
    await page.reload();

    // The switcher lists every organisation; the embedded one says so.
    const header = page.getByTestId('current-organisation');
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Local Identity Server (embedded)');
    await page.getByTestId('organisation-switcher').click();
    await expect(page.getByTestId('organisation-option')).toHaveText([
      /^✓ Local Identity Server \(embedded\) 127\.0\.0\.1:\d+$/,
    ]);
    await expect(page.getByTestId('add-organisation')).toBeVisible();
    await shoot(page, 'switcher-open');
    await page.getByTestId('add-organisation').click();

    // Add Organisation: what to register in the portal, the rules on their fields, then the admin application.
    await expect(page.getByRole('heading', { name: 'Add organisation' })).toBeVisible();
    await expect(page.getByTestId('portal-instructions')).toContainText('PM.OAuthApp and PM.OAuthAppSecret.Write');
    await page.getByTestId('sign-in-account').click();
    // What to register is what the organisation accepts: the admin scopes as user scopes; offline_access is asked for
    // at sign-in, never registered (the embedded server refuses it as a registered scope, as it belongs to no resource).
    await expect(page.getByTestId('portal-instructions')).toContainText(
      'user scopes PM.OAuthApp and PM.OAuthAppSecret.Write, and the redirect URL',
    );
    await expect(page.getByTestId('portal-instructions')).toContainText('offline_access when you sign in');
    await expect(page.getByTestId('portal-instructions')).toContainText('it is not a scope you register');
    await expect(page.getByTestId('portal-instructions')).toContainText('http://127.0.0.1/callback');
    await expect(page.getByLabel('App secret')).toHaveCount(0);
    await page.getByTestId('sign-in-admin-app').click();

    await fillAcmeOrganisation(page, 'http://acme.example.com', admin.clientId);
    await expect(page.getByLabel('Organisation ID')).toHaveValue('acme');
    await page.getByLabel('App secret').fill(admin.secret.value);
    await page.getByTestId('submit-organisation').click();
    await expect(feedbackOf(page, 'Base URL')).toContainText('plain http is allowed only on a loopback address');
    await page.getByLabel('Base URL').fill(acme.baseUrl);
    await expect(feedbackOf(page, 'Base URL')).toHaveCount(0);
    // The shared rule (checkOrganisation) refuses the embedded organisation's ID on its field, before main is asked.
    await page.getByLabel('Organisation ID').fill('local');
    await page.getByTestId('submit-organisation').click();
    await expect(feedbackOf(page, 'Organisation ID')).toContainText('"local" is the embedded organisation');
    await page.getByLabel('Organisation ID').fill('acme');
    await expect(feedbackOf(page, 'Organisation ID')).toHaveCount(0);
    await expect(
      page.getByText('The secret goes straight into your OS keychain and is never shown again.'),
    ).toBeVisible();
    await shoot(page, 'add-organisation');

    await page.getByTestId('submit-organisation').click();
    const checks = page.getByTestId('connection-check');
    await expect(checks).toHaveCount(5);
    for (const line of await checks.all()) await expect(line).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('connection-summary')).toHaveText('Every check passed.');
    // The new organisation is the current one.
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
    await expect(header).toContainText(`${acme.baseUrl}/acme`);
    await shoot(page, 'checks');

    // Work there: its list, a new application.
    await page.getByTestId('organisation-done').click();
    await expect(page.locator('[data-testid="app-row"]', { hasText: 'Invoice robot' })).toHaveCount(0);
    await openWizard(page);
    await fillWizard(page, {
      name: 'Acme robot',
      confidential: true,
      scopes: [{ resource: ORCHESTRATOR, application: ['OR.Jobs.Read'] }],
    });
    await page.getByTestId('submit-application').click();
    await expect(result(page)).toBeVisible();
    await result(page).getByTestId('close-result').click();
    await expect(page.locator('[data-testid="app-row"]', { hasText: 'Acme robot' })).toBeVisible();

    // Sync while another client has spent acme's allowance: the progress, the rate-limit wait, then done.
    await exhaustGets(acme);
    await page.getByTestId('sync').click();
    await expect(page.getByTestId('sync-progress')).toBeVisible();
    await expect(page.getByTestId('sync-stop')).toBeVisible();
    await expect(page.getByTestId('rate-limit-wait')).toContainText(/waiting \d+ s \(rate limit\)/);
    await page.screenshot({ path: `${SCREENSHOTS}/1280x800/organisations-sync.png` });
    await expect(page.getByText(/Synced \d+ applications? from Acme/)).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('sync-progress')).toHaveCount(0);
    await expect(page.getByTestId('organisation-last-sync')).toContainText('synced');

    // acme stops answering: Offline, the list from the cache, and what needs the server disabled with the reason.
    await acme.close();
    await page.getByTestId('apps-refresh').click();
    await expect(page.getByTestId('organisation-offline')).toHaveText('Offline');
    await expect(page.getByTestId('organisation-offline-note')).toContainText('last synced');
    await expect(page.locator('[data-testid="app-row"]', { hasText: 'Acme robot' })).toBeVisible();
    // Add Application stays open offline: the wizard can only save a draft then (its Add is disabled).
    await expect(page.getByTestId('add-application')).toBeEnabled();
    await expect(page.getByTestId('offline-note')).toContainText('Acme is offline: changes need a connection.');
    await expect(page.getByTestId('sync')).toBeDisabled();
    await shoot(page, 'offline');
    // An application's page from the cache: no Delete or Copy to while offline.
    await page.locator('[data-testid="app-row"]', { hasText: 'Acme robot' }).locator('a.app-name').click();
    await expect(page.getByRole('heading', { name: 'Acme robot' })).toBeVisible();
    await expect(page.getByTestId('delete-application-open')).toBeDisabled();
    await expect(page.getByTestId('copy-to-open')).toBeDisabled();
    await expect(page.getByTestId('offline-note')).toBeVisible();

    // acme answers again on the same port: the header finds out by itself and syncs.
    acme = await startAcme(dataDir, acmePort);
    await expect(page.getByTestId('organisation-offline')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId('delete-application-open')).toBeEnabled();

    // Copy from the local organisation to acme: a scope acme lacks blocks it; an application it can take is copied.
    await page.getByTestId('organisation-switcher').click();
    await page.locator('[data-testid="organisation-option"][data-organisation="local"]').click();
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Local Identity Server (embedded)');
    await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
    const open = async (id: string) => {
      await page.locator(`[data-testid="app-row"][data-app-id="${id}"]`).locator('a.app-name').click();
      await expect(page.getByTestId('application-id')).toHaveText(id);
    };
    await open(reader.id);
    await page.getByTestId('copy-to-open').click();
    const dialog = page.getByTestId('copy-application');
    // The copy's plan at acme: refused, in the rule's words for the scope acme lacks.
    const refused = dialog.locator('[data-testid="plan-entry"][data-action="refused"]');
    await expect(refused.getByTestId('plan-refusal')).toContainText(['DataFabric.Data.Read']);
    await expect(dialog.getByTestId('confirm-copy')).toBeDisabled();
    await shoot(page, 'copy-missing');
    await dialog.getByTestId('cancel-copy').click();

    await page.getByText('← External Applications').click();
    await open(robot.id);
    await page.getByTestId('copy-to-open').click();
    await expect(dialog.getByTestId('copy-ready')).toContainText('Acme offers every scope');
    await expect(dialog.locator('[data-testid="plan-entry"][data-action="create"]')).toContainText('Invoice robot');
    await shoot(page, 'copy-dialog');
    await dialog.getByTestId('confirm-copy').click();
    const copied = page.getByTestId('copy-result');
    await expect(copied).toContainText('Invoice robot is registered in Acme');
    const newId = (await copied.getByTestId('copy-result-app-id').locator('input').inputValue()).trim();
    expect(newId).not.toBe(robot.id);
    await expect(copied.getByTestId('keychain-saved')).toContainText(`acme/${newId}/`);
    await copied.getByTestId('close-result').click();
    const atAcme = await desk.call('getApp', { organisation: 'acme', clientId: newId });
    expect(atAcme.resources.flatMap((r) => r.scopes).map((s) => `${s.type}:${s.name}`)).toEqual([
      'application:OR.Queues.Read',
    ]);

    // The expiring badge counts across organisations; a row switches organisation and opens the application.
    await page.getByTestId('organisation-switcher').click();
    await page.locator('[data-testid="organisation-option"][data-organisation="acme"]').click();
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
    await expect(page.locator('.n-badge-sup')).toBeVisible();
    await page.getByTestId('expiring-open').click();
    const row = page.locator(`[data-testid="expiring-row"][data-app-id="${robot.id}"]`);
    await expect(row).toContainText('Invoice robot');
    await expect(row).toContainText('Rotates soon');
    await shoot(page, 'expiring');
    await row.click();
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Local Identity Server (embedded)');
    await expect(page.getByTestId('application-id')).toHaveText(robot.id);
  } finally {
    await acme.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
