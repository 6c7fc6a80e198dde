// How every test starts Chromium: the system's browser (Playwright's own download cannot happen everywhere), as root
// without its sandbox, and without the background traffic a closed network refuses. Used by playwright.config.ts and the
// integration tests that drive a real sign-in.
import { existsSync } from 'node:fs';

export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
