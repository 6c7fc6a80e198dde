// A scope set applied while the organisation cannot be reached: the preview, made from the cache, is kept as a pending
// change; once the organisation answers again (its server restarted on the same port), the window syncs, previews the
// change afresh (the application as the server has it now) and applies it, and the server has the scopes.
// A second embedded Identity Server plays the organisation "acme"; offline is that server stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import type { ExternalClient } from '../../src/shared/model';
import { attachApi } from './attach';
import { test, expect } from './fixtures';
import { shootAtBothSizes } from './shots';

const startAcme = (dataDir: string, port: number): Promise<RunningIdentityServer> =>
  startIdentityServer({ dataDir, port, orgName: 'acme' });

const applicationScopes = (app: ExternalClient) =>
  app.resources.flatMap((r) => r.scopes.filter((s) => s.type === 'application').map((s) => s.name)).sort();

test('kept as a pending change offline, then previewed afresh and applied once the organisation answers', async ({
  page,
  desk,
  rendererUrl,
}) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-pending-'));
  let acme = await startAcme(dataDir, 0);
  const acmePort = Number(new URL(acme.baseUrl).port);
  try {
    const admin = await acme.ensureAdminClient();
    if (!admin.secret) throw new Error('acme issued no admin secret on its first start');
    await desk.call('addOrganisation', {
      id: 'acme',
      displayName: 'Acme',
      baseUrl: acme.baseUrl,
      orgName: 'acme',
      signIn: { method: 'adminApp', clientId: admin.clientId, clientSecret: admin.secret.value },
    });
    const robot = (
      await desk.call('createApp', {
        organisation: 'acme',
        name: 'Acme robot',
        isConfidential: true,
        scopes: [{ name: 'OR.Folders.Read', type: 'application' }],
      })
    ).app;
    await desk.call('saveScopeSet', {
      name: 'Queue worker',
      description: 'Works the invoice queues',
      scopes: [{ name: 'OR.Queues', type: 'application' }],
    });
    await desk.call('syncOrganisation', { organisation: 'acme' });

    // The window opens on acme, then loses it.
    await desk.call('useOrganisation', { organisation: 'acme' });
    await attachApi(page, desk.context.dispatch, desk.context.events);
    await page.goto(`${rendererUrl}/index.html#/applications`);
    await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
    await acme.close();
    await page.getByTestId('apps-refresh').click();
    await expect(page.getByTestId('organisation-offline')).toHaveText('Offline');

    // Offline: the preview is made from the cache and can only be kept.
    await page.getByRole('menuitem', { name: 'Scope Sets' }).click();
    await page.getByTestId('scope-set-row').getByTestId('apply-set').click();
    await expect(page.getByRole('heading', { name: 'Apply a scope set to applications' })).toBeVisible();
    await page.getByTestId('apply-filter').locator('input').fill('robot');
    await page.getByTestId('apply-check-shown').click();
    await page.getByTestId('apply-preview-open').click();
    const preview = page.getByTestId('scope-set-preview');
    await expect(preview).toContainText('Offline: this preview was made from the cache');
    await expect(preview.getByTestId('apply-preview')).toHaveCount(0);
    await shootAtBothSizes(page, 'scope-set-preview-offline');
    await preview.getByTestId('keep-pending').click();

    await expect(page.getByRole('heading', { name: 'Scope Sets' })).toBeVisible();
    const pending = page.getByTestId('pending-change');
    await expect(pending).toContainText('Pending change: Queue worker in Acme');
    await expect(pending.getByTestId('pending-apply')).toBeDisabled();
    // Nothing reached acme's server while it was away.
    expect((await desk.call('listPendingChanges', { organisation: 'acme' })).map((c) => c.setName)).toEqual([
      'Queue worker',
    ]);

    // acme answers again on the same port, and the application is renamed there before the change goes on.
    acme = await startAcme(dataDir, acmePort);
    await expect(page.getByTestId('organisation-offline')).toHaveCount(0, { timeout: 30_000 });
    await expect(pending.getByTestId('pending-apply')).toBeEnabled();
    await desk.call('updateApp', { organisation: 'acme', clientId: robot.id, name: 'Acme queue robot' });
    await pending.getByTestId('pending-apply').click();

    // A fresh preview from the server, of the applications the change named.
    await expect(preview).toBeVisible();
    await expect(preview).not.toContainText('Offline');
    await expect(preview.getByTestId('plan-counts')).toHaveText(/^1 application in .+: 1 to update\.$/);
    await expect(preview.getByTestId('plan-entry').filter({ hasText: 'Acme queue robot' })).toContainText(
      'Add application scopes: OR.Queues',
    );
    await preview.getByTestId('apply-preview').click();
    await expect(page.getByTestId('apply-progress').getByTestId('apply-summary')).toContainText('1 applied', {
      timeout: 20_000,
    });

    // On the server, for real; and the pending change is gone.
    expect(applicationScopes(await desk.call('getApp', { organisation: 'acme', clientId: robot.id }))).toEqual([
      'OR.Folders.Read',
      'OR.Queues',
    ]);
    expect(await desk.call('listPendingChanges', { organisation: 'acme' })).toEqual([]);
  } finally {
    await acme.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
