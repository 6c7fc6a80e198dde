// Expiry in words: a secret's mark says when ("expires in 12 days"); Generate New offers 30, 90 and 365 days and a
// date, and never a time already past.
import { test, expect } from './fixtures';
import { openApplication } from './application';
import { shootAtBothSizes } from './shots';

const DAY = 86_400_000;

test('the mark says when, and the expiry picker offers periods and a future date only', async ({ app: page, desk }) => {
  const { app } = await desk.call('createApp', {
    name: 'Expiring app',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await desk.call('generateSecret', {
    clientId: app.id,
    description: 'twelve days',
    expiryTime: new Date(Date.now() + 12 * DAY).toISOString(),
    mode: 'overlap',
  });
  await openApplication(page, app.id);
  const row = page.getByTestId('secret-row').filter({ hasText: 'twelve days' });
  await expect(row.getByTestId('expiry-mark')).toHaveText('expires in 12 days');
  await page.getByTestId('secrets-section').scrollIntoViewIfNeeded();
  await shootAtBothSizes(page, 'secret-expiry-mark');

  await page.getByTestId('generate-new').click();
  const dialog = page.getByTestId('generate-secret');
  const choices = dialog.getByTestId('secret-expiry');
  await expect(choices).toContainText('30 days');
  await expect(choices).toContainText('90 days');
  await expect(choices).toContainText('365 days');
  await expect(choices).toContainText('On a date');
  await expect(choices).toContainText('Does not expire');

  // A date: the calendar starts tomorrow, a day typed before it is refused, and Generate waits for a day.
  await dialog.getByTestId('expiry-date').click();
  await expect(dialog.getByTestId('confirm-generate')).toBeDisabled();
  const day = dialog.getByLabel('Expiry date');
  const isoDay = (offset: number) => {
    const date = new Date();
    date.setDate(date.getDate() + offset);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${String(date.getFullYear())}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  };
  await expect(day).toHaveAttribute('min', isoDay(1));
  await day.fill(isoDay(0));
  await expect(dialog).toContainText('Pick a day from tomorrow on.');
  await expect(dialog.getByTestId('confirm-generate')).toBeDisabled();
  await day.fill(isoDay(20));
  await expect(dialog).toContainText('The secret stops working on');
  await expect(dialog.getByTestId('confirm-generate')).toBeEnabled();
  await shootAtBothSizes(page, 'secret-expiry-date');

  // 90 days from now.
  await dialog.getByTestId('expiry-90').click();
  await expect(dialog).toContainText('The secret stops working on');
  await dialog.getByLabel('Description').fill('ninety days');
  const before = Date.now();
  await dialog.getByTestId('confirm-generate').click();
  const result = page.getByTestId('secret-result');
  await expect(result.getByTestId('keychain-saved')).toBeVisible();
  await result.getByTestId('close-result').click();
  const made = (await desk.call('listSecrets', { clientId: app.id })).find((s) => s.description === 'ninety days');
  const expires = Date.parse(made!.expiryTime!);
  expect(expires).toBeGreaterThanOrEqual(before + 90 * DAY - 60_000);
  expect(expires).toBeLessThanOrEqual(Date.now() + 90 * DAY + 60_000);
  await expect(
    page.getByTestId('secret-row').filter({ hasText: 'ninety days' }).getByTestId('expiry-mark'),
  ).toHaveCount(0);
});
