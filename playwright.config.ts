// Playwright configuration of the renderer's e2e specs: the built renderer in Chromium, bridged to the real dispatch.
// (The Electron launch spec has its own configuration in tests/electron/.)
import { defineConfig } from '@playwright/test';
import { register } from 'tsx/esm/api';
import { CHROMIUM_LAUNCH } from './tests/chromium';

// The specs import the app's own modules (the dispatch, the Identity Server), written for bundler resolution
// (JSON imports without attributes, extensionless paths), the way the CLI runs them: under tsx.
register();

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: /.*\.spec\.ts$/,
  outputDir: 'test-results/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One Secret Service and two cores: specs run one at a time.
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH,
  },
});
