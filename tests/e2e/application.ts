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

/** "Invoice robot" of the local organisation, OR.Queues.Read as the app, with a secret that expires in 10 days. */
export async function registerExpiringSoon(desk: Desk) {
  const { app } = await desk.call('createApp', {
    name: 'Invoice robot',
    isConfidential: true,
    scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
  });
  await desk.call('generateSecret', {
    clientId: app.id,
    description: 'Rotates soon',
    expiryTime: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    mode: 'overlap',
  });
  return app;
}

/**
 * Bulk 01, Bulk 02, … of the local organisation: confidential, OR.Assets.Read as the app, and each its own redirect
 * URL (a scope set's user scopes need one: without it, Apply's preview would list them as refused). Answers their IDs.
 */
export async function registerBulkApps(desk: Desk, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const { app } = await desk.call('createApp', {
      name: `Bulk ${String(i).padStart(2, '0')}`,
      isConfidential: true,
      redirectUri: `https://bulk${i}.example.com/callback`,
      scopes: [{ name: 'OR.Assets.Read', type: 'application' }],
    });
    ids.push(app.id);
  }
  return ids;
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
