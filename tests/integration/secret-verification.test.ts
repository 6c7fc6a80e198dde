// The token endpoint's secret check keeps each client's secret hashes in memory. What changes a secret must count at
// once: over HTTP against the real server (a new secret works, a deleted one and a deleted app are refused on the very
// next request), and in the store on its real SQLite file (expiry to the millisecond, other clients, deletion).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { ClientStore } from '../../src/identity-server/store/clients';
import { openIdentityDatabase, type IdentityDatabase } from '../../src/identity-server/store/database';
import { hashSecretValue } from '../../src/identity-server/store/secretValue';

const tempDirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-desk-secret-check-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the token endpoint, as secrets change', () => {
  let server: RunningIdentityServer;
  let adminToken: string;

  /** The token endpoint's answer: the status, and the OAuth error code when refused. */
  async function token(clientId: string, secret: string): Promise<{ status: number; error?: string }> {
    const response = await fetch(`${server.issuer}/connect/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'OR.Jobs' }).toString(),
    });
    const body = (await response.json()) as { error?: string };
    return response.ok ? { status: response.status } : { status: response.status, error: body.error };
  }

  async function management(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.baseUrl}/${server.orgName}/identity_/api${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function createApp(name: string): Promise<{ id: string; secret: string; secretId: string }> {
    const created = await management('POST', '/ExternalClient', {
      partitionGlobalId: server.partitionGlobalId,
      name,
      isConfidential: true,
      redirectUri: null,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    expect(created.status).toBe(201);
    const app = created.body as { id: string; secret: string; secrets: { id: string }[] };
    return { id: app.id, secret: app.secret, secretId: app.secrets[0]?.id ?? '' };
  }

  beforeAll(async () => {
    server = await startIdentityServer({ dataDir: tempDataDir(), port: 0 });
    const admin = await server.ensureAdminClient();
    if (!admin.secret) throw new Error('a new server has an admin secret');
    const response = await fetch(`${server.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: admin.clientId,
        client_secret: admin.secret.value,
        scope: 'PM.OAuthApp PM.OAuthAppSecret.Write',
      }).toString(),
    });
    adminToken = ((await response.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await server.close();
  });

  it('takes a new secret at once, and refuses a deleted one on the next request', async () => {
    const app = await createApp('Rotating at speed');
    expect(await token(app.id, app.secret)).toEqual({ status: 200 });

    const generated = await management('POST', '/ExternalClient/GenerateSecret', {
      clientId: app.id,
      partitionGlobalId: server.partitionGlobalId,
      description: 'next',
      expiryTime: null,
    });
    expect(generated.status).toBe(200);
    const next = generated.body as { id: string; secret: string };
    expect(await token(app.id, next.secret)).toEqual({ status: 200 });
    expect(await token(app.id, app.secret)).toEqual({ status: 200 });

    const deleted = await management('DELETE', `/ExternalClient/${server.partitionGlobalId}/secrets/${app.secretId}`);
    expect(deleted.status).toBe(204);
    expect(await token(app.id, app.secret)).toEqual({ status: 401, error: 'invalid_client' });
    expect(await token(app.id, next.secret)).toEqual({ status: 200 });
  });

  it('refuses every value but a live secret, however often the right one was just used', async () => {
    const app = await createApp('Guessed at');
    const other = await createApp('Someone else');
    for (let i = 0; i < 3; i++) expect(await token(app.id, app.secret)).toEqual({ status: 200 });
    for (const wrong of [
      `${app.secret.slice(0, -1)}${app.secret.endsWith('A') ? 'B' : 'A'}`,
      app.secret.slice(0, -1),
      `${app.secret} `,
      other.secret,
      hashSecretValue(app.secret).toString('hex'),
      hashSecretValue(app.secret).toString('base64url'),
    ])
      expect(await token(app.id, wrong), JSON.stringify(wrong)).toEqual({ status: 401, error: 'invalid_client' });
    expect(await token(app.id, app.secret)).toEqual({ status: 200 });
  });

  it('refuses the secret of a deleted application on the next request', async () => {
    const app = await createApp('Deleted at once');
    expect(await token(app.id, app.secret)).toEqual({ status: 200 });
    expect((await management('DELETE', `/ExternalClient/${server.partitionGlobalId}/${app.id}`)).status).toBe(204);
    expect(await token(app.id, app.secret)).toEqual({ status: 401, error: 'invalid_client' });
  });
});

describe('ClientStore.verifySecret', () => {
  let db: IdentityDatabase;
  let store: ClientStore;

  beforeAll(() => {
    db = openIdentityDatabase(tempDataDir());
    store = new ClientStore(db);
  });
  afterAll(() => {
    db.close();
  });

  const app = (name: string) =>
    store.create(
      'partition',
      { name, isConfidential: true, redirectUri: null, scopes: [{ name: 'OR.Jobs', type: 'application' }] },
      null,
    ).client.id;

  it('refuses a secret from the millisecond it expires, though it passed a moment before', () => {
    const clientId = app('Expiring');
    const expiry = new Date(Date.now() + 60_000);
    const { value } = store.addSecret(clientId, { description: null, expiryTime: expiry.toISOString() });
    expect(store.verifySecret(clientId, value, new Date(expiry.getTime() - 1))).toBe(true);
    expect(store.verifySecret(clientId, value, expiry)).toBe(false);
    expect(store.verifySecret(clientId, value, new Date(expiry.getTime() + 3_600_000))).toBe(false);
  });

  it('keeps an unexpired secret working beside an expired one, and the expired one refused', () => {
    const clientId = app('Overlapping');
    const now = Date.now();
    const old = store.addSecret(clientId, { description: 'old', expiryTime: new Date(now + 1000).toISOString() });
    expect(store.verifySecret(clientId, old.value, new Date(now))).toBe(true);
    const fresh = store.addSecret(clientId, { description: 'fresh', expiryTime: null });
    const later = new Date(now + 2000);
    expect(store.verifySecret(clientId, fresh.value, later)).toBe(true);
    expect(store.verifySecret(clientId, old.value, later)).toBe(false);
  });

  it("refuses a secret presented for another client, and any client's secret once that client is deleted", () => {
    const first = app('First');
    const second = app('Second');
    const { value } = store.addSecret(first, { description: null, expiryTime: null });
    expect(store.verifySecret(first, value)).toBe(true);
    expect(store.verifySecret(second, value)).toBe(false);
    expect(store.delete(first)).toBe(true);
    expect(store.verifySecret(first, value)).toBe(false);
  });

  it('refuses a deleted secret at once, and keeps the others working', () => {
    const clientId = app('Deleting');
    const kept = store.addSecret(clientId, { description: null, expiryTime: null });
    const dropped = store.addSecret(clientId, { description: null, expiryTime: null });
    expect(store.verifySecret(clientId, dropped.value)).toBe(true);
    expect(store.deleteSecret(dropped.record.id)).toBe(true);
    expect(store.verifySecret(clientId, dropped.value)).toBe(false);
    expect(store.verifySecret(clientId, kept.value)).toBe(true);
  });
});
