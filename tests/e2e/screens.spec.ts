// The window at the two sizes it must fit, laptop (1280×800) and small (1024×700): the moments that matter, saved
// under test-results/screens/<size>/ to be looked at, and checked for what a user would notice first — nothing may
// scroll sideways.
import type { Page } from '@playwright/test';
import { test, expect, SCREENSHOTS } from './fixtures';
import { ORCHESTRATOR, fillWizard, openWizard, result } from './wizard';

const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1024x700', width: 1024, height: 700 },
] as const;

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

for (const size of SIZES) {
  test(`the main states at ${size.name}`, async ({ app: page }) => {
    const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${size.name}/${name}.png` });
    await page.setViewportSize({ width: size.width, height: size.height });

    await openWizard(page);
    await fillWizard(page, {
      name: 'Nightly jobs',
      confidential: true,
      scopes: [{ resource: ORCHESTRATOR, application: ['OR.Jobs', 'OR.Queues.Read'] }],
    });
    await expectNoSidewaysScroll(page);
    await shot('wizard');

    await page.getByTestId('submit-application').click();
    const dialog = result(page);
    await expect(dialog).toBeVisible();
    await shot('registration-result');
    await dialog.getByTestId('close-result').click();
    await expect(dialog).toBeHidden();

    await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shot('applications');

    await page
      .getByTestId('app-row')
      .filter({ hasText: 'Nightly jobs' })
      .getByRole('link', { name: 'Nightly jobs', exact: true })
      .click();
    await expect(page.getByTestId('edit-form')).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shot('application');
  });
}
