// OrganisationClient against a small real HTTP server: token caching, 429 back-off, error mapping, unreachable organisation.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { parseRetryAfter, retryDelayMs } from '../../src/main/organisation/backoff';
import { OrganisationClient, type OrganisationClientOptions } from '../../src/main/organisation/client';
import { clientCredentialsSource } from '../../src/main/organisation/tokens';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(route: Route): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => route(req, res, body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const app = { id: 'c1', name: 'A', isConfidential: true, redirectUri: null, resources: [], secrets: [] };

function clientOf(baseUrl: string, waits: number[] = [], options: Partial<OrganisationClientOptions> = {}) {
  return new OrganisationClient({
    connection: { baseUrl, orgName: 'acme', partitionGlobalId: 'p-1', adminClientId: 'admin' },
    inWords: 'acme',
    tokens: clientCredentialsSource({
      tokenUrl: `${baseUrl}/identity_/connect/token`,
      inWords: 'acme',
      clientId: 'admin',
      secret: () => Promise.resolve('admin-secret'),
    }),
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
}

/** An unsigned JWT carrying `claims`: the client reads a token's claims without verifying them. */
function jwtOf(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'at+jwt' })}.${part(claims)}.`;
}

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and caps the wait', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
    // A UiPath window (300 s) is waited as asked; more than that is capped; a guess without Retry-After stays short.
    expect(retryDelayMs('300', 0, undefined, () => 0)).toBe(300_000);
    expect(retryDelayMs('600', 0, undefined, () => 0)).toBe(300_000);
    expect(retryDelayMs(null, 2, undefined, () => 0)).toBe(4000);
    expect(retryDelayMs(null, 10, undefined, () => 0)).toBe(30_000);
    expect(retryDelayMs('1', 0, undefined, () => 0.999)).toBeLessThan(1250);
  });
});

describe('OrganisationClient', () => {
  it('gets one admin token by client_credentials and reuses it', async () => {
    const tokenRequests: URLSearchParams[] = [];
    const baseUrl = await serve((req, res, body) => {
      if (req.url === '/identity_/connect/token') {
        tokenRequests.push(new URLSearchParams(body));
        json(res, 200, { access_token: 'tok', expires_in: 3600, token_type: 'Bearer' });
        return;
      }
      expect(req.headers.authorization).toBe('Bearer tok');
      expect(req.url).toBe('/acme/identity_/api/ExternalClient/p-1');
      json(res, 200, [app]);
    });
    const client = clientOf(baseUrl);
    await Promise.all([client.listApps(), client.listApps()]);
    await client.listApps();
    expect(tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(tokenRequests[0]!)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'admin',
      client_secret: 'admin-secret',
      scope: 'PM.OAuthApp PM.OAuthAppSecret.Write',
    });
  });

  it('waits as Retry-After says on 429 and retries', async () => {
    let calls = 0;
    const baseUrl = await serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: 'tok', expires_in: 3600 });
        return;
      }
      calls++;
      if (calls <= 2) {
        json(res, 429, { title: 'Too many requests' }, { 'retry-after': '2' });
        return;
      }
      json(res, 200, [app]);
    });
    const waits: number[] = [];
    expect(await clientOf(baseUrl, waits).listApps()).toHaveLength(1);
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(2000);
  });

  it('waits out a 5-minute window, and gives up with rate_limited only past the total wait', async () => {
    let calls = 0;
    const baseUrl = await serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: 'tok', expires_in: 3600 });
        return;
      }
      calls++;
      // UiPath's window: 300 s, asked for three times over (the third would pass 6 minutes in all).
      json(res, 429, {}, { 'retry-after': calls === 1 ? '240' : '100' });
    });
    const waits: number[] = [];
    await expect(clientOf(baseUrl, waits).listApps()).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/waited 340 s in all/) as unknown,
    });
    expect(waits.map((w) => Math.floor(w / 1000))).toEqual([240, 100]);
  });

  it('maps 400 errors to invalid_input issues by field', async () => {
    const baseUrl = await serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: 'tok', expires_in: 3600 });
        return;
      }
      json(res, 400, { status: 400, title: 'Invalid', errors: { name: ['Application Name is required.'] } });
    });
    const error = await clientOf(baseUrl)
      .createApp({ name: '', isConfidential: true, redirectUri: null, scopes: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'name', message: 'Application Name is required.' }],
    });
  });

  it('maps 403 and 404, and renews the token once after a 401', async () => {
    let tokens = 0;
    let first = true;
    const baseUrl = await serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: `tok${++tokens}`, expires_in: 3600 });
        return;
      }
      if (req.url?.endsWith('/missing')) {
        json(res, 404, { title: 'Not found' });
        return;
      }
      if (req.url?.endsWith('/ExternalApiResource')) {
        json(res, 403, {});
        return;
      }
      if (first) {
        first = false;
        json(res, 401, {});
        return;
      }
      json(res, 200, app);
    });
    const client = clientOf(baseUrl);
    await expect(client.getApp('c1')).resolves.toMatchObject({ id: 'c1' });
    expect(tokens).toBe(2);
    await expect(client.getApp('missing')).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/missing/) as unknown,
    });
    await expect(client.catalogue()).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("takes a confidential app's secret from the raw create answer, its int64 ID exact, before the rest is read", async () => {
    const baseUrl = await serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: 'tok', expires_in: 3600 });
        return;
      }
      // Written by hand: JSON.stringify cannot write 2^63-1, and JSON.parse would round it to 9223372036854775808.
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        `{"id":"c1","name":"A","isConfidential":true,"redirectUri":null,"resources":null,"secret":"value-1",` +
          `"secrets":[{"id":9223372036854775807,"description":null,"creationTime":"2026-12-01T00:00:00Z"}]}`,
      );
    });
    const created = await clientOf(baseUrl).createApp({
      name: 'A',
      isConfidential: true,
      redirectUri: null,
      scopes: [],
    });
    expect(created).toMatchObject({ secretValue: 'value-1', clientId: 'c1', secretId: '9223372036854775807' });
    const app = created.read();
    expect(app.secrets.map((s) => s.id)).toEqual(['9223372036854775807']);
    expect(app.resources).toEqual([]);
    expect(app).not.toHaveProperty('secret');
  });

  it('keeps the secret value of a create answer it cannot otherwise read', async () => {
    const baseUrl = await serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: 'tok', expires_in: 3600 });
        return;
      }
      json(res, 201, { name: 'No ID', secret: 'value-2', secrets: [{ id: -5 }] });
    });
    const created = await clientOf(baseUrl).createApp({
      name: 'No ID',
      isConfidential: true,
      redirectUri: null,
      scopes: [],
    });
    expect(created).toMatchObject({ secretValue: 'value-2', clientId: null, secretId: '-5' });
    expect(() => created.read()).toThrow(/answered “No ID” without an App ID/);
  });

  it('says the admin application was refused when the token endpoint rejects its secret', async () => {
    const baseUrl = await serve((_req, res) =>
      json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' }),
    );
    await expect(clientOf(baseUrl).listApps()).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/admin application admin/) as unknown,
    });
  });

  it('asks a GET once more when its connection is reset, and never sends a change twice', async () => {
    const asked: string[] = [];
    let resets = 0;
    const baseUrl = await serve((req, res, body) => {
      if (req.url?.includes('/connect/token')) {
        json(res, 200, { access_token: 't', expires_in: 3600 });
        return;
      }
      asked.push(req.method ?? '');
      // The first of each kind is cut off as a connection closed under it is.
      if (asked.filter((m) => m === req.method).length === 1) {
        resets++;
        req.socket.destroy();
        return;
      }
      json(res, 200, req.method === 'GET' ? [app] : { ...app, ...(JSON.parse(body) as { name: string }) });
    });
    const client = clientOf(baseUrl);
    expect(await client.listApps()).toEqual([app]);
    expect(asked).toEqual(['GET', 'GET']);
    await expect(client.updateApp('c1', { name: 'B', redirectUri: null, scopes: [] })).rejects.toMatchObject({
      code: 'organisation_unreachable',
    });
    expect(asked).toEqual(['GET', 'GET', 'PUT']);
    expect(resets).toBe(2);
  });

  it('answers organisation_unreachable when nothing listens', async () => {
    const baseUrl = await serve((_req, res) => json(res, 200, {}));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    await expect(clientOf(baseUrl).listApps()).rejects.toMatchObject({
      code: 'organisation_unreachable',
      message: expect.stringMatching(/connection refused/) as unknown,
    });
  });
});

describe('OrganisationClient for secrets and users', () => {
  it('asks for a PM.User token only for the users calls, keeping the applications token as it is', async () => {
    const scopes: string[] = [];
    const seen: string[] = [];
    const baseUrl = await serve((req, res, body) => {
      if (req.url === '/identity_/connect/token') {
        const scope = new URLSearchParams(body).get('scope') ?? '';
        scopes.push(scope);
        json(res, 200, { access_token: `token for ${scope}`, expires_in: 3600 });
        return;
      }
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      if (req.url === '/acme/identity_/api/User') {
        json(res, 200, []);
        return;
      }
      json(res, 200, app);
    });
    const client = clientOf(baseUrl);
    await client.getApp('c1');
    await client.listUsers();
    await client.getApp('c1');
    expect(scopes).toEqual(['PM.OAuthApp PM.OAuthAppSecret.Write', 'PM.User']);
    expect(seen).toEqual([
      'GET /acme/identity_/api/ExternalClient/p-1/c1 Bearer token for PM.OAuthApp PM.OAuthAppSecret.Write',
      'GET /acme/identity_/api/User Bearer token for PM.User',
      'GET /acme/identity_/api/ExternalClient/p-1/c1 Bearer token for PM.OAuthApp PM.OAuthAppSecret.Write',
    ]);
  });

  it('sends GenerateSecret with the partition and answers the value apart from the record', async () => {
    let sent: unknown;
    const baseUrl = await serve((req, res, body) => {
      if (req.url === '/identity_/connect/token') {
        json(res, 200, { access_token: 't', expires_in: 3600 });
        return;
      }
      sent = JSON.parse(body);
      json(res, 200, {
        id: -42,
        description: 'd',
        creationTime: '2026-01-01T00:00:00Z',
        expiryTime: null,
        secret: 'v4lue',
      });
    });
    const generated = await clientOf(baseUrl).generateSecret('c1', { description: 'd', expiryTime: null });
    expect(sent).toEqual({ clientId: 'c1', partitionGlobalId: 'p-1', description: 'd', expiryTime: null });
    expect(generated).toMatchObject({ secretValue: 'v4lue', clientId: 'c1', secretId: '-42' });
    expect(generated.read()).toEqual({
      id: '-42',
      description: 'd',
      creationTime: '2026-01-01T00:00:00Z',
      expiryTime: null,
      lastUsedTime: null,
    });
  });

  it('maps a 404 of a delete to not_found naming the app, and a 409 to invalid_input naming the field', async () => {
    const baseUrl = await serve((req, res) => {
      if (req.url === '/identity_/connect/token') {
        json(res, 200, { access_token: 't', expires_in: 3600 });
        return;
      }
      if (req.method === 'DELETE') {
        json(res, 404, { status: 404, title: 'Not found' });
        return;
      }
      json(res, 409, {
        status: 409,
        title: 'Taken',
        errors: { userName: ['A user with this user name already exists.'] },
      });
    });
    const client = clientOf(baseUrl);
    await expect(client.deleteApp('gone')).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('gone') as unknown,
    });
    await expect(
      client.createUser({ userName: 'ada', displayName: '', password: 'long enough' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'userName' }],
    });
  });
});

describe('OrganisationClient scopes, waits and reachability', () => {
  it('narrows the token to the scopes the admin application holds, and says which one a refused call lacks', async () => {
    const asked: string[] = [];
    const held = new Set(['PM.OAuthApp.Read', 'PM.OAuthApp.Write']);
    const baseUrl = await serve((req, res, body) => {
      if (req.url === '/identity_/connect/token') {
        const scope = new URLSearchParams(body).get('scope') ?? '';
        asked.push(scope);
        if (scope.split(' ').every((s) => held.has(s)))
          json(res, 200, { access_token: jwtOf({ scope, prt_id: 'p-1' }), expires_in: 3600 });
        else json(res, 400, { error: 'invalid_scope', error_description: 'requested scope is not allowed' });
        return;
      }
      if (req.url === '/acme/identity_/api/ExternalClient/GenerateSecret') {
        json(res, 403, { title: 'The access token needs one of these scopes: PM.OAuthAppSecret.Write.' });
        return;
      }
      json(res, 200, [app]);
    });
    const client = clientOf(baseUrl);
    expect(await client.listApps()).toHaveLength(1);
    expect(await client.grantedScopes()).toEqual(['PM.OAuthApp.Read', 'PM.OAuthApp.Write']);
    expect((await client.tokenClaims()).prt_id).toBe('p-1');
    expect(asked).toEqual([
      'PM.OAuthApp PM.OAuthAppSecret.Write',
      'PM.OAuthApp',
      'PM.OAuthApp.Read',
      'PM.OAuthApp.Write',
      'PM.OAuthAppSecret.Write',
      'PM.OAuthApp.Read PM.OAuthApp.Write',
    ]);
    await expect(client.generateSecret('c1', { description: null, expiryTime: null })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(
        /^The token lacks PM\.OAuthAppSecret\.Write: generating secrets fails in acme\. Give the admin application admin/,
      ) as unknown,
    });
  });

  it('reports a 429 wait with its end, and the resumption', async () => {
    let calls = 0;
    const baseUrl = await serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: 'tok', expires_in: 3600 });
        return;
      }
      if (++calls === 1) json(res, 429, {}, { 'retry-after': '3' });
      else json(res, 200, [app]);
    });
    const reported: (number | null)[] = [];
    const before = Date.now();
    await clientOf(baseUrl, [], { onRateLimitWait: (until) => reported.push(until) }).listApps();
    expect(reported).toHaveLength(2);
    expect(reported[0]).toBeGreaterThanOrEqual(before + 3000);
    expect(reported[1]).toBeNull();
  });

  it('reports reachability, and refuses a change it cannot send in words that say so', async () => {
    const baseUrl = await serve((_req, res) => json(res, 200, {}));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    const seen: unknown[] = [];
    const client = clientOf(baseUrl, [], { onReachability: (reach) => seen.push(reach) });
    await expect(client.deleteApp('c1')).rejects.toMatchObject({
      code: 'organisation_unreachable',
      message:
        'acme cannot be reached: connection refused (is its Identity Server running?); changes need a connection.',
    });
    await expect(client.listApps()).rejects.toMatchObject({
      code: 'organisation_unreachable',
      message: expect.stringMatching(/^Cannot reach/) as unknown,
    });
    expect(seen[0]).toMatchObject({ online: false, error: expect.stringMatching(/connection refused/) as unknown });
  });
});

describe('OrganisationClient reading a long list as it arrives', () => {
  /** Applications with text a chunk may end inside: an escape, characters of 2 to 4 bytes, brackets in a string. */
  const apps = Array.from({ length: 120 }, (_, i) => ({
    ...app,
    id: `c${i}`,
    name: `Ünïcödé "${i}" 日本 🚀 ]},[{`,
    isConfidential: i % 2 === 0,
    redirectUri: i % 2 === 0 ? null : `https://app${i}.example.com/cb`,
  }));

  /** Serves the list's text as a remote organisation might: in pieces of odd sizes, each sent after a pause. */
  async function serveInPieces(text: string): Promise<string> {
    return serve((req, res) => {
      if (req.url?.endsWith('/token')) {
        json(res, 200, { access_token: 'tok', expires_in: 3600 });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(text);
      const sizes = [1, 2, 3, 5, 7, 11, 13, 17, 997];
      void (async () => {
        for (let at = 0, n = 0; at < bytes.length; n++) {
          const size = sizes[n % sizes.length] ?? 1;
          res.write(bytes.subarray(at, at + size));
          at += size;
          await new Promise((resolve) => setImmediate(resolve));
        }
        res.end();
      })();
    });
  }

  it('gives every application of one JSON array, whatever the pieces it comes in', async () => {
    const client = clientOf(await serveInPieces(JSON.stringify(apps)));
    expect(await client.listApps()).toEqual(apps);
    const batches: string[][] = [];
    expect(await client.eachApps((batch) => batches.push(batch.map((a) => a.id)))).toBe(apps.length);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toEqual(apps.map((a) => a.id));
  });

  it('names the application of the wrong shape by its index and field, and hands on none from it on', async () => {
    const wrong = apps.map((a, i) => (i === 100 ? { ...a, isConfidential: 'yes' } : a));
    const taken: string[] = [];
    const client = clientOf(await serveInPieces(JSON.stringify(wrong)));
    await expect(client.eachApps((batch) => taken.push(...batch.map((a) => a.id)))).rejects.toMatchObject({
      code: 'server_error',
      message:
        'The organisation answered with an unexpected shape for the list of applications (at 100.isConfidential).',
    });
    expect(taken.length).toBeLessThanOrEqual(100);
    expect(taken).toEqual(apps.slice(0, taken.length).map((a) => a.id));
  });

  it('refuses a list cut short as not JSON', async () => {
    const client = clientOf(await serveInPieces(JSON.stringify(apps).slice(0, 5000)));
    await expect(client.listApps()).rejects.toMatchObject({
      code: 'server_error',
      message: 'The organisation answered 200 with something that is not JSON.',
    });
  });
});
