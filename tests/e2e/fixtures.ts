// The e2e world: the built renderer served over HTTP, a real app context (workspace, keychain, Identity Server)
// in a fresh data folder, and a page whose `window.api` reaches that context's dispatch.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test as base, expect, type Page } from '@playwright/test';
import keytar from 'keytar';
import { openAppContext, type AppContext } from '../../src/main/context';
import type { Keychain } from '../../src/main/keychain/keychain';
import { createKeytarKeychain } from '../../src/main/keychain/keytar';
import { channelOf, operationNames, type OperationName, type OutputOf, type RawInputOf } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { BRIDGE_FILE, RENDERER_DIR } from './build';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves out/renderer read-only on a loopback port. */
function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(RENDERER_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(RENDERER_DIR + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolveServer) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolveServer({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

const operationByChannel = new Map<string, OperationName>(operationNames.map((name) => [channelOf(name), name]));

/** A keychain that refuses while `refusing` is set: a Secret Service that says no, the rest is the real one. */
export interface RefusableKeychain extends Keychain {
  refusing: boolean;
}

function refusableKeychain(): RefusableKeychain {
  const real = createKeytarKeychain();
  const keychain: RefusableKeychain = {
    refusing: false,
    async set(service, account, value) {
      if (keychain.refusing)
        throw new AppError('keychain_unavailable', 'The OS keychain is not available (access was denied). Details: the request was refused.');
      await real.set(service, account, value);
    },
    get: (service, account) => real.get(service, account),
    delete: (service, account) => real.delete(service, account),
  };
  return keychain;
}

export interface Desk {
  context: AppContext;
  keychainService: string;
  keychain: RefusableKeychain;
  /** Calls an operation the way the page does, for checks from the test's side. */
  call<K extends OperationName>(operation: K, input: RawInputOf<K>): Promise<OutputOf<K>>;
  /** What the OS keychain holds under this desk's service. */
  readSecret(account: string): Promise<string | null>;
}

interface Fixtures {
  desk: Desk;
  /** The page, opened on the External Applications view. */
  app: Page;
}

interface WorkerFixtures {
  rendererUrl: string;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  rendererUrl: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await serveRenderer();
      await use(server.url);
      await server.close();
    },
    { scope: 'worker' },
  ],

  // eslint-disable-next-line no-empty-pattern
  desk: async ({}, use) => {
    const home = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-'));
    const keychainService = `oauth-desk-e2e-${randomBytes(6).toString('hex')}`;
    const keychain = refusableKeychain();
    const context = await openAppContext({ home, port: 0, keychainService, keychain });
    const desk: Desk = {
      context,
      keychainService,
      keychain,
      async call(operation, input) {
        const result = await context.dispatch(operation, input);
        if (!result.ok) throw AppError.from(result.error);
        return result.value as never;
      },
      readSecret: (account) => keytar.getPassword(keychainService, account),
    };
    try {
      await use(desk);
    } finally {
      await context.close();
      for (const credential of await keytar.findCredentials(keychainService))
        await keytar.deletePassword(keychainService, credential.account);
      rmSync(home, { recursive: true, force: true });
    }
  },

  app: async ({ page, desk, rendererUrl }, use) => {
    await page.exposeBinding('__oauthDeskInvoke', (_source, channel: string, input: unknown) =>
      desk.context.dispatch(operationByChannel.get(channel) ?? channel, input),
    );
    await page.addInitScript({ path: BRIDGE_FILE });
    await page.goto(`${rendererUrl}/index.html#/applications`);
    await expect(page.getByRole('heading', { name: 'External Applications' })).toBeVisible();
    await use(page);
  },
});

export { expect };

export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screens');
