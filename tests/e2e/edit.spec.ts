// Editing an application on its page: the change preview (Cancel changes nothing, Apply does), the rules as in the
// wizard, deleting it by typing its name, and the list's mark for secrets close to expiry.
import { test, expect, SCREENSHOTS } from './fixtures';
import { ORCHESTRATOR, addScopes, feedbackOf, scopeTab } from './wizard';
import { openApplication, registerApp } from './application';

const granted = (app: { resources: { scopes: { type: string; name: string }[] }[] }) =>
  app.resources
    .flatMap((r) => r.scopes)
    .map((s) => `${s.type}:${s.name}`)
    .sort();

test('edit scopes, name and redirect URL: the preview says what changes; Cancel changes nothing, Apply does', async ({
  app: page,
  desk,
}) => {
  const { app } = await registerApp(desk, {
    name: 'Queue feeder',
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await openApplication(page, app.id);
  await expect(page.getByTestId('application-type')).toHaveText('Confidential');
  await expect(page.getByTestId('resource-row')).toContainText('OR.Jobs.Read');
  await expect(page.getByTestId('save-application')).toBeDisabled();

  // Edit the Orchestrator row: one more application scope.
  await page.getByRole('button', { name: `Edit ${ORCHESTRATOR}` }).click();
  const panel = page.getByTestId('edit-resource');
  await scopeTab(page, 'Application Scope(s)').click();
  const appScopes = panel.getByRole('group', { name: 'Application scopes' });
  await expect(appScopes.getByRole('checkbox', { name: 'OR.Jobs.Read', exact: true })).toBeChecked();
  await appScopes.getByRole('checkbox', { name: 'OR.Queues.Read', exact: true }).click();
  await panel.getByTestId('save-resource').click();
  await expect(panel).toBeHidden();

  // Add another resource with a user scope: now a redirect URL is required, as in the wizard.
  await addScopes(page, { resource: 'Data Service API Access', user: ['DataFabric.Data.Read'] });
  await page.getByTestId('save-application').click();
  await expect(feedbackOf(page, 'Redirect URL')).toHaveText(
    'Redirect URL is required when the application has user scopes.',
  );
  await expect(page.getByTestId('change-preview')).toHaveCount(0);
  await page.getByLabel('Redirect URL').fill('https://feeder.example.com/callback');
  await page.getByLabel('Application Name').fill('Queue feeder v2');
  await page.screenshot({ path: `${SCREENSHOTS}/edit-application.png`, fullPage: true });

  await page.getByTestId('save-application').click();
  const preview = page.getByTestId('change-preview');
  await expect(preview.getByTestId('change-line')).toHaveText([
    'Name: "Queue feeder" → "Queue feeder v2"',
    'Redirect URL: (none) → https://feeder.example.com/callback',
    'Add user scopes: DataFabric.Data.Read',
    'Add application scopes: OR.Queues.Read',
  ]);
  await page.screenshot({ path: `${SCREENSHOTS}/edit-preview.png` });

  // Cancel: nothing reached the server.
  await preview.getByTestId('cancel-changes').click();
  await expect(preview).toBeHidden();
  const untouched = await desk.call('getApp', { clientId: app.id });
  expect(untouched.name).toBe('Queue feeder');
  expect(untouched.redirectUri).toBeNull();
  expect(granted(untouched)).toEqual(['application:OR.Jobs.Read']);

  // Apply: the server has the new name, redirect URL and scopes.
  await page.getByTestId('save-application').click();
  await preview.getByTestId('apply-changes').click();
  await expect(preview).toBeHidden();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Queue feeder v2' })).toBeVisible();
  await expect(page.getByTestId('save-application')).toBeDisabled();
  const saved = await desk.call('getApp', { clientId: app.id });
  expect(saved.name).toBe('Queue feeder v2');
  expect(saved.redirectUri).toBe('https://feeder.example.com/callback');
  expect(granted(saved)).toEqual([
    'application:OR.Jobs.Read',
    'application:OR.Queues.Read',
    'user:DataFabric.Data.Read',
  ]);

  // Removing a row previews the removal per type.
  await page.getByRole('button', { name: 'Remove Data Service API Access' }).click();
  await page.getByTestId('save-application').click();
  await expect(preview.getByTestId('change-line')).toHaveText(['Remove user scopes: DataFabric.Data.Read']);
  await preview.getByTestId('apply-changes').click();
  await expect(preview).toBeHidden();
  expect(granted(await desk.call('getApp', { clientId: app.id }))).toEqual([
    'application:OR.Jobs.Read',
    'application:OR.Queues.Read',
  ]);

  // The list shows the new name.
  await page.getByRole('link', { name: '← External Applications' }).click();
  await expect(page.locator(`[data-testid="app-row"][data-app-id="${app.id}"]`)).toContainText('Queue feeder v2');
});

test('bad input on the Edit page shows the rule’s message and changes nothing', async ({ app: page, desk }) => {
  const { app } = await registerApp(desk, {
    name: 'Strict app',
    scopes: [{ name: 'OR.Assets.Read', type: 'application' }],
  });
  await openApplication(page, app.id);
  await page.getByLabel('Application Name').fill('');
  await page.getByTestId('save-application').click();
  await expect(feedbackOf(page, 'Application Name')).toHaveText('Application Name is required.');
  await page.getByLabel('Application Name').fill('Strict app');
  await page.getByLabel('Redirect URL').fill('http://example.com/callback');
  await page.getByTestId('save-application').click();
  await expect(feedbackOf(page, 'Redirect URL')).toHaveText(
    'http is allowed only on a loopback host (127.0.0.1 or [::1]); use https for any other host.',
  );
  await expect(page.getByTestId('change-preview')).toHaveCount(0);
  const after = await desk.call('getApp', { clientId: app.id });
  expect(after.redirectUri).toBeNull();
});

test('delete an application: Delete waits for its name to be typed; the row and its keychain entry are gone', async ({
  app: page,
  desk,
}) => {
  const { app, secret } = await registerApp(desk, {
    name: 'Retired robot',
    scopes: [{ name: 'OR.Robots.Read', type: 'application' }],
  });
  expect(await desk.readSecret(secret!.keychain.account)).toBe(secret!.value);
  await openApplication(page, app.id);

  await page.getByTestId('delete-application-open').click();
  const dialog = page.getByTestId('delete-application');
  await expect(dialog).toContainText('keychain entries in this workspace are removed too');
  const confirm = dialog.getByTestId('confirm-delete-application');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Application name to confirm').fill('Retired');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Application name to confirm').fill('Retired robot');
  await expect(confirm).toBeEnabled();
  await confirm.click();

  await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
  await expect(page.locator(`[data-testid="app-row"][data-app-id="${app.id}"]`)).toHaveCount(0);
  await expect(desk.call('getApp', { clientId: app.id })).rejects.toMatchObject({ code: 'not_found' });
  expect(await desk.readSecret(secret!.keychain.account)).toBeNull();
});

test('the list marks an application whose secret expires within days, and its name opens its page', async ({
  app: page,
  desk,
}) => {
  const { app } = await registerApp(desk, {
    name: 'Soon expiring',
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  const { app: calm } = await registerApp(desk, {
    name: 'Calm app',
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  const inFiveDays = new Date(Date.now() + 5 * 24 * 3600 * 1000).toISOString();
  await desk.call('generateSecret', {
    clientId: app.id,
    description: 'short-lived',
    expiryTime: inFiveDays,
    mode: 'overlap',
  });

  await page.getByTestId('apps-refresh').click();
  const row = page.locator(`[data-testid="app-row"][data-app-id="${app.id}"]`);
  await expect(row.getByTestId('secret-expiry-mark')).toHaveText('Expires in 5 days');
  await expect(row).toContainText('2');
  await expect(
    page.locator(`[data-testid="app-row"][data-app-id="${calm.id}"]`).getByTestId('secret-expiry-mark'),
  ).toHaveCount(0);

  await row.getByRole('link', { name: 'Soon expiring', exact: true }).click();
  await expect(page.getByTestId('application-id')).toHaveText(app.id);
  await expect(page.getByTestId('secret-row').filter({ hasText: 'short-lived' }).getByTestId('expiry-mark')).toHaveText(
    'expires in 5 days',
  );
});
