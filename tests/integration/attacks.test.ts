// The Identity Server attack suite (RFC 9700, RFC 6749 §10): each test is one exploit, tried as an attacker would
// over real HTTP against the embedded server, and must be refused. Proven in other files, not repeated here:
// - PKCE with the wrong verifier (and without one at the token endpoint): sign-in.test.ts, "answers invalid_grant to
//   a code exchanged without its verifier or with a wrong one";
// - refresh token replay: sign-in.test.ts, "gives a refresh token for offline_access that works once …";
// - scope escalation, an ungranted scope and a user scope in client_credentials: identity-server.test.ts, "refuses a
//   scope the application was not granted, and a user scope in client_credentials"; an application scope in a user
//   token: sign-in.test.ts, "makes a confidential app authenticate with its secret, and never puts an application
//   scope in a user token";
// - a deleted or an expired secret: identity-server.test.ts, "keeps several secrets working at once, until one is
//   deleted" and "refuses an expired secret with invalid_client, and an expiry in the past";
// - the management API with a non-admin token, or a forged one: identity-server.test.ts, "answers 403 to a token
//   without a PM.OAuthApp scope …" and "answers 401 without a token and with a token it did not issue";
// - a burst of reads past the limit: identity-server.test.ts, "answers 429 with Retry-After once the organisation’s
//   GET limit is used up".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, decodeJwt, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import type { ExternalClient } from '../../src/shared/model';

type CreatedClient = ExternalClient & { secret?: string };

const REGISTERED_LOOPBACK = 'http://127.0.0.1:7999/callback';
const REGISTERED_WEB = 'https://app.example.com/callback';
const PASSWORD = 'mallory cannot guess this';

const dataDirs: string[] = [];
const servers: RunningIdentityServer[] = [];

/** An embedded Identity Server on a folder of its own (or `dataDir`, for a restart), closed after the suite. */
async function serve(options: { dataDir?: string; orgName?: string; rateLimits?: Record<string, number> } = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'oauth-desk-attacks-'));
  if (!options.dataDir) dataDirs.push(dataDir);
  const server = await startIdentityServer({
    dataDir,
    port: 0,
    orgName: options.orgName,
    rateLimits: options.rateLimits,
  });
  servers.push(server);
  const admin = await server.ensureAdminClient();
  // A restart finds the admin application made before, whose secret is shown only once: no token then.
  const adminToken = admin.secret
    ? await clientCredentials(server, admin.clientId, admin.secret.value, 'PM.OAuthApp PM.User')
    : '';
  return { server, dataDir, adminToken };
}
type Served = Awaited<ReturnType<typeof serve>>;

async function clientCredentials(server: RunningIdentityServer, id: string, secret: string, scope: string) {
  const config = await oidc.discovery(new URL(server.issuer), id, undefined, oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests],
  });
  return (await oidc.clientCredentialsGrant(config, { scope })).access_token;
}

async function management(s: Served, method: string, path: string, body?: unknown, token = s.adminToken) {
  const response = await fetch(`${s.server.baseUrl}/${s.server.orgName}/identity_/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: typeof body === 'string' ? body : body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function register(s: Served, body: Record<string, unknown>): Promise<CreatedClient> {
  const answer = await management(s, 'POST', '/ExternalClient', {
    partitionGlobalId: s.server.partitionGlobalId,
    ...body,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as CreatedClient;
}

async function appIds(s: Served): Promise<string[]> {
  const answer = await management(s, 'GET', `/ExternalClient/${s.server.partitionGlobalId}`);
  return (answer.body as ExternalClient[]).map((c) => c.id);
}

/** A browser's cookie jar, as far as these flows need one: every cookie the server set, sent back on each request. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    return this.remember(await fetch(url, { redirect: 'manual', headers: { cookie: this.header() } }));
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.remember(
      await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      }),
    );
  }

  private header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }
}

interface AuthorizationParams {
  client: CreatedClient;
  redirectUri?: string;
  scope?: string;
  /** null: no PKCE at all; 'plain': the downgrade RFC 9700 forbids. */
  pkce?: 'S256' | 'plain' | null;
  extra?: Record<string, string>;
}

async function authorizationUrl(s: Served, params: AuthorizationParams) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = new URL(`${s.server.issuer}/connect/authorize`);
  const pkce = params.pkce === undefined ? 'S256' : params.pkce;
  url.search = new URLSearchParams({
    client_id: params.client.id,
    response_type: 'code',
    redirect_uri: params.redirectUri ?? REGISTERED_LOOPBACK,
    scope: params.scope ?? 'OR.Folders.Read',
    state: oidc.randomState(),
    ...(pkce === 'S256' ? { code_challenge: await oidc.calculatePKCECodeChallenge(verifier) } : {}),
    ...(pkce === 'plain' ? { code_challenge: verifier } : {}),
    ...(pkce ? { code_challenge_method: pkce } : {}),
    ...params.extra,
  }).toString();
  return { url: url.href, verifier };
}

/** Opens the authorization URL and follows the server's own redirects to the sign-in page; answers its address. */
async function openSignIn(s: Served, browser: Browser, url: string): Promise<string> {
  const answer = await browser.get(url);
  expect(answer.status, await answer.text()).toBe(303);
  return new URL(answer.headers.get('location')!, s.server.baseUrl).href;
}

/** Signs `userName` in and follows the redirects until the server sends the browser to the app; answers that URL. */
async function signIn(s: Served, browser: Browser, url: string, userName: string, password = PASSWORD): Promise<URL> {
  const page = await openSignIn(s, browser, url);
  let answer = await browser.post(page, { userName, password });
  for (let hops = 0; hops < 5 && answer.status >= 300 && answer.status < 400; hops++) {
    const next = new URL(answer.headers.get('location')!, s.server.baseUrl);
    if (next.origin !== s.server.baseUrl) return next;
    answer = await browser.get(next.href);
  }
  throw new Error(`The sign-in did not reach the app: ${answer.status} ${await answer.text()}`);
}

async function exchangeCode(s: Served, client: CreatedClient, code: string, verifier: string) {
  const response = await fetch(`${s.server.issuer}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.id,
      code,
      redirect_uri: REGISTERED_LOOPBACK,
      code_verifier: verifier,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** What the browser is sent to when the authorization request is refused: nowhere (an error page), or the app. */
async function refusal(url: string): Promise<{ status: number; location: string | null; page: string }> {
  const answer = await fetch(url, { redirect: 'manual' });
  return { status: answer.status, location: answer.headers.get('location'), page: await answer.text() };
}

let main: Served;
let spa: CreatedClient;
let web: CreatedClient;

beforeAll(async () => {
  main = await serve({ rateLimits: { get: 1e6, post: 1e6, put: 1e6, patch: 1e6, delete: 1e6 } });
  spa = await register(main, {
    name: 'Public SPA',
    isConfidential: false,
    redirectUri: REGISTERED_LOOPBACK,
    scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
  });
  web = await register(main, {
    name: 'Public web app',
    isConfidential: false,
    redirectUri: REGISTERED_WEB,
    scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
  });
  expect(
    (await management(main, 'POST', '/User', { userName: 'mallory', displayName: 'M', password: PASSWORD })).status,
  ).toBe(201);
}, 60_000);

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('redirect URI mismatch (RFC 9700 §4.1: exact string matching)', () => {
  const variants: [string, () => CreatedClient, string][] = [
    ['another path', () => spa, 'http://127.0.0.1:7999/callback/evil'],
    ['another case', () => web, 'https://app.example.com/CALLBACK'],
    ['an added query', () => web, 'https://app.example.com/callback?next=https://attacker.example.com'],
    ['another port on a non-loopback host', () => web, 'https://app.example.com:8443/callback'],
    ['a trailing slash', () => web, 'https://app.example.com/callback/'],
  ];
  for (const [what, client, redirectUri] of variants)
    it(`refuses a redirect URI with ${what}, on an error page that sends the browser nowhere`, async () => {
      const { url } = await authorizationUrl(main, { client: client(), redirectUri });
      const answer = await refusal(url);
      expect(answer.status).toBe(400);
      expect(answer.location).toBeNull();
      expect(answer.page).toContain('invalid_redirect_uri');
    });
});

describe('open redirect through an error response (RFC 9700 §4.11.2)', () => {
  it('answers a bad request with an unregistered redirect URI on its own page, never redirecting there', async () => {
    const { url } = await authorizationUrl(main, {
      client: web,
      redirectUri: 'https://attacker.example.com/callback',
      scope: 'not-a-scope',
      extra: { response_type: 'token', prompt: 'none' },
    });
    const answer = await refusal(url);
    expect(answer.status).toBe(400);
    expect(answer.location).toBeNull();
  });

  it('sends the error of a request with the registered redirect URI only to that URI, with no code', async () => {
    const { url } = await authorizationUrl(main, {
      client: web,
      redirectUri: REGISTERED_WEB,
      extra: { prompt: 'none' },
    });
    const answer = await refusal(url);
    const location = new URL(answer.location!);
    expect(`${location.origin}${location.pathname}`).toBe(REGISTERED_WEB);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.has('code')).toBe(false);
  });
});

describe('PKCE for a public client (RFC 9700 §2.1.1)', () => {
  it('refuses an authorization request without PKCE', async () => {
    const { url } = await authorizationUrl(main, { client: spa, pkce: null });
    const location = new URL((await refusal(url)).location!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('refuses the plain challenge method, which an eavesdropper on the request could replay', async () => {
    const { url } = await authorizationUrl(main, { client: spa, pkce: 'plain' });
    const location = new URL((await refusal(url)).location!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.has('code')).toBe(false);
  });
});

describe('authorization code replay (RFC 6749 §4.1.2, §10.5)', () => {
  it('refuses a code used twice, and revokes what the first use gave', async () => {
    const { url, verifier } = await authorizationUrl(main, { client: spa, scope: 'OR.Folders.Read offline_access' });
    const landed = await signIn(main, new Browser(), url, 'mallory');
    const code = landed.searchParams.get('code')!;
    const first = await exchangeCode(main, spa, code, verifier);
    expect(first.status).toBe(200);
    const second = await exchangeCode(main, spa, code, verifier);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const config = await oidc.discovery(new URL(main.server.issuer), spa.id, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    await expect(oidc.refreshTokenGrant(config, first.body.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});

describe('client_credentials by a non-confidential app (RFC 6749 §4.4)', () => {
  it('refuses it: a public client has no secret to prove itself with', async () => {
    const response = await fetch(`${main.server.issuer}/connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: spa.id, scope: 'OR.Folders.Read' }),
    });
    const body = (await response.json()) as { error: string; error_description?: string };
    // oidc-provider says invalid_request where RFC 6749 §5.2 names unauthorized_client; either way, no token.
    expect(response.status).toBe(400);
    expect(body).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringMatching(/grant type is not allowed/) as unknown,
    });
    expect(body).not.toHaveProperty('access_token');
  });
});

describe('the management API with a stolen or stale token', () => {
  it('refuses an expired token signed with the server’s own key', async () => {
    const { signing } = JSON.parse(readFileSync(join(main.dataDir, 'signing-keys.json'), 'utf8')) as { signing: JWK[] };
    const jwk = signing[0]!;
    const claims = decodeJwt(main.adminToken);
    const expired = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'at+jwt' })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(await importJWK(jwk, 'RS256'));
    const answer = await management(
      main,
      'GET',
      `/ExternalClient/${main.server.partitionGlobalId}`,
      undefined,
      expired,
    );
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('refuses a valid admin token of another organisation’s Identity Server (another issuer)', async () => {
    const acme = await serve({ orgName: 'acme' });
    const before = await appIds(main);
    const answer = await management(
      main,
      'POST',
      '/ExternalClient',
      { partitionGlobalId: main.server.partitionGlobalId, name: 'Planted', isConfidential: true, scopes: [] },
      acme.adminToken,
    );
    expect(answer.status).toBe(401);
    expect(await appIds(main)).toEqual(before);
  });
});

describe('resource exhaustion', () => {
  it('refuses a body over 1 MB with 413 and creates nothing', async () => {
    const before = await appIds(main);
    const body = JSON.stringify({
      partitionGlobalId: main.server.partitionGlobalId,
      name: 'Huge',
      isConfidential: true,
      scopes: [],
      padding: 'x'.repeat(1024 * 1024),
    });
    const answer = await management(main, 'POST', '/ExternalClient', body);
    expect(answer.status).toBe(413);
    expect(await appIds(main)).toEqual(before);
  });

  it('answers a burst of writes past the limit with 429 and Retry-After, and the refused write changes nothing', async () => {
    const limited = await serve({ rateLimits: { put: 3, windowSeconds: 300 } });
    const scopes = [{ name: 'OR.Jobs', type: 'application' }];
    const app = await register(limited, { name: 'Burst', isConfidential: true, scopes });
    const rename = (name: string) =>
      management(limited, 'PUT', `/ExternalClient/${limited.server.partitionGlobalId}/${app.id}`, { name, scopes });
    for (let i = 0; i < 3; i++) expect((await rename(`Burst ${i}`)).status).toBe(200);
    const refused = await rename('Burst past the limit');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const read = await management(limited, 'GET', `/ExternalClient/${limited.server.partitionGlobalId}/${app.id}`);
    expect((read.body as ExternalClient).name).toBe('Burst 2');
  });
});

describe('sign-in brute force', () => {
  it('keeps refusing a guessed user name after the server restarts, even with the right password', async () => {
    const first = await serve();
    const app = await register(first, {
      name: 'Guessed',
      isConfidential: false,
      redirectUri: REGISTERED_LOOPBACK,
      scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
    });
    expect(
      (await management(first, 'POST', '/User', { userName: 'victim', displayName: 'V', password: PASSWORD })).status,
    ).toBe(201);
    const guess = async (s: Served, password: string) => {
      const browser = new Browser();
      const page = await openSignIn(s, browser, (await authorizationUrl(s, { client: app })).url);
      return (await browser.post(page, { userName: 'victim', password })).status;
    };
    for (let i = 0; i < 5; i++) expect(await guess(first, `guess ${i}`)).toBe(401);

    await first.server.close();
    const restarted = await serve({ dataDir: first.dataDir });
    expect(await guess(restarted, PASSWORD)).toBe(429);
  });

  it('counts failures, not attempts: 8 correct sign-ins at once all pass, 8 guesses at once meet the limit', async () => {
    const app = await register(main, {
      name: 'Busy team',
      isConfidential: false,
      redirectUri: REGISTERED_LOOPBACK,
      scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
    });
    for (const userName of ['teammate', 'target'])
      expect((await management(main, 'POST', '/User', { userName, displayName: 'T', password: PASSWORD })).status).toBe(
        201,
      );
    const post = async (userName: string, password: string) => {
      const browser = new Browser();
      const page = await openSignIn(main, browser, (await authorizationUrl(main, { client: app })).url);
      return (await browser.post(page, { userName, password })).status;
    };
    // The same person in eight windows, or eight scripts of one account: none is refused.
    const correct = await Promise.all(Array.from({ length: 8 }, () => post('teammate', PASSWORD)));
    expect(correct.every((status) => status === 303)).toBe(true);
    // A guesser firing at once is checked five times at most, and then the right password is refused too.
    const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => post('target', `guess ${i}`)));
    expect(guesses.filter((status) => status === 401)).toHaveLength(5);
    expect(guesses.filter((status) => status === 429)).toHaveLength(3);
    expect(await post('target', PASSWORD)).toBe(429);
  });
});
