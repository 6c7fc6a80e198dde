// What the specs of an application's later life need: an app made through the real dispatch, and its page opened the
// way an admin opens it (a click on its name in External Applications).
import { expect, type Locator, type Page } from '@playwright/test';
import type { ScopeRequest } from '../../src/shared/model';
import type { Desk } from './fixtures';

export async function registerApp(
  desk: Desk,
  app: { name: string; isConfidential?: boolean; scopes: ScopeRequest[]; redirectUri?: string },
) {
  return desk.call('createApp', {
    name: app.name,
    isConfidential: app.isConfidential ?? true,
    scopes: app.scopes,
    redirectUri: app.redirectUri ?? null,
  });
}

/** From External Applications (refreshed, so an app made by dispatch is listed), opens the app's page by its name. */
export async function openApplication(page: Page, appId: string): Promise<void> {
  await page.getByRole('menuitem', { name: 'External Applications' }).click();
  await page.getByTestId('apps-refresh').click();
  const row = page.locator(`[data-testid="app-row"][data-app-id="${appId}"]`);
  await row.locator('a.app-name').click();
  await expect(page.getByTestId('application-id')).toHaveText(appId);
}

export function secretRows(page: Page): Locator {
  return page.getByTestId('secret-row');
}

export function secretRow(page: Page, secretId: string): Locator {
  return page.locator(`[data-testid="secret-row"][data-secret-id="${secretId}"]`);
}

/** A confirmation dialog of Naive UI's useDialog, found by its text. */
export function confirmation(page: Page, text: string | RegExp): Locator {
  return page.locator('.n-dialog').filter({ hasText: text });
}
