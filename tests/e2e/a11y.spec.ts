// axe-core on every main state of the window, in the light and the dark theme: the list, the wizard, the Edit
// Resource panel on both tabs, each dialog and drawer, an application's page, the handoff sheet, Users and Activity,
// drafts, Scope Sets, Apply (selection, preview, progress, a conflict, done) and Import (the dry run, done); the
// organisation states are in a11y-organisations.spec.ts. No violation of serious or critical impact is allowed.
import { test, expect, type Desk } from './fixtures';
import { expectAccessible } from './axe';
import { ORCHESTRATOR, addScopes, openWizard, pickScopes, result, scopeTab } from './wizard';
import { confirmation, openApplication, registerApp, registerBulkApps, secretRows } from './application';
import { chooseImportFile, exportOf } from './import-file';

/** A confidential application with OR.Jobs.Read as the user and as the app, and a redirect URL. */
function registerInvoiceSync(desk: Desk) {
  return registerApp(desk, {
    name: 'Invoice sync',
    scopes: [
      { name: 'OR.Jobs.Read', type: 'application' },
      { name: 'OR.Jobs.Read', type: 'user' },
    ],
    redirectUri: 'https://invoices.example.com/callback',
  });
}

test('External Applications, the wizard, the Edit Resource panel and the registration result', async ({
  app: page,
  desk,
}) => {
  const { app } = await registerInvoiceSync(desk);
  await page.getByTestId('apps-refresh').click();
  await expect(page.locator(`[data-testid="app-row"][data-app-id="${app.id}"]`)).toBeVisible();
  await expectAccessible(page, 'External Applications');

  await openWizard(page);
  await expectAccessible(page, 'Add Application');
  const panel = await pickScopes(page, { resource: ORCHESTRATOR, user: ['OR.Jobs.Read'] });
  await expectAccessible(page, 'Edit Resource, user scopes');
  await scopeTab(page, 'Application Scope(s)').click();
  await panel.getByRole('checkbox', { name: 'OR.Queues.Read', exact: true }).click();
  await expectAccessible(page, 'Edit Resource, application scopes');
  await panel.getByTestId('save-resource').click();
  await expect(panel).toBeHidden();

  // Saving the row with nothing ticked asks whether the resource goes; Remove can be undone until Add.
  await page.getByRole('button', { name: `Edit ${ORCHESTRATOR}` }).click();
  await panel.getByRole('checkbox', { name: 'OR.Jobs.Read', exact: true }).click();
  await scopeTab(page, 'Application Scope(s)').click();
  await panel.getByRole('checkbox', { name: 'OR.Queues.Read', exact: true }).click();
  await panel.getByTestId('save-resource').click();
  const removeResource = confirmation(page, `Remove ${ORCHESTRATOR}?`);
  await expect(removeResource).toContainText('No scope of Orchestrator API Access is ticked');
  await expectAccessible(page, 'the remove-resource question');
  await removeResource.getByRole('button', { name: 'Remove resource' }).click();
  await expect(panel).toBeHidden();
  await expect(page.getByTestId('resource-row')).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Undo removing ${ORCHESTRATOR}` })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('resource-row')).toContainText('OR.Queues.Read');
  await expect(page.getByRole('button', { name: `Edit ${ORCHESTRATOR}` })).toBeFocused();
  await expect(page.getByTestId('removed-resource')).toHaveCount(0);

  await page.getByTestId('type-non-confidential').click();
  const warning = confirmation(page, 'Switch to Non-confidential?');
  await expect(warning).toBeVisible();
  await expectAccessible(page, 'the type switch warning');
  await warning.getByRole('button', { name: 'Keep Confidential' }).click();
  await expect(warning).toBeHidden();

  await page.getByLabel('Application Name').fill('Queue worker');
  await page.getByLabel('Redirect URL').fill('https://queue.example.com/callback');
  await page.getByTestId('submit-application').click();
  await expect(result(page)).toBeVisible();
  await expectAccessible(page, 'the registration result');
  await result(page).getByTestId('close-result').click();
  await expect(result(page)).toBeHidden();
});

test('an application’s page, its dialogs and the developer handoff', async ({ app: page, desk }) => {
  const { app } = await registerInvoiceSync(desk);
  await openApplication(page, app.id);
  await expect(secretRows(page)).toHaveCount(1);
  await expectAccessible(page, 'the application’s page');

  await page.getByLabel('Application Name').fill('Invoice sync (prod)');
  await page.getByTestId('save-application').click();
  const preview = page.getByTestId('change-preview');
  await expect(preview).toBeVisible();
  await expectAccessible(page, 'the change preview');
  await preview.getByTestId('cancel-changes').click();
  await expect(preview).toBeHidden();

  await page.getByRole('menuitem', { name: 'Users' }).click();
  const unsaved = confirmation(page, 'Discard unsaved changes?');
  await expect(unsaved).toBeVisible();
  await expectAccessible(page, 'the unsaved-changes question');
  await unsaved.getByRole('button', { name: 'Keep editing' }).click();
  await page.getByTestId('discard-changes').click();

  await page.getByTestId('generate-new').click();
  const generate = page.getByTestId('generate-secret');
  await expect(generate).toBeVisible();
  await expectAccessible(page, 'Generate New Secret');
  await generate.getByTestId('mode-overlap').click();
  await generate.getByTestId('confirm-generate').click();
  const generated = page.getByTestId('secret-result');
  await expect(generated).toBeVisible();
  await expectAccessible(page, 'the new secret');
  await generated.getByTestId('close-result').click();
  await expect(generated).toBeHidden();

  await secretRows(page).first().getByTestId('delete-secret').click();
  const deleteSecret = confirmation(page, 'will stop working');
  await expect(deleteSecret).toBeVisible();
  await expectAccessible(page, 'the delete-secret question');
  await deleteSecret.getByRole('button', { name: 'Cancel' }).click();
  await expect(deleteSecret).toBeHidden();

  await page.getByTestId('copy-to-open').click();
  const copy = page.getByTestId('copy-application');
  await expect(copy).toBeVisible();
  await expectAccessible(page, 'Copy to another organisation');
  await copy.getByTestId('cancel-copy').click();
  await expect(copy).toBeHidden();

  await page.getByTestId('delete-application-open').click();
  const remove = page.getByTestId('delete-application');
  await expect(remove).toBeVisible();
  await expectAccessible(page, 'Delete application');
  await page.keyboard.press('Escape');
  await expect(remove).toBeHidden();

  await page.getByTestId('open-handoff').click();
  await expect(page.getByTestId('handoff-app-id')).toHaveText(app.id);
  await expectAccessible(page, 'the developer handoff');
});

test('a keychain that refuses: the registration result', async ({ app: page, desk }) => {
  desk.keychain.refusing = true;
  await openWizard(page);
  await page.getByLabel('Application Name').fill('Locked keychain app');
  await addScopes(page, { resource: ORCHESTRATOR, application: ['OR.Assets.Read'] });
  await page.getByTestId('submit-application').click();
  await expect(result(page).getByTestId('keychain-failed')).toBeVisible();
  await expectAccessible(page, 'the registration result, keychain refused');
});

test('Users, Activity, the expiring secrets and organisation settings drawers', async ({ app: page, desk }) => {
  await registerApp(desk, { name: 'Nightly jobs', scopes: [{ name: 'OR.Jobs', type: 'application' }] });
  await desk.call('createUser', { userName: 'ada', displayName: 'Ada Lovelace', password: 'analytical-engine' });

  await page.getByRole('menuitem', { name: 'Users' }).click();
  await expect(page.getByTestId('user-row')).toHaveCount(1);
  await expectAccessible(page, 'Users');
  await page.getByTestId('add-user').click();
  const addUser = page.getByTestId('add-user-dialog');
  await expect(addUser).toBeVisible();
  await expectAccessible(page, 'Add User');
  await page.keyboard.press('Escape');
  await expect(addUser).toBeHidden();

  await page.getByRole('menuitem', { name: 'Activity' }).click();
  await expect(page.getByTestId('activity-table')).toContainText('Nightly jobs');
  await expectAccessible(page, 'Activity');

  await page.getByTestId('expiring-open').click();
  // A drawer is named by its title and takes focus; Escape closes it and gives focus back to what opened it.
  const expiringDrawer = page.getByRole('dialog', { name: 'Expiring secrets' });
  await expect(expiringDrawer).toBeVisible();
  await expect(expiringDrawer).toBeFocused();
  await expectAccessible(page, 'Expiring secrets');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('expiring-drawer')).toBeHidden();
  await expect(page.getByTestId('expiring-open')).toBeFocused();

  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('organisation-settings').click();
  await expect(page.getByTestId('organisation-settings-drawer')).toBeVisible();
  await expectAccessible(page, 'Organisation settings');
});

test.describe('Scope Sets, drafts and Apply', () => {
  // Two PUTs per four seconds: the run is slow enough to be seen under way.
  test.use({ rateLimits: { put: 2, windowSeconds: 4 } });

  test('the Scope Sets view, a draft, and Apply from selection to done with a conflict', async ({
    app: page,
    desk,
  }) => {
    test.setTimeout(120_000);
    await desk.call('saveScopeSet', {
      name: 'Queue worker',
      description: 'Queues, as the app.',
      scopes: [
        { name: 'OR.Jobs.Read', type: 'user' },
        { name: 'OR.Queues.Read', type: 'application' },
      ],
    });
    const ids = await registerBulkApps(desk, 6);
    await desk.call('saveDraft', {
      name: 'Dashboard',
      isConfidential: false,
      redirectUri: null,
      scopes: [{ name: 'OR.Jobs.Read', type: 'user' }],
    });
    await page.reload();
    await expect(page.getByTestId('draft-row')).toBeVisible();
    await expectAccessible(page, 'External Applications with a draft');

    await page.getByRole('menuitem', { name: 'Scope Sets' }).click();
    await expect(page.getByTestId('scope-set-row')).toHaveCount(1);
    await expectAccessible(page, 'Scope Sets');

    await page.getByTestId('scope-set-row').getByTestId('apply-set').click();
    await expect(page.getByRole('heading', { name: 'Apply a scope set to applications' })).toBeVisible();
    await page.getByLabel('Filter applications').fill('bulk');
    await page.getByTestId('apply-check-shown').click();
    await expectAccessible(page, 'Apply, the selection');
    await page.getByTestId('apply-preview-open').click();
    const preview = page.getByTestId('scope-set-preview');
    await expect(preview.getByTestId('plan-entry')).toHaveCount(6);
    await expectAccessible(page, 'Apply, the preview');

    await desk.call('updateApp', { clientId: ids[5]!, name: 'Bulk 06 renamed elsewhere' });
    await preview.getByTestId('apply-preview').click();
    const progress = page.getByTestId('apply-progress');
    await expect(progress.getByTestId('apply-bar')).toBeVisible();
    await expectAccessible(page, 'Apply, the progress');
    await expect(progress.getByTestId('apply-conflict')).toBeVisible({ timeout: 30_000 });
    await expect(progress.getByTestId('apply-summary')).toContainText('5 applied', { timeout: 30_000 });
    await expectAccessible(page, 'Apply, done with a conflict');
  });
});

test('Import: the dry run and done', async ({ app: page, desk }) => {
  await desk.call('createApp', {
    name: 'Exported robot',
    isConfidential: true,
    redirectUri: null,
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  const dialog = await chooseImportFile(
    page,
    exportOf([
      {
        client_name: 'Imported robot',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['https://imported.example.com/callback'],
        resources: [{ name: 'OrchestratorApiUserAccess', user_scopes: ['OR.Jobs.Read'], application_scopes: [] }],
      },
      {
        client_name: 'Imported browser',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1:7000/callback'],
        resources: [{ name: 'OrchestratorApiUserAccess', user_scopes: [], application_scopes: ['OR.Jobs.Read'] }],
      },
    ]),
  );
  await expect(dialog.getByTestId('plan-entry')).toHaveCount(2);
  await expectAccessible(page, 'Import, the dry run');
  await dialog.getByTestId('import-apply').click();
  await expect(dialog.getByTestId('import-done')).toBeVisible();
  await expectAccessible(page, 'Import, done');
});
