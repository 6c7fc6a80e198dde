// Activity reads as sentences naming the applications, with the full account on expanding a row, and filters by
// application and by kind.
import { test, expect } from './fixtures';
import { shootAtBothSizes } from './shots';

test('sentences with names, the full account on expand, and filters by application and kind', async ({
  app: page,
  desk,
}) => {
  const { app: invoices, secret } = await desk.call('createApp', {
    name: 'Invoice sync',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await desk.call('updateApp', { clientId: invoices.id, name: 'Invoice sync (prod)' });
  const { app: other } = await desk.call('createApp', {
    name: 'Queue reader',
    isConfidential: true,
    scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
  });
  await desk.call('generateSecret', {
    clientId: other.id,
    description: 'CI runner',
    expiryTime: null,
    mode: 'overlap',
  });

  await page.getByRole('menuitem', { name: 'Activity' }).click();
  const table = page.getByTestId('activity-table');
  const rows = table.getByTestId('activity-row');
  const renamed = rows.filter({ hasText: 'Renamed “Invoice sync” → “Invoice sync (prod)”' });
  await expect(renamed).toHaveCount(1);
  await expect(renamed).toContainText('Invoice sync (prod)');
  await expect(rows.filter({ hasText: 'Generated a new secret “CI runner”' })).toContainText('Queue reader');
  // Names, not IDs: no App ID is on the rows; and never a secret.
  await expect(table).not.toContainText(invoices.id);
  await expect(table).not.toContainText(other.id);
  expect(await page.content()).not.toContain(secret!.value);

  // The full account, on expanding the row.
  await renamed.locator('.n-data-table-expand-trigger').click();
  await expect(table.getByTestId('activity-more')).toContainText('Changed "Invoice sync (prod)": Name: "Invoice sync"');
  await shootAtBothSizes(page, 'activity');

  // By application: only Queue reader's entries.
  await page.getByTestId('activity-app-filter').click();
  await page.locator('.n-base-select-option', { hasText: 'Queue reader' }).click();
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText('Queue reader');

  // By kind: of those, the secrets only.
  await page.getByTestId('activity-kind-filter').click();
  await page.locator('.n-base-select-option', { hasText: 'Secrets' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Generated a new secret “CI runner”');
  await shootAtBothSizes(page, 'activity-filtered');
});
