// A state saved at both window sizes a reviewer looks at (1280×800 and 1024×700), under test-results/screens/<size>/.
import type { Page } from '@playwright/test';
import { SCREENSHOTS } from './fixtures';

const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '1024x700', width: 1024, height: 700 },
] as const;

/** Saves the page as it is now at each size, and leaves it at the laptop size. */
export async function shootAtBothSizes(page: Page, name: string): Promise<void> {
  for (const size of [...SIZES].reverse()) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: `${SCREENSHOTS}/${size.name}/${name}.png` });
  }
}
