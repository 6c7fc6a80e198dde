// An organisation's sign-in is changed in its settings, never by removing and adding it again; and removing the current
// organisation switches the list to the next one quietly.
import { expect, test } from './fixtures';
import { addAcme, openCurrentSettings, registerOnAcme, startAcme, stopAcme, useAcmeInWindow } from './acme';
import { expectAccessible } from './axe';
import { shootAtBothSizes } from './shots';
import { feedbackOf } from './wizard';

test('removing the current organisation switches the list to the embedded one, with no error', async ({
  app: page,
  desk,
}) => {
  test.setTimeout(90_000);
  const acme = await startAcme();
  try {
    await addAcme(desk, acme);
    await desk.call('createApp', {
      organisation: 'local',
      name: 'Embedded robot',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    await desk.call('createApp', {
      organisation: 'acme',
      name: 'Acme robot',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    await desk.call('syncOrganisation', { organisation: 'acme' });
    await useAcmeInWindow(page);
    await expect(page.getByTestId('apps-table')).toContainText('Acme robot');

    await openCurrentSettings(page);
    await page.getByTestId('remove-organisation').click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(page.getByTestId('organisation-settings-drawer')).toBeHidden();
    await expect(page.getByTestId('current-organisation-name')).not.toHaveText('Acme');
    await expect(page.getByTestId('apps-table')).toContainText('Embedded robot');
    await expect(page.getByTestId('apps-table')).not.toContainText('Acme robot');
    // Give a late answer for the removed organisation its time to show; none may.
    await page.waitForTimeout(1500);
    await expect(page.getByTestId('error-notice')).toHaveCount(0);
  } finally {
    await stopAcme(acme);
  }
});

test('Change sign-in: a refused secret keeps the old one and says so on the field; a proven one replaces it', async ({
  app: page,
  desk,
}) => {
  test.setTimeout(120_000);
  const acme = await startAcme();
  try {
    await addAcme(desk, acme);
    const oldEntry = `acme/admin/${acme.admin.clientId}`;
    const narrow = await registerOnAcme(acme, 'Read only admin', ['PM.OAuthApp.Read']);
    const next = await registerOnAcme(acme, 'New admin', ['PM.OAuthApp', 'PM.OAuthAppSecret.Write']);
    await useAcmeInWindow(page);
    await openCurrentSettings(page);
    await page.getByTestId('change-sign-in').click();
    const form = page.getByTestId('change-sign-in-form');
    await expect(form.getByLabel('App ID')).toHaveValue(acme.admin.clientId);

    // A refused secret: on its field, and the keychain still holds the old one.
    await form.getByLabel('App secret').fill('not-the-secret');
    await page.getByTestId('submit-sign-in').click();
    await expect(feedbackOf(page, 'App secret')).toHaveText(
      "Acme refused this secret. Check the App ID, and paste the admin application's current secret.",
    );
    await expect(page.getByTestId('error-notice')).toHaveCount(0);
    expect(await desk.readSecret(oldEntry)).toBe(acme.admin.secret);
    await expectAccessible(page, 'change sign-in refused');
    await shootAtBothSizes(page, 'organisation-change-sign-in-refused');

    // A secret acme accepts, of an application that cannot manage secrets: the checks say so and the old one stays.
    await form.getByLabel('App ID').fill(narrow.id);
    await form.getByLabel('App secret').fill(narrow.secret);
    await page.getByTestId('submit-sign-in').click();
    await expect(page.getByTestId('sign-in-kept')).toContainText('The old sign-in stays');
    await expect(page.locator('[data-check="secretManagement"]')).toHaveAttribute('data-result', 'failed');
    expect(await desk.readSecret(oldEntry)).toBe(acme.admin.secret);
    expect(await desk.readSecret(`acme/admin/${narrow.id}`)).toBeNull();

    // A proven sign-in replaces the old one.
    await form.getByLabel('App ID').fill(next.id);
    await form.getByLabel('App secret').fill(next.secret);
    await page.getByTestId('submit-sign-in').click();
    await expect(page.getByTestId('sign-in-changed')).toContainText('every check passed');
    await expect(page.getByTestId('organisation-settings-drawer')).toContainText(`acme/admin/${next.id}`);
    expect(await desk.readSecret(`acme/admin/${next.id}`)).toBe(next.secret);
    expect(await desk.readSecret(oldEntry)).toBeNull();
    await shootAtBothSizes(page, 'organisation-change-sign-in-done');
    await page.getByTestId('test-connection').click();
    await expect(page.getByTestId('connection-summary')).toHaveText('Every check passed.');
  } finally {
    await stopAcme(acme);
  }
});
