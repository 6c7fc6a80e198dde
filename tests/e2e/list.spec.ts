// The External Applications view: empty state, both kinds of application listed, search.
import { test, expect, SCREENSHOTS } from './fixtures';
import { ORCHESTRATOR, fillWizard, openWizard, result } from './wizard';
import { attachApi } from './attach';
import { seed } from '../../bench/seed';

test('registered apps are listed and the search filters them by name, App ID or resource', async ({ app: page }) => {
  const registered: Record<string, string> = {};
  for (const app of [
    {
      name: 'Nightly queue worker',
      confidential: true,
      scopes: [{ resource: ORCHESTRATOR, application: ['OR.Queues'] }],
    },
    {
      name: 'Data browser',
      confidential: false,
      scopes: [{ resource: 'Data Service API Access', user: ['DataFabric.Data.Read'] }],
      redirectUri: 'https://data.example.com/callback',
    },
  ]) {
    await openWizard(page);
    await fillWizard(page, app);
    await page.getByTestId('submit-application').click();
    registered[app.name] = await result(page).getByTestId('result-app-id').locator('input').inputValue();
    await result(page).getByTestId('close-result').click();
  }

  const rows = page.getByTestId('app-row');
  for (const [name, id] of Object.entries(registered))
    await expect(page.locator(`[data-testid="app-row"][data-app-id="${id}"]`)).toContainText(name);
  const total = await rows.count();
  await page.screenshot({ path: `${SCREENSHOTS}/applications.png` });

  const search = page.getByTestId('apps-search').locator('input');
  await search.fill('queue worker');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Nightly queue worker');

  await search.fill(registered['Data browser']!.slice(0, 12));
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Data browser');

  await search.fill('data service');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Data browser');

  await search.fill('no such application');
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('No application matches “no such application”')).toBeVisible();

  await search.fill('');
  await expect(rows).toHaveCount(total);
});

test('Refresh reads the list again from the Identity Server', async ({ app: page, desk }) => {
  const created = await desk.call('createApp', {
    name: 'Made from a script',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await page.getByTestId('apps-refresh').click();
  await expect(page.locator(`[data-testid="app-row"][data-app-id="${created.app.id}"]`)).toContainText(
    'Made from a script',
  );
});

test('Activity shows the registration, and never its secret', async ({ app: page, desk }) => {
  const created = await desk.call('createApp', {
    name: 'Audited app',
    isConfidential: true,
    scopes: [{ name: 'OR.Assets.Read', type: 'application' }],
  });
  await page.getByRole('menuitem', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  const table = page.getByTestId('activity-table');
  await expect(table).toContainText('Registered “Audited app” as a confidential application');
  await expect(table.getByTestId('activity-row').first()).toContainText('Audited app');
  expect(await page.content()).not.toContain(created.secret!.value);
});

test('an organisation of 2 500 applications is listed whole, page after page, down to its last row', async ({
  page,
  desk,
  rendererUrl,
}) => {
  // More than a screenful and a full page after it: the last rows arrive in the third answer.
  const { partitionGlobalId } = await desk.call('showOrganisation', {});
  seed(desk.home, partitionGlobalId, 0, 2_500);
  await desk.call('syncOrganisation', {});
  await attachApi(page, desk.context.dispatch, desk.context.events);
  await page.goto(`${rendererUrl}/index.html#/applications`);

  await expect(page.getByTestId('apps-count')).toHaveText(/^\s*2501 of 2501 applications\s*$/);
  const rows = page.getByTestId('app-row');
  const search = page.getByTestId('apps-search').locator('input');
  // The last row in name order, and one from the middle of the second page.
  for (const name of ['Sync Robots 02499', 'Portal Folders 01000']) {
    await search.fill(name);
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText(name);
  }
});
