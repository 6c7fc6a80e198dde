// The wizard without a mouse: Tab, arrow keys, Space, Enter and Escape register a confidential application with user
// and application scopes and a redirect URL. On the way: the Edit Resource panel opens on Resource, its tabs answer the
// arrow keys, arrowing through Application Type asks nothing until the choice is made, Escape in the switch warning
// keeps the type (the radios say so too), Enter submits, and the result dialog takes focus and gives it back.
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { ORCHESTRATOR, result, scopeTab } from './wizard';
import { confirmation, registerExpiringSoon } from './application';
import { chooseImportFile, exportOf } from './import-file';

/** Presses Tab (or Shift+Tab) until the element has focus, as a keyboard user moves; fails if it never comes. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${String(target)} was not reached with ${key}`);
}

test('register a confidential app with user and application scopes and a redirect URL, keyboard only', async ({
  app: page,
  desk,
}) => {
  await tabTo(page, page.getByTestId('add-application').first());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Add Application' })).toBeVisible();

  await tabTo(page, page.getByLabel('Application Name'));
  await page.keyboard.type('Keyboard sync');

  // Edit Resource: focus starts on Resource; type to find the resource, Enter picks it.
  await tabTo(page, page.getByTestId('add-scopes'));
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('edit-resource');
  await expect(panel.getByLabel('Resource')).toBeFocused();
  await page.keyboard.type('Orchestrator');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('resource-select')).toContainText(ORCHESTRATOR);

  // The filter narrows the list; the selected tab is one Tab stop, and the arrow keys move between the tabs.
  await tabTo(page, panel.getByLabel('Filter scopes'));
  await page.keyboard.type('jobs');
  const userTab = scopeTab(page, 'User Scope(s)');
  await tabTo(page, userTab);
  const userScopes = panel.getByRole('group', { name: 'User scopes' });
  await expect(userScopes.getByRole('checkbox', { name: 'OR.Queues.Read', exact: true })).toHaveCount(0);
  await tabTo(page, userScopes.getByRole('checkbox', { name: 'OR.Jobs.Read', exact: true }));
  await page.keyboard.press('Space');
  await expect(userScopes.getByRole('checkbox', { name: 'OR.Jobs.Read', exact: true })).toBeChecked();

  await tabTo(page, userTab, 'Shift+Tab');
  await page.keyboard.press('ArrowRight');
  const applicationTab = scopeTab(page, 'Application Scope(s)');
  await expect(applicationTab).toBeFocused();
  await expect(applicationTab).toHaveAttribute('aria-selected', 'true');
  const applicationScopes = panel.getByRole('group', { name: 'Application scopes' });
  await tabTo(page, applicationScopes.getByRole('checkbox', { name: 'OR.Jobs', exact: true }));
  await page.keyboard.press('Space');
  await expect(applicationTab).toHaveText(/Application Scope\(s\) \(1\)/);
  await tabTo(page, panel.getByTestId('save-resource'));
  await page.keyboard.press('Enter');
  await expect(panel).toBeHidden();
  // The panel gives focus back to what opened it.
  await expect(page.getByTestId('add-scopes')).toBeFocused();

  // Application Type: arrowing moves the choice and asks nothing; arrowing back leaves it as it was.
  const confidential = page.getByRole('radio', { name: 'Confidential application', exact: true });
  const nonConfidential = page.getByRole('radio', { name: 'Non-confidential application', exact: true });
  await tabTo(page, confidential, 'Shift+Tab');
  await page.keyboard.press('ArrowDown');
  await expect(nonConfidential).toBeChecked();
  const warning = confirmation(page, 'Switch to Non-confidential?');
  await expect(warning).toHaveCount(0);
  await page.keyboard.press('ArrowUp');
  await expect(confidential).toBeChecked();
  // Space makes the choice: now the warning asks; Escape keeps Confidential, checked and focused.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(warning).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(warning).toBeHidden();
  await expect(confidential).toBeChecked();
  await expect(nonConfidential).not.toBeChecked();
  await expect(confidential).toBeFocused();
  await expect(page.getByTestId('resource-row')).toContainText('OR.Jobs');

  // Enter in the Redirect URL submits the wizard.
  await tabTo(page, page.getByLabel('Redirect URL'));
  await page.keyboard.type('https://keyboard.example.com/callback');
  await page.keyboard.press('Enter');
  const dialog = result(page);
  await expect(dialog).toBeVisible();
  // The dialog takes focus (the dialog itself, so its title is read first), and Tab stays inside it.
  await expect
    .poll(() => dialog.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)))
    .toBe(true);
  const appId = await dialog.getByTestId('result-app-id').locator('input').inputValue();
  await tabTo(page, dialog.getByTestId('close-result'));
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  // Back on the list: focus is in the view, not lost on the page's body.
  await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);

  const registered = await desk.call('getApp', { clientId: appId });
  expect(registered.name).toBe('Keyboard sync');
  expect(registered.isConfidential).toBe(true);
  expect(registered.redirectUri).toBe('https://keyboard.example.com/callback');
  expect(
    registered.resources
      .flatMap((r) => r.scopes)
      .map((s) => `${s.type}:${s.name}`)
      .sort(),
  ).toEqual(['application:OR.Jobs', 'user:OR.Jobs.Read']);
});

test('the organisation switcher is a menu with a focus ring, each organisation with its host', async ({
  app: page,
}) => {
  const switcher = page.getByTestId('organisation-switcher');
  await tabTo(page, switcher, 'Shift+Tab');
  await expect(switcher).toHaveAttribute('aria-haspopup', 'menu');
  await expect(switcher).toHaveAttribute('aria-expanded', 'false');
  // The ring is drawn where the keyboard is.
  expect(await switcher.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await page.keyboard.press('Enter');
  await expect(switcher).toHaveAttribute('aria-expanded', 'true');
  const menu = page.getByRole('menu', { name: 'Organisations' });
  await expect(
    menu.getByRole('menuitemradio', { name: /^Local Identity Server \(embedded\) 127\.0\.0\.1:\d+$/ }),
  ).toHaveAttribute('aria-checked', 'true');
  await expect(menu.getByRole('menuitem', { name: 'Add organisation…' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(switcher).toHaveAttribute('aria-expanded', 'false');
  await expect(switcher).toBeFocused();
});

test('Expiring secrets: each application is a link the keyboard opens', async ({ app: page, desk }) => {
  const app = await registerExpiringSoon(desk);
  await page.reload();
  // The list and the drawer word the expiry the same way.
  const listed = page.locator(`[data-testid="app-row"][data-app-id="${app.id}"]`);
  await expect(listed).toContainText('Expires in 10 days');
  await tabTo(page, page.getByTestId('expiring-open'), 'Shift+Tab');
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: 'Expiring secrets' });
  const link = drawer.getByRole('link', { name: 'Invoice robot' });
  await expect(drawer.getByTestId('expiring-row')).toContainText('Expires in 10 days');
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('application-id')).toHaveText(app.id);
});

test('Apply with the keyboard: check boxes named by application, focus on the progress heading', async ({
  app: page,
  desk,
}) => {
  await desk.call('saveScopeSet', {
    name: 'Queue worker',
    description: '',
    scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
  });
  for (const name of ['Bulk 01', 'Bulk 02'])
    await desk.call('createApp', { name, isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'application' }] });
  await page.getByRole('link', { name: 'Scope Sets' }).click();
  await expect(page.getByRole('heading', { name: 'Scope Sets' })).toBeVisible();
  await page.getByTestId('scope-set-row').getByTestId('apply-set').click();
  const table = page.getByTestId('apply-apps');
  const first = table.getByRole('checkbox', { name: 'Bulk 01', exact: true });
  await tabTo(page, first);
  await page.keyboard.press('Space');
  await expect(first).toHaveAttribute('aria-checked', 'true');
  await expect(table.getByRole('checkbox', { name: 'Select every application shown' })).toHaveAttribute(
    'aria-checked',
    'mixed',
  );
  await expect(page.getByTestId('apply-checked-count')).toHaveText('1 selected');
  await tabTo(page, page.getByTestId('apply-preview-open'));
  await page.keyboard.press('Enter');
  const preview = page.getByTestId('scope-set-preview');
  await expect(preview.getByTestId('plan-entry')).toHaveCount(1);
  await tabTo(page, preview.getByTestId('apply-preview'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('apply-heading')).toBeFocused();
  await expect(page.getByRole('region', { name: 'Results per application' })).toHaveAttribute('tabindex', '0');
});

test('Import: focus moves to the result, which says what happened', async ({ app: page }) => {
  const dialog = await chooseImportFile(
    page,
    exportOf([
      {
        client_name: 'Imported robot',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['https://imported.example.com/callback'],
        resources: [
          { name: 'OrchestratorApiUserAccess', user_scopes: ['OR.Jobs.Read'], application_scopes: ['OR.Jobs'] },
        ],
      },
      {
        client_name: 'Imported browser',
        token_endpoint_auth_method: 'none',
        redirect_uris: [],
        resources: [{ name: 'OrchestratorApiUserAccess', user_scopes: [], application_scopes: ['OR.Jobs.Read'] }],
      },
    ]),
  );
  // A Create row says the type, the scopes by type and the redirect URL.
  const create = dialog.locator('[data-testid="plan-entry"][data-action="create"]');
  await expect(create.getByTestId('plan-type')).toHaveText('Confidential');
  await expect(create.getByTestId('change-line')).toHaveText([
    'User scopes: OR.Jobs.Read',
    'Application scopes: OR.Jobs',
    'Redirect URL: https://imported.example.com/callback',
  ]);
  // The applications' list scrolls with the keyboard and is named.
  await expect(dialog.getByRole('list', { name: /^Applications in / })).toHaveAttribute('tabindex', '0');
  await tabTo(page, dialog.getByTestId('import-apply'));
  await page.keyboard.press('Enter');
  const done = dialog.getByTestId('import-done');
  await expect(done).toBeFocused();
  await expect(done.getByTestId('import-outcome')).toHaveText('1 imported, 1 refused.');
});
