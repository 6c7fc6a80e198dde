// Registering external applications through the wizard, over the real dispatch: Identity Server, keychain, workspace.
import { test, expect, SCREENSHOTS } from './fixtures';
import { ORCHESTRATOR, addScopes, feedbackOf, fillWizard, openWizard, pickScopes, result, scopeTab } from './wizard';

test('a confidential app with Orchestrator application scopes: App ID, secret once, and the secret in the keychain', async ({
  app: page,
  desk,
}) => {
  await openWizard(page);
  await fillWizard(page, {
    name: 'Invoice robot',
    confidential: true,
    scopes: [{ resource: ORCHESTRATOR, application: ['OR.Jobs', 'OR.Queues.Read'] }],
  });
  const row = page.getByTestId('resource-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(ORCHESTRATOR);
  await expect(row).toContainText('OR.Jobs');
  await expect(row).toContainText('OR.Queues.Read');
  await page.screenshot({ path: `${SCREENSHOTS}/wizard-confidential.png` });

  await page.getByTestId('submit-application').click();
  const dialog = result(page);
  await expect(dialog).toBeVisible();
  const appId = await dialog.getByTestId('result-app-id').locator('input').inputValue();
  const secret = await dialog.getByTestId('result-secret').locator('input').inputValue();
  expect(appId).not.toBe('');
  expect(secret.length).toBeGreaterThanOrEqual(32);
  // One clear message: where the secret is, that Copy secret copies it later, that the developer needs it; no warning.
  const saved = dialog.getByTestId('keychain-saved');
  await expect(saved).toContainText('The secret is in your keychain');
  await expect(saved).toContainText('Copy secret on the application');
  await expect(saved).toContainText('The developer needs it');
  const entry = saved.getByTestId('keychain-entry');
  await expect(entry).toHaveText(new RegExp(`^${desk.keychainService} / \\S+$`));
  await expect(dialog).not.toContainText('not be able to view it again');
  await expect(dialog.getByTestId('keychain-failed')).toHaveCount(0);
  // The scopes by type, and the one next step.
  await expect(dialog.getByTestId('result-application-scopes')).toContainText('OR.Jobs');
  await expect(dialog.getByTestId('result-user-scopes')).toHaveCount(0);
  await expect(dialog.getByTestId('open-handoff-next')).toHaveText('Open the developer handoff');
  await page.screenshot({ path: `${SCREENSHOTS}/secret-dialog.png` });

  // The keychain really holds what the dialog showed, under the account it named.
  const account = (await entry.textContent())!.split(' / ').pop()!.trim();
  expect(await desk.readSecret(account)).toBe(secret);

  // The Identity Server has the application with exactly those application scopes.
  const registered = await desk.call('getApp', { clientId: appId });
  expect(registered.isConfidential).toBe(true);
  const granted = registered.resources.flatMap((r) => r.scopes).map((s) => `${s.type}:${s.name}`);
  expect(granted.sort()).toEqual(['application:OR.Jobs', 'application:OR.Queues.Read']);

  await dialog.getByTestId('close-result').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
  const listed = page.locator(`[data-testid="app-row"][data-app-id="${appId}"]`);
  await expect(listed).toContainText('Invoice robot');
  await expect(listed).toContainText('Confidential');
  // Once closed, the secret is nowhere on the page.
  expect(await page.content()).not.toContain(secret);
});

test('a non-confidential app with user scopes and a redirect URL; the application tab says why it is closed', async ({
  app: page,
  desk,
}) => {
  await openWizard(page);
  await page.getByLabel('Application Name').fill('Portal SPA');
  await page.getByTestId('type-non-confidential').click();

  const panel = await pickScopes(page, { resource: ORCHESTRATOR, user: ['OR.Jobs.Read', 'OR.Folders.Read'] });
  await expect(scopeTab(page, 'Application Scope(s)')).toHaveAttribute('aria-disabled', 'true');
  await expect(panel.getByTestId('application-scopes-unavailable')).toContainText('cannot keep a secret');
  await panel.getByTestId('resource-select').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/edit-resource.png` });
  await panel.getByTestId('save-resource').click();
  await expect(panel).toBeHidden();

  await page.getByLabel('Redirect URL').fill('http://127.0.0.1:8765/callback');
  await page.getByTestId('submit-application').click();
  const dialog = result(page);
  await expect(dialog).toBeVisible();
  const appId = await dialog.getByTestId('result-app-id').locator('input').inputValue();
  await expect(dialog.getByTestId('result-secret')).toHaveCount(0);
  await expect(dialog).toContainText('non-confidential application');

  const registered = await desk.call('getApp', { clientId: appId });
  expect(registered.isConfidential).toBe(false);
  expect(registered.redirectUri).toBe('http://127.0.0.1:8765/callback');
  expect(registered.secrets).toHaveLength(0);
  expect(
    registered.resources
      .flatMap((r) => r.scopes)
      .map((s) => `${s.type}:${s.name}`)
      .sort(),
  ).toEqual(['user:OR.Folders.Read', 'user:OR.Jobs.Read']);

  await dialog.getByTestId('close-result').click();
  await expect(page.locator(`[data-testid="app-row"][data-app-id="${appId}"]`)).toContainText('Non-confidential');
});

test('bad input shows the rule’s message on the field and creates nothing', async ({ app: page, desk }) => {
  const before = await desk.call('listApps', { refresh: true });
  await openWizard(page);

  // Nothing entered: Add names each missing field.
  await page.getByTestId('submit-application').click();
  await expect(feedbackOf(page, 'Application Name')).toHaveText('Application Name is required.');
  await expect(feedbackOf(page, 'Resources')).toHaveText('Add at least one scope.');

  // A user scope makes the redirect URL required.
  await page.getByLabel('Application Name').fill('Bad redirect app');
  await expect(feedbackOf(page, 'Application Name')).toHaveCount(0);
  await addScopes(page, { resource: ORCHESTRATOR, user: ['OR.Jobs.Read'] });
  await page.getByTestId('submit-application').click();
  await expect(feedbackOf(page, 'Redirect URL')).toHaveText(
    'Redirect URL is required when the application has user scopes.',
  );

  // Checked as you type: plain http off loopback is refused, localhost is only a warning.
  const redirect = page.getByLabel('Redirect URL');
  await redirect.fill('http://example.com/callback');
  await expect(feedbackOf(page, 'Redirect URL')).toHaveText(
    'http is allowed only on a loopback host (127.0.0.1 or [::1]); use https for any other host.',
  );
  await page.getByTestId('submit-application').click();
  await page.screenshot({ path: `${SCREENSHOTS}/wizard-bad-input.png` });
  await redirect.fill('http://localhost:3000/callback');
  await expect(feedbackOf(page, 'Redirect URL')).toContainText('localhost may resolve to another address');
  await redirect.fill('https://example.com/callback#section');
  await expect(feedbackOf(page, 'Redirect URL')).toHaveText('Redirect URL must not contain a fragment (#…).');
  await page.getByTestId('submit-application').click();

  await expect(result(page)).toHaveCount(0);
  const after = await desk.call('listApps', { refresh: true });
  expect(after.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
});

test('switching to non-confidential says which application scopes go, and drops them only when confirmed', async ({
  app: page,
}) => {
  await openWizard(page);
  await page.getByLabel('Application Name').fill('Mixed app');
  await addScopes(page, {
    resource: ORCHESTRATOR,
    user: ['OR.Folders.Read'],
    application: ['OR.Jobs', 'OR.Queues.Read'],
  });
  const row = page.getByTestId('resource-row');
  await expect(row).toContainText('OR.Jobs');

  await page.getByTestId('type-non-confidential').click();
  const confirm = page.getByRole('dialog').filter({ hasText: 'Switch to Non-confidential?' });
  await expect(confirm).toContainText('These will be removed: OR.Jobs, OR.Queues.Read.');
  await confirm.getByRole('button', { name: 'Keep Confidential' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('radio', { name: 'Confidential application', exact: true })).toBeChecked();
  await expect(row).toContainText('OR.Queues.Read');

  await page.getByTestId('type-non-confidential').click();
  await confirm.getByRole('button', { name: 'Remove them and switch' }).click();
  await expect(page.getByRole('radio', { name: 'Non-confidential application' })).toBeChecked();
  await expect(row).toContainText('OR.Folders.Read');
  await expect(row).not.toContainText('OR.Jobs');
  await expect(row).not.toContainText('OR.Queues.Read');
});

test('after registration, the one next step opens the developer handoff of the new application', async ({
  app: page,
}) => {
  await openWizard(page);
  await fillWizard(page, {
    name: 'Handoff next',
    confidential: true,
    scopes: [{ resource: ORCHESTRATOR, application: ['OR.Jobs'] }],
  });
  await page.getByTestId('submit-application').click();
  const dialog = result(page);
  const appId = await dialog.getByTestId('result-app-id').locator('input').inputValue();
  await dialog.getByTestId('open-handoff-next').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('application-id')).toHaveText(appId);
  await expect(page.getByTestId('handoff').getByTestId('handoff-app-id')).toHaveText(appId);
});
