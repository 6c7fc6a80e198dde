// When the OS keychain refuses a new secret, the dialog says so, keeps the secret on screen, and Retry saves it.
import { test, expect } from './fixtures';
import { ORCHESTRATOR, fillWizard, openWizard, result } from './wizard';

test('a keychain that refuses: the secret stays on screen and Retry puts it in the keychain', async ({
  app: page,
  desk,
}) => {
  desk.keychain.refusing = true;
  await openWizard(page);
  await fillWizard(page, {
    name: 'Locked keychain app',
    confidential: true,
    scopes: [{ resource: ORCHESTRATOR, application: ['OR.Assets.Read'] }],
  });
  await page.getByTestId('submit-application').click();

  const dialog = result(page);
  await expect(dialog.getByTestId('keychain-failed')).toContainText('The OS keychain could not store it');
  await expect(dialog.getByTestId('keychain-failed')).toContainText('no Secret Service is running');
  const secret = await dialog.getByTestId('result-secret').locator('input').inputValue();
  expect(secret.length).toBeGreaterThanOrEqual(32);

  desk.keychain.refusing = false;
  await dialog.getByTestId('retry-keychain').click();
  const saved = dialog.getByTestId('keychain-saved');
  await expect(saved).toContainText(`Saved to your keychain as ${desk.keychainService} / `);
  const account = (await saved.textContent())!.split(' / ').pop()!.trim();
  expect(await desk.readSecret(account)).toBe(secret);
  await dialog.getByTestId('close-result').click();
  await expect(dialog).toBeHidden();
});
