// axe-core on the page as it stands, in the light and the dark theme: the app follows the OS theme (useOsTheme), so
// the colour scheme is emulated and the check waits until Naive UI's global style has repainted the body.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export type ColorScheme = 'light' | 'dark';

/** Turns CSS transitions off: a colour easing into the other theme, or a dialog fading in, is read half-way otherwise. */
export async function stopTransitions(page: Page): Promise<void> {
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; }',
  });
}

/** Emulates the OS colour scheme and waits until the page has taken it. */
export async function useScheme(page: Page, scheme: ColorScheme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await expect
    .poll(() =>
      page.evaluate(() => {
        const [r = 255, g = 255, b = 255] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(
          Number,
        );
        return r + g + b < 300 ? 'dark' : 'light';
      }),
    )
    .toBe(scheme);
}

/** Structure a screen reader user moves by: these count whatever impact axe gives them. */
const STRUCTURE = new Set(['aria-dialog-name', 'landmark-one-main', 'heading-order', 'page-has-heading-one']);

/**
 * The violations a user of assistive technology or low vision would hit: serious and critical ones (WCAG 2.x A/AA and
 * axe's best practices), and any of the structure rules. `contrastOnly`: the theme changes colours and nothing else.
 */
async function seriousViolations(page: Page, contrastOnly: boolean): Promise<string[]> {
  // Legacy mode runs axe in the page itself: the app has no frames, and the default opens a page per run to merge them.
  const axe = new AxeBuilder({ page }).setLegacyMode(true);
  if (contrastOnly) axe.withRules(['color-contrast']);
  else axe.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  const results = await axe.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || STRUCTURE.has(v.id))
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact ?? ''}): ${n.target.join(' ')} — ${n.failureSummary ?? v.help}`),
    );
}

/** Runs axe on the current state: every rule in the light theme, the colours again in the dark one. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  await stopTransitions(page);
  for (const scheme of ['light', 'dark'] as const) {
    await useScheme(page, scheme);
    // Soft: one run reports every state that fails, not only the first.
    expect.soft(await seriousViolations(page, scheme === 'dark'), `${state}, ${scheme} theme`).toEqual([]);
  }
  await useScheme(page, 'light');
}
