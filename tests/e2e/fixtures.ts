// The e2e world: the built renderer served over HTTP, a real app context (workspace, keychain, Identity Server)
// in a fresh data folder, and a page whose `window.api` reaches that context's dispatch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test as base, expect, type Page } from '@playwright/test';
import keytar from 'keytar';
import { openAppContext, type AppContext } from '../../src/main/context';
import type { ConfirmRequest } from '../../src/main/ports';
import type { RateLimits } from '../../src/identity-server/server';
import type { OperationName, OutputOf, RawInputOf } from '../../src/shared/contract';
import { callerOf } from '../../src/shared/api';
import { attachApi } from './attach';
import { serveRenderer } from './serve';
import { memoryClipboard, refusableKeychain } from '../integration/support';

export type RefusableKeychain = ReturnType<typeof refusableKeychain>;

export interface Desk {
  context: AppContext;
  /** The desk's data folder (workspace and the embedded server's data). */
  home: string;
  keychainService: string;
  keychain: RefusableKeychain;
  /** Calls an operation the way the page does, for checks from the test's side. */
  call<K extends OperationName>(operation: K, input: RawInputOf<K>): Promise<OutputOf<K>>;
  /** What the OS keychain holds under this desk's service. */
  readSecret(account: string): Promise<string | null>;
  /** The clipboard copySecretToClipboard writes to: Electron's cannot exist here, so a memory one stands in. */
  clipboard: ReturnType<typeof memoryClipboard>;
  /** How long a copied secret stays on that clipboard in these tests. */
  clipboardClearAfterSeconds: number;
  /** The folder the save dialog's stand-in answers paths in (Electron's dialog cannot exist here). */
  exportsDir: string;
  /** Every path the stand-in save dialog answered, in order. */
  savedPaths: string[];
  /** Set to make the next save dialogs answer "cancelled". */
  cancelSave: boolean;
  /**
   * Every question main asked with its own confirmation (Electron's native message box cannot exist here: this
   * recording stand-in plays it, drawn by the test process and never by the page), in order.
   */
  confirmations: ConfirmRequest[];
  /** What the stand-in answers: Confirm (true, the default) or Cancel. */
  confirmAnswer: boolean;
  /**
   * Every URL main asked the user's browser to open, in order (Electron's shell.openExternal cannot exist here: this
   * recording stand-in plays it and opens nothing; a test opens an address in a page of its own, as the user would).
   */
  opened: string[];
}

interface Fixtures {
  /** The embedded server's rate limits (UiPath's unless a spec sets some with test.use, to see a run paced). */
  rateLimits: Partial<RateLimits> | undefined;
  desk: Desk;
  /** The page, opened on the External Applications view. */
  app: Page;
}

interface WorkerFixtures {
  rendererUrl: string;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  rendererUrl: [
    async ({}, use) => {
      const server = await serveRenderer();
      await use(server.url);
      await server.close();
    },
    { scope: 'worker' },
  ],

  rateLimits: [undefined, { option: true }],

  desk: async ({ rateLimits }, use) => {
    const home = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-'));
    const keychainService = `oauth-desk-e2e-${randomBytes(6).toString('hex')}`;
    const keychain = refusableKeychain();
    const clipboard = memoryClipboard();
    // Exports are written outside the data folder, as a user saves them.
    const exportsDir = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-exports-'));
    const clipboardClearAfterSeconds = 60;
    const savedPaths: string[] = [];
    const confirmations: ConfirmRequest[] = [];
    const opened: string[] = [];
    // The stand-in save dialog reads `cancelSave` from the desk, made once the context is open.
    let desk: Desk | null = null;
    // The desktop app's main process: the data folder's owner, whose socket the CLI works through.
    const context = await openAppContext({
      ownerKind: 'desktop',
      home,
      port: 0,
      keychainService,
      keychain,
      clipboard,
      clipboardClearAfterSeconds,
      rateLimits,
      chooseSavePath: (suggestedFileName) => {
        if (desk?.cancelSave) return Promise.resolve(null);
        const path = join(exportsDir, `${savedPaths.length + 1}-${suggestedFileName}`);
        savedPaths.push(path);
        return Promise.resolve(path);
      },
      // Stands in for the native dialog of main's confirmation: records the question, answers desk.confirmAnswer.
      confirm: {
        confirm: (request) => {
          confirmations.push(request);
          return Promise.resolve(desk?.confirmAnswer ?? true);
        },
      },
      // Stands in for the user's browser (shell.openExternal in src/main/index.ts): records the URL, as opened.
      openBrowser: {
        open: (url) => {
          opened.push(url);
          return Promise.resolve();
        },
      },
    });
    desk = {
      context,
      home,
      keychainService,
      keychain,
      clipboard,
      clipboardClearAfterSeconds,
      exportsDir,
      savedPaths,
      cancelSave: false,
      confirmations,
      confirmAnswer: true,
      opened,
      call: callerOf(context.dispatch),
      readSecret: (account) => keytar.getPassword(keychainService, account),
    };
    try {
      await use(desk);
    } finally {
      await context.close();
      for (const credential of await keytar.findCredentials(keychainService))
        await keytar.deletePassword(keychainService, credential.account);
      rmSync(home, { recursive: true, force: true });
      rmSync(exportsDir, { recursive: true, force: true });
    }
  },

  app: async ({ page, desk, rendererUrl }, use) => {
    await attachApi(page, desk.context.dispatch, desk.context.events);
    await page.goto(`${rendererUrl}/index.html#/applications`);
    await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
    await use(page);
  },
});

export { expect };

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screens');
