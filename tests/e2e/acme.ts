// A second embedded Identity Server playing the organisation "acme", added to the desk by its admin application;
// offline is that server stopped (and started again on the same port to answer once more).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { expect, type Desk } from './fixtures';

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

export async function addAcme(desk: Desk, acme: Acme): Promise<void> {
  await desk.call('addOrganisation', {
    id: 'acme',
    displayName: 'Acme',
    baseUrl: acme.server.baseUrl,
    orgName: 'acme',
    signIn: { method: 'adminApp', clientId: acme.admin.clientId, clientSecret: acme.admin.secret },
  });
}

/** Makes acme current in the window (added from the test's side: the page reads the organisations again). */
export async function useAcmeInWindow(page: Page): Promise<void> {
  await page.reload();
  await page.getByTestId('organisation-switcher').click();
  await page.locator('[data-testid="organisation-option"][data-organisation="acme"]').click();
  await expect(page.getByTestId('current-organisation-name')).toHaveText('Acme');
}

/** Opens the current organisation's settings drawer. */
export async function openCurrentSettings(page: Page): Promise<void> {
  await page.getByTestId('organisation-switcher').click();
  await page.getByTestId('organisation-settings').click();
  await expect(page.getByTestId('organisation-settings-drawer')).toBeVisible();
}

/** An application made on acme through its own API (as the portal would), with only these application scopes. */
export async function registerOnAcme(
  acme: Acme,
  name: string,
  scopes: string[],
): Promise<{ id: string; secret: string }> {
  const token = await fetch(`${acme.server.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: acme.admin.clientId,
      client_secret: acme.admin.secret,
      scope: 'PM.OAuthApp',
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const created = await fetch(`${acme.server.baseUrl}/acme/identity_/api/ExternalClient`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      partitionGlobalId: acme.server.partitionGlobalId,
      name,
      isConfidential: true,
      redirectUri: null,
      scopes: scopes.map((s) => ({ name: s, type: 'application' })),
    }),
  });
  expect(created.status).toBe(201);
  const answer = (await created.json()) as { id: string; secret?: string };
  return { id: answer.id, secret: answer.secret ?? '' };
}
