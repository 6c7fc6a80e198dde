// The admin application (the one OAuth Desk manages the organisation through) is marked in the list and on its page;
// its PM.OAuthApp scopes cannot be removed and it has no Delete, with sentences that say why and how to retire it.
import { test, expect } from './fixtures';
import { openApplication } from './application';
import { shootAtBothSizes } from './shots';
import { expectAccessible } from './axe';
import { scopeTab } from './wizard';

test('marked in the list and on its page, no Delete but how to retire it, and its admin scopes stay', async ({
  app: page,
  desk,
}) => {
  const { adminClientId } = await desk.call('showOrganisation', { organisation: 'local' });
  await page.getByTestId('apps-refresh').click();
  const row = page.locator(`[data-testid="app-row"][data-app-id="${adminClientId}"]`);
  await expect(row.getByTestId('admin-app-mark')).toHaveText('Admin');
  await expect(page.getByTestId('admin-app-mark')).toHaveCount(1);

  await openApplication(page, adminClientId);
  await expect(page.getByTestId('admin-app-mark')).toHaveText('Admin application');
  await expect(page.getByTestId('danger-zone')).toHaveCount(0);
  await expect(page.getByTestId('delete-application-open')).toHaveCount(0);
  await expect(page.getByTestId('admin-app-retire')).toContainText('so it cannot be deleted here');
  await expect(page.getByTestId('admin-app-retire')).toContainText(
    'It belongs to the embedded Identity Server and stays as long as OAuth Desk does.',
  );

  // Its admin scopes cannot be unticked in the panel, which says why; their row has no working Remove.
  await expect(page.getByRole('button', { name: 'Remove Platform Management API Access' })).toBeDisabled();
  await page.getByRole('button', { name: 'Edit Platform Management API Access' }).click();
  const panel = page.getByTestId('edit-resource');
  await expect(panel.getByTestId('admin-scopes-kept')).toContainText(
    'OAuth Desk manages Local Identity Server through this application, so it must keep PM.OAuthApp and PM.OAuthAppSecret.Write',
  );
  await scopeTab(page, 'Application Scope(s)').click();
  const adminScope = panel
    .getByRole('group', { name: 'Application scopes' })
    .getByRole('checkbox', { name: 'PM.OAuthApp', exact: true });
  await expect(adminScope).toHaveAttribute('aria-disabled', 'true');
  await expect(adminScope).toHaveAttribute('aria-checked', 'true');
  await adminScope.click({ force: true });
  await expect(adminScope).toHaveAttribute('aria-checked', 'true');
  await expectAccessible(page, 'the admin application in the Edit Resource panel');
  await shootAtBothSizes(page, 'admin-app-scopes-kept');
  await panel.getByTestId('save-resource').click();
  await expect(panel).toBeHidden();
  await expect(page.getByTestId('unsaved')).toHaveCount(0);
  const kept = (await desk.call('getApp', { clientId: adminClientId })).resources.flatMap((r) => r.scopes);
  expect(kept.map((s) => s.name)).toEqual(expect.arrayContaining(['PM.OAuthApp', 'PM.OAuthAppSecret.Write']));

  // Main refuses Delete too, with the same kind of sentence: no `clientId:` and no GUID.
  const refused = await desk.call('deleteApp', { clientId: adminClientId }).catch((e: unknown) => e as Error);
  expect(refused).toBeInstanceOf(Error);
  expect((refused as Error).message).toMatch(
    /^This is the admin application OAuth Desk manages Local Identity Server through/,
  );
  expect((refused as Error).message).not.toContain(adminClientId);
  expect((refused as Error).message).not.toContain('clientId');
});

test('any other application is not marked and keeps its Delete', async ({ app: page, desk }) => {
  const { app } = await desk.call('createApp', {
    name: 'Plain app',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await openApplication(page, app.id);
  await expect(page.getByTestId('admin-app-mark')).toHaveCount(0);
  await expect(page.getByTestId('delete-application-open')).toBeVisible();
  await expect(page.getByTestId('admin-app-retire')).toHaveCount(0);
});
