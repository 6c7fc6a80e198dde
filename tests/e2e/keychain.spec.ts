// When the OS keychain refuses a new secret: the dialog warns that it holds the only copy and says why in a sentence,
// Retry is its primary button, a Retry that fails again says so and when, and Close asks first, saying the secret
// will be lost. When Retry succeeds, the dialog says where the secret is and Close just closes.
import { test, expect } from './fixtures';
import { confirmation } from './application';
import { shootAtBothSizes } from './shots';
import { ORCHESTRATOR, fillWizard, openWizard, result } from './wizard';

const LOCKED = 'Cannot create an item in a locked collection';

async function registerWithRefusingKeychain(page: Parameters<typeof openWizard>[0], name: string): Promise<void> {
  await openWizard(page);
  await fillWizard(page, {
    name,
    confidential: true,
    scopes: [{ resource: ORCHESTRATOR, application: ['OR.Assets.Read'] }],
  });
  await page.getByTestId('submit-application').click();
}

test('a locked keychain: the reason as a sentence, Retry first, a failed Retry shown with its time, Close asks first', async ({
  app: page,
  desk,
}) => {
  desk.keychain.refusing = true;
  desk.keychain.refusal = LOCKED;
  await registerWithRefusingKeychain(page, 'Locked keychain app');

  const dialog = result(page);
  const failed = dialog.getByTestId('keychain-failed');
  await expect(failed).toContainText('This is the only copy of the secret');
  await expect(dialog.getByTestId('keychain-reason')).toHaveText('Your keychain is locked. Unlock it and try again.');
  await expect(failed).not.toContainText('collection');
  await expect(dialog.getByTestId('keychain-saved')).toHaveCount(0);
  const retry = dialog.getByTestId('retry-keychain');
  await expect(retry).toHaveClass(/n-button--primary-type/);
  await expect(dialog.getByTestId('close-result')).not.toHaveClass(/n-button--primary-type/);
  const secret = await dialog.getByTestId('result-secret').locator('input').inputValue();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  await shootAtBothSizes(page, 'keychain-refused');

  // A Retry while the keychain is still locked says it failed again, and when.
  await retry.click();
  const again = dialog.getByTestId('retry-failed');
  await expect(again).toContainText(/Retry failed again at \d{1,2}:\d{2}:\d{2}/);
  await expect(again).not.toContainText('attempts');
  await retry.click();
  await expect(again).toContainText('(2 attempts)');
  await expect(dialog.getByTestId('keychain-reason')).toHaveText('Your keychain is locked. Unlock it and try again.');
  await shootAtBothSizes(page, 'keychain-retry-failed');

  // Close asks first, and says the secret will be lost; keeping the dialog open keeps the secret.
  await dialog.getByTestId('close-result').click();
  const ask = confirmation(page, 'Close and lose the secret?');
  await expect(ask).toContainText('the secret is lost');
  await shootAtBothSizes(page, 'keychain-close-confirm');
  await ask.getByRole('button', { name: 'Keep it open' }).click();
  await expect(ask).toBeHidden();
  await expect(dialog.getByTestId('result-secret').locator('input')).toHaveValue(secret);

  // The keychain unlocked: Retry stores it, the dialog says where, and Close no longer asks.
  desk.keychain.refusing = false;
  await retry.click();
  const saved = dialog.getByTestId('keychain-saved');
  await expect(saved).toContainText('The secret is in your keychain');
  await expect(dialog.getByTestId('retry-keychain')).toHaveCount(0);
  const account = (await saved.getByTestId('keychain-entry').textContent())!.split(' / ').pop()!.trim();
  expect(await desk.readSecret(account)).toBe(secret);
  await shootAtBothSizes(page, 'keychain-saved-after-retry');
  await dialog.getByTestId('close-result').click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.n-dialog')).toHaveCount(0);
});

test('closing while the keychain refuses, once confirmed, loses the secret and says so in Activity', async ({
  app: page,
  desk,
}) => {
  desk.keychain.refusing = true;
  await registerWithRefusingKeychain(page, 'Lost secret app');
  const dialog = result(page);
  await expect(dialog.getByTestId('keychain-reason')).toHaveText(
    /^No keychain service is running\. On Linux, start GNOME Keyring/,
  );
  await expect(dialog.getByTestId('keychain-reason')).not.toContainText('org.freedesktop');

  await dialog.getByTestId('close-result').click();
  await confirmation(page, 'Close and lose the secret?')
    .getByRole('button', { name: 'Close and lose the secret' })
    .click();
  await expect(dialog).toBeHidden();

  // Main lets go of the secret as the dialog closes; Activity records it.
  await page.getByRole('menuitem', { name: 'Activity' }).click();
  const table = page.getByTestId('activity-table');
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(table).toContainText('A new secret was never saved to the keychain', { timeout: 1000 });
  }).toPass();
});
