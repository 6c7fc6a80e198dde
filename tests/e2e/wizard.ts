// What an admin does in the Add Application wizard, step by step, as the specs need it.
import { expect, type Locator, type Page } from '@playwright/test';

export const ORCHESTRATOR = 'Orchestrator API Access';

export interface ScopeChoice {
  resource: string;
  user?: string[];
  application?: string[];
}

export function field(page: Page, label: string): Locator {
  return page.locator('.n-form-item').filter({ has: page.locator('.n-form-item-label', { hasText: label }) });
}

export function feedbackOf(page: Page, label: string): Locator {
  return field(page, label).locator('.n-form-item-feedback');
}

export function scopeTab(page: Page, name: 'User Scope(s)' | 'Application Scope(s)'): Locator {
  return page.getByTestId('edit-resource').getByRole('tab', { name });
}

export async function openWizard(page: Page): Promise<void> {
  await page.getByTestId('add-application').first().click();
  await expect(page.getByRole('heading', { name: 'Add Application' })).toBeVisible();
}

export async function chooseType(page: Page, confidential: boolean): Promise<void> {
  await page.getByTestId(confidential ? 'type-confidential' : 'type-non-confidential').click();
}

/** Opens Edit Resource, picks the resource and ticks the scopes; leaves the panel open. */
export async function pickScopes(page: Page, choice: ScopeChoice): Promise<Locator> {
  await page.getByTestId('add-scopes').click();
  const panel = page.getByTestId('edit-resource');
  await expect(panel.getByText('Edit Resource')).toBeVisible();
  await panel.getByTestId('resource-select').click();
  await page.locator('.n-base-select-option', { hasText: choice.resource }).first().click();
  for (const [tab, group, scopes] of [
    ['User Scope(s)', 'User scopes', choice.user ?? []],
    ['Application Scope(s)', 'Application scopes', choice.application ?? []],
  ] as const) {
    if (scopes.length === 0) continue;
    await scopeTab(page, tab).click();
    const list = panel.getByRole('group', { name: group });
    for (const scope of scopes) await list.getByRole('checkbox', { name: scope, exact: true }).click();
  }
  return panel;
}

export async function addScopes(page: Page, choice: ScopeChoice): Promise<void> {
  const panel = await pickScopes(page, choice);
  await panel.getByTestId('save-resource').click();
  await expect(panel).toBeHidden();
}

export async function fillWizard(
  page: Page,
  app: { name: string; confidential: boolean; scopes: ScopeChoice[]; redirectUri?: string },
): Promise<void> {
  await page.getByLabel('Application Name').fill(app.name);
  await chooseType(page, app.confidential);
  for (const choice of app.scopes) await addScopes(page, choice);
  if (app.redirectUri) await page.getByLabel('Redirect URL').fill(app.redirectUri);
}

/** The confirmation dialog after Add. */
export function result(page: Page): Locator {
  return page.getByTestId('registration-result');
}
