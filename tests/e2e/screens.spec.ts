// The window at the two sizes it must fit, laptop (1280×800) and small (1024×700), in the light and the dark theme:
// the main states saved under test-results/screens/<size>/<theme>/ to be looked at without running the app, and checked
// for what a user would notice first: nothing scrolls sideways (the page, the list's table), and the primary actions
// (Add, Save and Discard, a secret's Copy and Delete) are in view.
import type { Locator, Page } from '@playwright/test';
import { test, expect, SCREENSHOTS } from './fixtures';
import { stopTransitions, useScheme } from './axe';
import { ORCHESTRATOR, fillWizard, openWizard, pickScopes, result, scopeTab } from './wizard';
import { registerApp, secretRows } from './application';

const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1024x700', width: 1024, height: 700 },
] as const;

/** How far an element's content runs past its width: 0 when nothing scrolls sideways. */
function overflowOf(element: Locator): Promise<number> {
  return element.evaluate((el) => el.scrollWidth - el.clientWidth);
}

async function expectNoSidewaysScroll(page: Page, ...inside: Locator[]): Promise<void> {
  expect(await overflowOf(page.locator('html')), 'the page scrolls sideways').toBeLessThanOrEqual(0);
  for (const element of inside)
    expect(await overflowOf(element), `${String(element)} scrolls sideways`).toBeLessThanOrEqual(0);
}

for (const size of SIZES) {
  test(`the main states at ${size.name}, light and dark`, async ({ app: page, desk }) => {
    /** Both themes of the state on screen, then back to the light one. */
    const shoot = async (name: string) => {
      for (const scheme of ['dark', 'light'] as const) {
        await useScheme(page, scheme);
        await page.screenshot({ path: `${SCREENSHOTS}/${size.name}/${scheme}/${name}.png` });
      }
    };
    await page.setViewportSize({ width: size.width, height: size.height });
    await stopTransitions(page);
    // Names longer than their column: cut short in the list, whole on hover.
    await registerApp(desk, {
      name: 'Quarterly invoice reconciliation between the ledger and the payment provider',
      scopes: [
        { name: 'OR.Jobs.Read', type: 'user' },
        { name: 'OR.Queues', type: 'application' },
      ],
      redirectUri: 'https://ledger.example.com/callback',
    });

    await openWizard(page);
    await fillWizard(page, {
      name: 'Nightly jobs',
      confidential: true,
      scopes: [{ resource: ORCHESTRATOR, application: ['OR.Jobs', 'OR.Queues.Read'] }],
    });
    await expectNoSidewaysScroll(page);
    await expect(page.getByTestId('submit-application')).toBeInViewport();
    await shoot('wizard');

    const panel = await pickScopes(page, { resource: ORCHESTRATOR, user: ['OR.Jobs.Read'] });
    await shoot('edit-resource-user');
    await scopeTab(page, 'Application Scope(s)').click();
    await panel.getByLabel('Filter scopes').fill('queue');
    await shoot('edit-resource-application-filtered');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await expect(panel).toBeHidden();

    await page.getByLabel('Redirect URL').fill('https://nightly.example.com/callback');
    await page.getByTestId('submit-application').click();
    const dialog = result(page);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('close-result')).toBeInViewport();
    await shoot('registration-result');
    await dialog.getByTestId('close-result').click();
    await expect(dialog).toBeHidden();

    await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
    await page.getByTestId('apps-refresh').click();
    await expect(page.getByTestId('app-row')).toHaveCount(3);
    const table = page.locator('[data-testid="apps-table"] .n-data-table-base-table-body');
    await expectNoSidewaysScroll(page, table);
    await expect(page.getByTestId('add-application')).toBeInViewport();
    const longRow = page.getByTestId('app-row').filter({ hasText: 'Quarterly invoice' });
    await expect(longRow.getByRole('button', { name: /^Copy the App ID of/ })).toBeInViewport();
    // Hovering the cut name shows it whole (the browser's tooltip) and leaves the cell as it was.
    const longName = longRow.locator('a.app-name');
    await longName.hover();
    await expect(longName).toHaveAttribute('title', /payment provider$/);
    await expect(longName).toBeVisible();
    await shoot('applications');

    await page
      .getByTestId('app-row')
      .filter({ hasText: 'Nightly jobs' })
      .getByRole('link', { name: 'Nightly jobs', exact: true })
      .click();
    await expect(page.getByTestId('edit-form')).toBeVisible();
    await expect(secretRows(page)).toHaveCount(1);
    await page.getByLabel('Application Name').fill('Nightly jobs (prod)');
    await expectNoSidewaysScroll(page, page.locator('.application'));
    // Save and Discard stay at the bottom edge, beside the unsaved mark, however long the form.
    await expect(page.getByTestId('save-application')).toBeInViewport();
    await expect(page.getByTestId('discard-changes')).toBeInViewport();
    await expect(page.getByTestId('unsaved')).toBeInViewport();
    await shoot('application');
    await page.getByTestId('discard-changes').click();

    await page.getByTestId('secrets-section').scrollIntoViewIfNeeded();
    await expect(secretRows(page).first().getByTestId('copy-keychain-secret')).toBeInViewport();
    await expect(secretRows(page).first().getByTestId('delete-secret')).toBeInViewport();
    // The keychain entry's own Copy is in view as the table opens, not under the pinned actions.
    const copyEntry = secretRows(page)
      .first()
      .getByRole('button', { name: /^Copy entry/ });
    await expect(copyEntry).toBeInViewport();
    expect(await copyEntry.evaluate(isUncovered)).toBe(true);
    await shoot('application-secrets');

    await page.getByTestId('open-handoff').click();
    await expect(page.getByTestId('handoff')).toBeVisible();
    await shoot('handoff');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('handoff')).toBeHidden();

    await page.getByTestId('expiring-open').click();
    await expect(page.getByTestId('expiring-drawer')).toBeVisible();
    await shoot('expiring-secrets');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('expiring-drawer')).toBeHidden();

    await page.getByTestId('organisation-switcher').click();
    await page.getByTestId('organisation-settings').click();
    await expect(page.getByTestId('organisation-settings-drawer').getByText('Organisation ID')).toBeVisible();
    await shoot('organisation-settings');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('organisation-settings-drawer')).toBeHidden();

    await page.getByRole('menuitem', { name: 'Users' }).click();
    await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shoot('users');

    await page.getByRole('menuitem', { name: 'Activity' }).click();
    await expect(page.getByTestId('activity-table')).toContainText('Nightly jobs');
    await expectNoSidewaysScroll(page);
    // The keyboard's place in the menu looks unlike the view shown (the green one).
    await page.getByRole('link', { name: 'Activity' }).focus();
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByRole('link', { name: 'Users' })).toBeFocused();
    await shoot('activity');
  });
}

/** Whether the point at an element's centre hits the element itself (and not something drawn over it). */
function isUncovered(element: Element): boolean {
  const box = element.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return hit !== null && element.contains(hit);
}
