// Leaving unsaved work: the edit page and the wizard ask before a route change throws it away (Keep editing keeps it,
// Discard leaves and nothing reached the server), leaving after Save asks nothing, and closing the window with
// unsaved edits is refused through beforeunload.
import { test, expect } from './fixtures';
import { ORCHESTRATOR, addScopes, openWizard } from './wizard';
import { confirmation, openApplication, registerApp } from './application';

const header = (page: import('@playwright/test').Page) => page.getByRole('menuitem', { name: 'External Applications' });
const listHeading = (page: import('@playwright/test').Page) =>
  page.getByRole('heading', { name: 'External Applications' });

test('edit page: leaving with an unsaved name asks; Keep editing keeps it, Discard leaves it unsaved; after Save leaving asks nothing', async ({
  app: page,
  desk,
}) => {
  const { app } = await registerApp(desk, {
    name: 'Ledger sync',
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await openApplication(page, app.id);
  await page.getByLabel('Application Name').fill('Ledger sync v2');

  // The header's link: the dialog names the change as the Save preview does.
  await header(page).click();
  const ask = confirmation(page, 'Discard unsaved changes?');
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('These changes to Ledger sync have not been saved:');
  await expect(ask.getByTestId('unsaved-line')).toHaveText(['Name: "Ledger sync" → "Ledger sync v2"']);

  // Keep editing: still on the page, the edit intact.
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toBeHidden();
  await expect(page.getByTestId('application-id')).toHaveText(app.id);
  await expect(page.getByLabel('Application Name')).toHaveValue('Ledger sync v2');
  await expect(page.getByTestId('unsaved')).toBeVisible();

  // Esc keeps it too (here from the page's own back link).
  await page.getByRole('link', { name: '← External Applications' }).click();
  await expect(ask).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await expect(page.getByLabel('Application Name')).toHaveValue('Ledger sync v2');

  // Discard: the list, and the server still has the old name.
  await header(page).click();
  await ask.getByRole('button', { name: 'Discard' }).click();
  await expect(listHeading(page)).toBeVisible();
  expect((await desk.call('getApp', { clientId: app.id })).name).toBe('Ledger sync');
  await expect(page.locator(`[data-testid="app-row"][data-app-id="${app.id}"]`)).toContainText('Ledger sync');

  // Saved: leaving asks nothing.
  await openApplication(page, app.id);
  await expect(page.getByLabel('Application Name')).toHaveValue('Ledger sync');
  await page.getByLabel('Application Name').fill('Ledger sync v3');
  await page.getByTestId('save-application').click();
  await page.getByTestId('change-preview').getByTestId('apply-changes').click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await header(page).click();
  await expect(listHeading(page)).toBeVisible();
  await expect(page.locator('.n-dialog')).toHaveCount(0);
  expect((await desk.call('getApp', { clientId: app.id })).name).toBe('Ledger sync v3');
});

test('wizard: leaving with a name and a resource asks and names them; Cancel asks too; Discard adds nothing', async ({
  app: page,
  desk,
}) => {
  await openWizard(page);
  // Nothing entered yet: leaving is free.
  await header(page).click();
  await expect(listHeading(page)).toBeVisible();
  await expect(page.locator('.n-dialog')).toHaveCount(0);

  await openWizard(page);
  await page.getByLabel('Application Name').fill('Draft robot');
  await addScopes(page, { resource: ORCHESTRATOR, application: ['OR.Jobs.Read'] });

  await header(page).click();
  const ask = confirmation(page, 'Discard unsaved changes?');
  await expect(ask.getByTestId('unsaved-line')).toHaveText([
    'Name: "Draft robot"',
    `${ORCHESTRATOR}: application scopes OR.Jobs.Read`,
  ]);
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Add Application' })).toBeVisible();
  await expect(page.getByLabel('Application Name')).toHaveValue('Draft robot');
  await expect(page.getByTestId('resource-row')).toContainText('OR.Jobs.Read');

  // The wizard's own Cancel is a way out like any other.
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Discard' }).click();
  await expect(listHeading(page)).toBeVisible();
  const names = (await desk.call('listApps', { refresh: true })).map((a) => a.name);
  expect(names).not.toContain('Draft robot');

  // Back in the wizard, the discarded draft is gone.
  await openWizard(page);
  await expect(page.getByLabel('Application Name')).toHaveValue('');
});

test('closing the window with unsaved edits is refused through beforeunload; once saved it closes', async ({
  app: page,
  desk,
}) => {
  const { app } = await registerApp(desk, {
    name: 'Window app',
    scopes: [{ name: 'OR.Jobs.Read', type: 'application' }],
  });
  await openApplication(page, app.id);
  await page.getByLabel('Application Name').fill('Window app v2');

  const asked = new Promise<string>((resolve) =>
    page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    }),
  );
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  // Dismissed: the window and the edit are still there.
  expect(page.isClosed()).toBe(false);
  await expect(page.getByLabel('Application Name')).toHaveValue('Window app v2');

  await page.getByTestId('save-application').click();
  await page.getByTestId('change-preview').getByTestId('apply-changes').click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual([]);
});
