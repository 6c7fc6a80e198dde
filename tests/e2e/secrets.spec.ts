// The App Secret section over the real dispatch: rotate with overlap (both secrets in the keychain, then the offer to
// delete the old one once the integration has switched), replace, delete one, copy from the keychain.
import { test, expect, SCREENSHOTS, type Desk } from './fixtures';
import { confirmation, openApplication, registerApp, secretRow, secretRows } from './application';
import type { Page } from '@playwright/test';

const SCOPE = 'OR.Jobs.Read';

/** A client_credentials token request, as the integration makes it; answers the HTTP status. */
async function requestToken(desk: Desk, clientId: string, secret: string): Promise<number> {
  const { tokenUrl } = await desk.call('showOrganisation', {});
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE }),
  });
  return response.status;
}

/** Generate New in the page; answers the secret the result dialog showed, and leaves the dialog open. */
async function generateNew(
  page: Page,
  options: { mode: 'replace' | 'overlap'; description?: string },
): Promise<string> {
  await page.getByTestId('generate-new').click();
  const dialog = page.getByTestId('generate-secret');
  await expect(dialog).toContainText('The current secrets stop working once the new one is safely in your keychain');
  await expect(dialog).toContainText('use this to switch an integration without downtime');
  if (options.description) await dialog.getByLabel('Description').fill(options.description);
  await dialog.getByTestId(options.mode === 'replace' ? 'mode-replace' : 'mode-overlap').click();
  await dialog.getByTestId('confirm-generate').click();
  const result = page.getByTestId('secret-result');
  await expect(result.getByTestId('keychain-saved')).toBeVisible();
  return result.getByTestId('result-secret').locator('input').inputValue();
}

test('rotate with overlap: two secrets, both in the keychain; once the integration uses the new one, the page offers to delete the old', async ({
  app: page,
  desk,
}) => {
  const { app, secret: first } = await registerApp(desk, {
    name: 'Overlap app',
    scopes: [{ name: SCOPE, type: 'application' }],
  });
  await openApplication(page, app.id);
  await expect(secretRows(page)).toHaveCount(1);

  const second = await generateNew(page, { mode: 'overlap', description: 'rotation 2026' });
  const result = page.getByTestId('secret-result');
  await expect(result.getByTestId('overlap-note')).toContainText('The current secrets keep working');
  await page.screenshot({ path: `${SCREENSHOTS}/secret-generated.png` });
  await result.getByTestId('close-result').click();
  await expect(result).toBeHidden();
  expect(await page.content()).not.toContain(second);

  // Both listed, each with its keychain entry, and the keychain holds both values.
  await expect(secretRows(page)).toHaveCount(2);
  const records = await desk.call('listSecrets', { clientId: app.id });
  expect(records).toHaveLength(2);
  const values = await Promise.all(records.map((r) => desk.readSecret(r.keychain!.account)));
  expect(values.sort()).toEqual([first!.value, second].sort());
  for (const record of records)
    await expect(secretRow(page, record.id)).toContainText(`${record.keychain!.service} / ${record.keychain!.account}`);
  // No offer while the integration has not used the new secret yet.
  await expect(page.getByTestId('left-behind')).toHaveCount(0);

  // The integration switches to the new secret (the old one is not used since): the page sees it by the last-used
  // times and offers to delete the old one.
  expect(await requestToken(desk, app.id, second)).toBe(200);
  await page.getByRole('link', { name: '← External Applications' }).click();
  await page.locator(`[data-testid="app-row"][data-app-id="${app.id}"]`).locator('a.app-name').click();
  const offer = page.getByTestId('left-behind');
  await expect(offer).toContainText('Your integration has switched to the newest secret');
  // The page scrolls inside its view, so the section is brought into sight before the picture.
  await page.getByTestId('secrets-section').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/secrets-section.png` });
  await offer.getByTestId('delete-left-behind').click();
  const confirm = confirmation(page, 'will stop working');
  // A secret without a description is named by its creation date, the fingerprint second.
  await expect(confirm).toContainText(
    /Integrations using the secret created .+ \(fingerprint [0-9a-f]{8}\) will stop working/,
  );
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(secretRows(page)).toHaveCount(1);
  await expect(secretRows(page)).toContainText('rotation 2026');
  await expect(offer).toHaveCount(0);

  expect(await requestToken(desk, app.id, first!.value)).toBe(401);
  expect(await requestToken(desk, app.id, second)).toBe(200);
  expect(await desk.readSecret(first!.keychain.account)).toBeNull();
});

test('replace: one secret left, the keychain’s, and the dialog says which were deleted', async ({
  app: page,
  desk,
}) => {
  const { app, secret: first } = await registerApp(desk, {
    name: 'Replace app',
    scopes: [{ name: SCOPE, type: 'application' }],
  });
  await openApplication(page, app.id);

  const replacement = await generateNew(page, { mode: 'replace', description: 'replacement' });
  const result = page.getByTestId('secret-result');
  await expect(result.getByTestId('replaced-secrets')).toContainText('These secrets were deleted and stopped working');
  await result.getByTestId('close-result').click();

  await expect(secretRows(page)).toHaveCount(1);
  await expect(secretRows(page)).toContainText('replacement');
  const [only] = await desk.call('listSecrets', { clientId: app.id });
  expect(await desk.readSecret(only!.keychain!.account)).toBe(replacement);
  expect(await desk.readSecret(first!.keychain.account)).toBeNull();
  expect(await requestToken(desk, app.id, first!.value)).toBe(401);
  expect(await requestToken(desk, app.id, replacement)).toBe(200);
});

test('replace while the keychain refuses: nothing is deleted until Retry stores the new one, then the dialog says what went', async ({
  app: page,
  desk,
}) => {
  const { app, secret: first } = await registerApp(desk, {
    name: 'Refused replace app',
    scopes: [{ name: SCOPE, type: 'application' }],
  });
  await openApplication(page, app.id);

  desk.keychain.refusing = true;
  await page.getByTestId('generate-new').click();
  const dialog = page.getByTestId('generate-secret');
  await dialog.getByTestId('mode-replace').click();
  await dialog.getByTestId('confirm-generate').click();
  const result = page.getByTestId('secret-result');
  await expect(result.getByTestId('keychain-failed')).toBeVisible();
  await expect(result.getByTestId('replace-pending')).toContainText(
    'they are deleted only once the new one is safely in your keychain',
  );
  expect(await requestToken(desk, app.id, first!.value)).toBe(200);

  desk.keychain.refusing = false;
  await result.getByTestId('retry-keychain').click();
  await expect(result.getByTestId('keychain-saved')).toBeVisible();
  await expect(result.getByTestId('replaced-secrets')).toContainText(
    `1 secret was deleted and stopped working: ${first!.id}.`,
  );
  expect(await requestToken(desk, app.id, first!.value)).toBe(401);
  await result.getByTestId('close-result').click();
  await expect(secretRows(page)).toHaveCount(1);
});

test('delete one secret: the confirmation names what stops working, and the secret is gone', async ({
  app: page,
  desk,
}) => {
  const { app, secret: first } = await registerApp(desk, {
    name: 'Two secrets app',
    scopes: [{ name: SCOPE, type: 'application' }],
  });
  const { secret: second } = await desk.call('generateSecret', {
    clientId: app.id,
    description: 'CI runner',
    mode: 'overlap',
  });
  await openApplication(page, app.id);
  await expect(secretRows(page)).toHaveCount(2);

  await secretRow(page, second.id).getByTestId('delete-secret').click();
  const confirm = confirmation(page, 'will stop working');
  await expect(confirm).toContainText('Integrations using secret “CI runner” created');
  // Cancel keeps it.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(secretRows(page)).toHaveCount(2);

  await secretRow(page, second.id).getByTestId('delete-secret').click();
  await confirmation(page, 'will stop working').getByRole('button', { name: 'Delete' }).click();
  await expect(secretRow(page, second.id)).toHaveCount(0);
  await expect(secretRows(page)).toHaveCount(1);
  const left = await desk.call('listSecrets', { clientId: app.id });
  expect(left.map((s) => s.id)).toEqual([first!.id]);
  expect(await desk.readSecret(second.keychain.account)).toBeNull();
});

test('copy a secret: main puts the keychain’s value on the clipboard and says when it is cleared', async ({
  app: page,
  desk,
}) => {
  const { app, secret } = await registerApp(desk, { name: 'Copy app', scopes: [{ name: SCOPE, type: 'application' }] });
  await openApplication(page, app.id);
  await secretRow(page, secret!.id).getByTestId('copy-keychain-secret').click();
  await expect(
    page.getByText(`Copied; the clipboard is cleared in ${desk.clipboardClearAfterSeconds} seconds.`),
  ).toBeVisible();
  expect(desk.clipboard.text).toBe(await desk.readSecret(secret!.keychain.account));
  // The value never came to the page.
  expect(await page.content()).not.toContain(secret!.value);
});
