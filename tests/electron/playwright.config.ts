// Playwright configuration of the Electron launch spec, kept apart from the renderer's e2e configuration.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
