// A second embedded Identity Server playing the organisation "acme", added to the desk by its admin application;
// offline is that server stopped (and started again on the same port to answer once more).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { ADMIN_APP_SCOPES } from '../../src/shared/adminScopes';
import { expect, test, type Desk } from './fixtures';

export interface Acme {
  server: RunningIdentityServer;
  dataDir: string;
  port: number;
  admin: { clientId: string; secret: string };
}

export async function startAcme(): Promise<Acme> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-e2e-acme-'));
  const server = await startIdentityServer({ dataDir, port: 0, orgName: 'acme' });
  const admin = await server.ensureAdminClient();
  if (!admin.secret) throw new Error('acme issued no admin secret on its first start');
  const port = Number(new URL(server.baseUrl).port);
  return { server, dataDir, port, admin: { clientId: admin.clientId, secret: admin.secret.value } };
}

/** acme answers again, on the port the desk knows it by. */
export async function restartAcme(acme: Acme): Promise<void> {
  acme.server = await startIdentityServer({ dataDir: acme.dataDir, port: acme.port, orgName: 'acme' });
}

export async function stopAcme(acme: Acme): Promise<void> {
  await acme.server.close().catch(() => undefined);
  rmSync(acme.dataDir, { recursive: true, force: true });
}

/** The desk's test with acme running from its start to its end (then stopped, its data folder gone). */
export const testWithAcme = test.extend<{ acme: Acme }>({
  acme: async ({}, use) => {
    const acme = await startAcme();
    try {
      await use(acme);
    } finally {
      await stopAcme(acme);
    }
  },
});

export async function addAcme(desk: Desk, acme: Acme): Promise<void> {
  await desk.call('addOrganisation', {
    id: 'acme',
    displayName: 'Acme',
    baseUrl: acme.server.baseUrl,
    orgName: 'acme',
    signIn: { method: 'adminApp', clientId: acme.admin.clientId, clientSecret: acme.admin.secret },
  });
}

/**
 * acme added from the test's side with one confidential application, "Acme robot" (OR.Jobs as the app), synced into
 * the desk's cache; answers the application.
 */
export async function addAcmeWithRobot(desk: Desk, acme: Acme) {
  await addAcme(desk, acme);
  const { app } = await desk.call('createApp', {
    organisation: 'acme',
    name: 'Acme robot',
    isConfidential: true,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  });
  await desk.call('syncOrganisation', { organisation: 'acme' });
  return app;
}

/** acme stops answering; the window, acme current, finds out when External Applications is refreshed. */
export async function takeAcmeOffline(page: Page, acme: Acme): Promise<void> {
  await acme.server.close();
  await page.getByTestId('apps-refresh').click();
  await expect(page.getByTestId('organisation-offline')).toBeVisible();
}

/**
 * What the admin types in Add organisation for acme, all but the secret: the base URL, the organisation name acme,
 * the display name Acme and the admin application's App ID.
 */
export async function fillAcmeOrganisation(page: Page, baseUrl: string, appId: string): Promise<void> {
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Organisation name').fill('acme');
  await page.getByLabel('Display name').fill('Acme');
  await page.getByLabel('App ID').fill(appId);
}

/** Makes acme current in the window (added from the test's side: the page reads the organisations again). */
export async function useAcmeInWindow(page: Page): Promise<void> {
  await page.reload();
  await page.getByTestId('organisation-switcher').click();
  await page.locator('[data-testid="organisation-option"][data-organisation="acme"]').click();
  await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
}

/** Adds acme from the test's side and makes it current in the window. */
export async function addAcmeInWindow(page: Page, desk: Desk, acme: Acme): Promise<void> {
  await addAcme(desk, acme);
  await useAcmeInWindow(page);
}

/** Opens the current organisation's settings drawer. */
export async function openCurrentSettings(page: Page): Promise<void> {
  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('organisation-settings').click();
  await expect(page.getByTestId('organisation-settings-drawer')).toBeVisible();
}

/** A token of acme's admin application, for what acme's own admin does in its portal. */
async function acmeAdminToken(acme: Acme, scope: string): Promise<string> {
  const token = await fetch(`${acme.server.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: acme.admin.clientId,
      client_secret: acme.admin.secret,
      scope,
    }),
  });
  expect(token.status).toBe(200);
  return ((await token.json()) as { access_token: string }).access_token;
}

/** A call to acme's management API as its admin, which must answer 201 Created; answers the created body. */
async function createOnAcme(acme: Acme, scope: string, path: string, body: unknown): Promise<unknown> {
  const created = await fetch(`${acme.server.baseUrl}/acme/identity_/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await acmeAdminToken(acme, scope)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await created.text();
  expect(created.status, text).toBe(201);
  return JSON.parse(text) as unknown;
}

/** An application made on acme through its own API (as the portal would), with only these application scopes. */
export async function registerOnAcme(
  acme: Acme,
  name: string,
  scopes: string[],
): Promise<{ id: string; secret: string }> {
  const answer = (await createOnAcme(acme, 'PM.OAuthApp', '/ExternalClient', {
    partitionGlobalId: acme.server.partitionGlobalId,
    name,
    isConfidential: true,
    redirectUri: null,
    scopes: scopes.map((s) => ({ name: s, type: 'application' })),
  })) as { id: string; secret?: string };
  return { id: answer.id, secret: answer.secret ?? '' };
}

/**
 * The application acme's admin registers for "Sign in with my account", as the Add organisation form says: not
 * confidential, the admin scopes as user scopes, and the redirect URL http://127.0.0.1/callback. Answers its App ID.
 */
export async function registerAccountAppOnAcme(acme: Acme): Promise<string> {
  const answer = (await createOnAcme(acme, 'PM.OAuthApp', '/ExternalClient', {
    partitionGlobalId: acme.server.partitionGlobalId,
    name: 'OAuth Desk (my account)',
    isConfidential: false,
    redirectUri: 'http://127.0.0.1/callback',
    scopes: ADMIN_APP_SCOPES.map((name) => ({ name, type: 'user' })),
  })) as { id: string };
  return answer.id;
}

/** A user of acme, who signs in on acme's own sign-in page. */
export async function addUserOnAcme(acme: Acme, userName: string, password: string): Promise<void> {
  await createOnAcme(acme, 'PM.User', '/User', { userName, displayName: userName, password });
}

/** The user, in their browser, on acme's sign-in page (where a one-time start address of the desk led them). */
export async function signInOnAcme(browser: Page, userName: string, password: string): Promise<void> {
  await browser.locator('#userName').fill(userName);
  await browser.locator('#password').fill(password);
  await browser.locator('button[type=submit]').click();
}
