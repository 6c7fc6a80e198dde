// The wizard without a mouse: Tab, arrow keys, Space, Enter and Escape register a confidential application with user
// and application scopes and a redirect URL. On the way: the Edit Resource panel opens on Resource, its tabs answer the
// arrow keys, arrowing through Application Type asks nothing until the choice is made, Escape in the switch warning
// keeps the type (the radios say so too), Enter submits, and the result dialog takes focus and gives it back.
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { ORCHESTRATOR, result, scopeTab } from './wizard';
import { confirmation } from './application';

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
