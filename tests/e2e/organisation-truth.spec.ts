// The window tells the truth about organisations: a refused secret on its field; connection checks that pass only
// what they checked with a new token, fail in red with their fix, and keep a failing organisation from becoming the
// current one by itself; error messages that stay and are alerts; an offline application page that keeps an edit as a pending change;
// and removing an organisation keeps its application secrets, listed to copy or delete.
// A second embedded Identity Server plays the organisation "acme"; offline is that server stopped.
import keytar from 'keytar';
import {
  addAcme,
  addAcmeWithRobot,
  fillAcmeOrganisation,
  openCurrentSettings,
  registerOnAcme,
  takeAcmeOffline,
  testWithAcme as test,
  useAcmeInWindow,
} from './acme';
import { expectAccessible } from './axe';
import { expect } from './fixtures';
import { openApplication } from './application';
import { shootAtBothSizes } from './shots';
import { feedbackOf } from './wizard';

test('Add organisation: a refused secret on its field; failing checks in words with their fix, not made current', async ({
  app: page,
  acme,
}) => {
  test.setTimeout(120_000);
  const narrow = await registerOnAcme(acme, 'Read only admin', ['PM.OAuthApp.Read']);
  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('add-organisation').click();
  await fillAcmeOrganisation(page, acme.server.baseUrl, narrow.id);
  await page.getByLabel('App secret').fill('not-the-secret');
  await page.getByTestId('submit-organisation').click();
  // The refusal is on the field to change, and read out; no message to chase.
  await expect(feedbackOf(page, 'App secret')).toHaveText(
    "Acme refused this secret. Check the App ID, and paste the admin application's current secret.",
  );
  await expect(page.getByTestId('announcement')).toContainText('Acme refused this secret.');
  await expect(page.getByTestId('error-notice')).toHaveCount(0);

  await page.getByLabel('App secret').fill(narrow.secret);
  await page.getByTestId('submit-organisation').click();
  const failed = page.locator('[data-testid="connection-check"][data-check="secretManagement"]');
  await expect(failed).toHaveAttribute('data-result', 'failed');
  await expect(failed.getByTestId('connection-check-result')).toHaveText('Failed');
  await expect(failed.getByTestId('connection-check-fix')).toHaveText(
    'Fix: Add PM.OAuthAppSecret.Write to the admin application in the portal, then Test connection.',
  );
  const color = await failed.locator('.checks__detail').evaluate((el) => getComputedStyle(el).color);
  const [r = 0, g = 0, b = 0] = (color.match(/\d+/g) ?? []).map(Number);
  expect(r, `a failed line is red (${color})`).toBeGreaterThan(g + b);
  await expect(page.getByTestId('connection-summary')).toHaveText('1 of 5 checks failed.');
  // Not made current by itself: the admin decides.
  await expect(page.getByTestId('organisation-added-not-current')).toContainText('is not the current organisation');
  await expect(page.getByTestId('current-organisation-name')).not.toHaveText('Acme');
  await expectAccessible(page, 'an added organisation whose checks failed');
  await shootAtBothSizes(page, 'organisation-added-checks-failed');
  await page.getByTestId('organisation-use-anyway').click();
  await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
  await expect(page.getByTestId('organisation-added-current')).toBeVisible();
});

test('offline: nothing passes that was not checked, and the application page says an edit is kept pending', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(120_000);
  const app = await addAcmeWithRobot(desk, acme);
  await useAcmeInWindow(page);
  await openCurrentSettings(page);
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('connection-summary')).toHaveText('Every check passed.');
  await page.keyboard.press('Escape');

  await takeAcmeOffline(page, acme);
  await openApplication(page, app.id);
  // Offline, an edit is kept as a pending change (offline-pending-edit.spec.ts), and the page says so.
  await expect(page.getByTestId('offline-edit-note')).toContainText(
    'Acme is offline: Save keeps your edit as a pending change, applied when it answers.',
  );
  await expect(page.getByTestId('delete-application-open')).toBeDisabled();
  await expectAccessible(page, 'an application page offline');

  // Test connection asks for a new token: offline, nothing after the failed line passes.
  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('organisation-settings').click();
  await page.getByTestId('test-connection').click();
  const lines = page.getByTestId('connection-check');
  await expect(lines).toHaveCount(5);
  await expect(page.locator('[data-testid="connection-check"][data-result="passed"]')).toHaveCount(0);
  await expect(page.locator('[data-check="token"]').getByTestId('connection-check-result')).toHaveText('Not checked');
  await expect(page.locator('[data-check="secretManagement"]')).toContainText('not checked');
  await expect(page.locator('[data-check="discovery"]').getByTestId('connection-check-fix')).toContainText(
    'Check the network and the base URL',
  );
  await expect(page.getByTestId('connection-summary')).toHaveText('1 of 5 checks failed; 4 not checked.');
  await expectAccessible(page, 'connection checks offline');
  await shootAtBothSizes(page, 'connection-checks-offline');
});

test('removing an organisation keeps its application secrets, listed to copy or delete; errors stay', async ({
  app: page,
  desk,
  acme,
}) => {
  test.setTimeout(120_000);
  await addAcme(desk, acme);
  const { app, secret } = await desk.call('createApp', {
    organisation: 'acme',
    name: 'Only copy here',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  });
  await useAcmeInWindow(page);
  await openCurrentSettings(page);
  await expect(page.getByTestId('remove-delete-secrets')).toContainText('Also delete its 1 application secret');
  await page.getByTestId('remove-organisation').click();
  const confirmation = page.getByTestId('remove-organisation-confirm');
  await expect(confirmation).toContainText(
    'Its 1 application secret stays in your keychain, listed under “Kept secrets of removed organisations”',
  );
  await expectAccessible(page, 'the removal confirmation');
  await shootAtBothSizes(page, 'organisation-remove-confirm');
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByTestId('organisation-settings-drawer')).toBeHidden();
  expect(await desk.readSecret(`acme/${app.id}/${secret?.id ?? ''}`)).toBe(secret?.value);

  // The kept secrets are listed in organisation settings: copied through main, or deleted on purpose.
  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('organisation-settings').click();
  const row = page.getByTestId('kept-secret');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Only copy here');
  await expect(row).toContainText('Acme');
  await expectAccessible(page, 'kept secrets of removed organisations');
  await page.getByTestId('kept-secrets').scrollIntoViewIfNeeded();
  await shootAtBothSizes(page, 'kept-secrets');
  await row.getByRole('button', { name: 'Copy the kept secret of Only copy here' }).click();
  await expect.poll(() => desk.clipboard.text).toBe(secret?.value);

  // An error stays until it is closed, and is an alert: the keychain lost the entry behind the list's back.
  // (A fresh page: the accessibility checks above turned transitions off, which a closing message waits for.)
  await page.reload();
  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('organisation-settings').click();
  await expect(row).toHaveCount(1);
  await keytar.deletePassword(desk.keychainService, `acme/${app.id}/${secret?.id ?? ''}`);
  await row.getByRole('button', { name: 'Copy the kept secret of Only copy here' }).click();
  const error = page.getByRole('alert').filter({ hasText: 'Could not copy the secret' });
  await expect(error).toContainText('The keychain no longer holds');
  await expect(page.locator('#notices')).toHaveAttribute('role', 'status');
  await page.waitForTimeout(4000);
  await expect(error).toBeVisible();
  await page.getByRole('status').getByRole('button', { name: 'close' }).click();
  await expect(error).toHaveCount(0);

  await row.getByRole('button', { name: 'Delete the kept secret of Only copy here' }).click();
  await expect(page.getByTestId('delete-kept-secret-confirm')).toContainText('the value is lost');
  await page.getByRole('button', { name: 'Delete from keychain' }).click();
  await expect(page.getByTestId('kept-secrets-empty')).toBeVisible();
  expect(await desk.call('listKeptSecretsOfRemoved', {})).toEqual([]);
});
