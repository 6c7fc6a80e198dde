// Activity reads as headlines naming the applications, with each entry's detail apart on expanding a row, and filters
// by application and by every kind (scope sets, drafts, imports and exports included).
import { test, expect } from './fixtures';
import { shootAtBothSizes } from './shots';
import { dayInWords } from '../../src/shared/dayWords';

test('headlines with names, the detail on expand, and filters by application and by every kind', async ({
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
  await desk.call('saveScopeSet', {
    name: 'Job readers',
    description: '',
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await desk.call('saveDraft', { name: 'Later app', isConfidential: true, redirectUri: null, scopes: [] });

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

  // The detail, apart from the headline, on expanding the row.
  await expect(renamed.getByTestId('activity-headline')).not.toContainText('Changed');
  await renamed.locator('.n-data-table-expand-trigger').click();
  const detail = table.getByTestId('activity-detail');
  await expect(detail).toContainText('Changed "Invoice sync (prod)": Name: "Invoice sync"');
  await expect(detail).not.toContainText('Renamed');
  await shootAtBothSizes(page, 'activity');

  const byKind = async (label: string) => {
    await page.getByTestId('activity-kind-filter').click();
    await page.locator('.n-base-select-option', { hasText: label }).click();
  };

  // By application: only Queue reader's entries.
  await page.getByTestId('activity-app-filter').click();
  await page.locator('.n-base-select-option', { hasText: 'Queue reader' }).click();
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText('Queue reader');

  // By kind: of those, the secrets only.
  await byKind('Secrets');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Generated a new secret “CI runner”');
  await shootAtBothSizes(page, 'activity-filtered');

  // Every kind has its filter, scope sets and drafts too (the view opened afresh has none set).
  await page.getByRole('menuitem', { name: 'Scope Sets' }).click();
  await page.getByRole('menuitem', { name: 'Activity' }).click();
  await expect(rows.filter({ hasText: 'Saved the draft "Later app"' })).toHaveCount(1);
  await byKind('Scope sets');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Created scope set "Job readers"');
  await expect(rows).toHaveAttribute('data-kind', 'scopeSet');
  await byKind('Drafts');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Saved the draft "Later app"');
});

test('an entry names its organisation by its display name, and a secret’s expiry as a day in words', async ({
  app: page,
  desk,
}) => {
  const { app: reader } = await desk.call('createApp', {
    name: 'Expiry reader',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  const expiryTime = new Date(Date.now() + 60 * 86_400_000).toISOString();
  await desk.call('generateSecret', { clientId: reader.id, description: 'Nightly', expiryTime, mode: 'overlap' });

  await page.getByRole('menuitem', { name: 'Activity' }).click();
  const table = page.getByTestId('activity-table');
  const generated = table.getByTestId('activity-row').filter({ hasText: 'Generated a new secret “Nightly”' });
  await expect(generated).toContainText(`expiring ${dayInWords(expiryTime)}`);
  // No ISO date in the sentences, the detail included: the time is the When column's.
  await generated.locator('.n-data-table-expand-trigger').click();
  await expect(table.getByTestId('activity-detail')).toContainText(`expires ${dayInWords(expiryTime)}`);
  const sentences = table.locator('[data-testid="activity-headline"], [data-testid="activity-detail"]');
  for (const sentence of await sentences.all()) expect(await sentence.innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  // The organisation by its one name, never its ID.
  await expect(generated).toContainText('Local Identity Server');
  for (const row of await table.getByTestId('activity-row').all())
    expect(await row.locator('td').nth(2).innerText()).not.toBe('local');
  await shootAtBothSizes(page, 'activity-organisation-names');
});
