// The Users view of the local organisation: add a user (the shared rules' messages for bad input), delete one after confirming.
import { test, expect } from './fixtures';
import { confirmation } from './application';

test('add a user, refuse bad input with the rule’s message, delete a user', async ({ app: page, desk }) => {
  await page.getByRole('menuitem', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(
    page.getByText('sign in on the local Identity Server’s page when an application asks for user scopes'),
  ).toBeVisible();

  await page.getByTestId('add-user').click();
  const dialog = page.getByTestId('add-user-dialog');
  await dialog.getByLabel('User name').fill('ada lovelace');
  await dialog.getByLabel('Password').fill('short');
  await dialog.getByTestId('confirm-add-user').click();
  await expect(dialog).toContainText('User name may contain only letters, digits and . _ @ -');
  await expect(dialog).toContainText('Password must be at least 8 characters.');
  expect(await desk.call('listUsers', {})).toHaveLength(0);

  await dialog.getByLabel('User name').fill('ada');
  await dialog.getByLabel('Display name').fill('Ada Lovelace');
  await dialog.getByLabel('Password').fill('analytical-engine');
  await dialog.getByTestId('confirm-add-user').click();
  await expect(dialog).toBeHidden();
  const row = page.locator('[data-testid="user-row"][data-user-name="ada"]');
  await expect(row).toContainText('Ada Lovelace');
  const listed = await desk.call('listUsers', {});
  expect(listed.map((u) => u.userName)).toEqual(['ada']);
  expect(JSON.stringify(listed)).not.toContain('analytical-engine');

  await row.getByTestId('delete-user').click();
  await confirmation(page, 'can no longer sign in').getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  expect(await desk.call('listUsers', {})).toHaveLength(0);
});
