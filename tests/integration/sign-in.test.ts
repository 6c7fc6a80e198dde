// The authorization-code flow as an integration lives it: a real Chromium on the Identity Server's sign-in page, a
// loopback HTTP server playing the app's redirect URL, and openid-client for PKCE, the code exchange and refresh.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { openIdentityDatabase } from '../../src/identity-server/store/database';
import type { ExternalClient, LocalUser } from '../../src/shared/model';
import { filesContaining } from './support';
import { CHROMIUM_LAUNCH } from '../chromium';

const WRONG_CREDENTIALS = 'The user name or password is incorrect.';
const TOO_MANY_FAILURES = 'Too many failed sign-ins for this user. Try again in 5 minutes.';
/** The port the apps register; the app's server listens elsewhere, as a native app on a free port does (RFC 8252). */
const REGISTERED_PORT = 7999;
const STEP_TIMEOUT = 15_000;

type CreatedClient = ExternalClient & { secret?: string };

let dataDir: string;
let server: RunningIdentityServer;
let adminToken: string;
let browser: Browser;
/** The app's redirect URL, played by this test: it records every URL the browser lands on. */
let app: Server;
/** Closes what beforeAll opened, as far as it got; afterAll runs them newest first. */
const closers: (() => Promise<unknown>)[] = [];
let appOrigin: string;
const callbacks: URL[] = [];

let spa: CreatedClient;
let confidential: CreatedClient;
let alice: LocalUser;
const ALICE_PASSWORD = 'correct horse battery';

async function management(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.baseUrl}/${server.orgName}/identity_/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function createClient(body: Record<string, unknown>): Promise<CreatedClient> {
  const response = await management('POST', '/ExternalClient', {
    partitionGlobalId: server.partitionGlobalId,
    ...body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as CreatedClient;
}

async function createUser(userName: string, password: string): Promise<LocalUser> {
  const response = await management('POST', '/User', { userName, displayName: `${userName} (test)`, password });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as LocalUser;
}

function configFor(client: CreatedClient, auth = client.secret ? oidc.ClientSecretBasic(client.secret) : oidc.None()) {
  return oidc.discovery(new URL(server.issuer), client.id, undefined, auth, { execute: [oidc.allowInsecureRequests] });
}

interface Flow {
  url: URL;
  verifier: string;
  state: string;
  redirectUri: string;
}

/** An authorization request as UiPath's SDK sends it: PKCE S256, a state, and the organisation in acr_values. */
async function authorizationRequest(
  client: CreatedClient,
  scope: string,
  redirectUri = `${appOrigin}/callback`,
): Promise<Flow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(await configFor(client), {
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    acr_values: `tenantName:${server.orgName}`,
  });
  return { url, verifier, state, redirectUri };
}

/** Types the credentials into the sign-in page and submits them. */
async function submitSignIn(page: Page, userName: string, password: string): Promise<void> {
  await page.fill('#userName', userName);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

/** Posts the sign-in form once on the open page and returns what the page answered. */
async function signInAnswer(
  page: Page,
  userName: string,
  password: string,
): Promise<{ status: number; alert: string | null }> {
  await page.fill('#userName', userName);
  await page.fill('#password', password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.includes('/interaction/')),
    page.click('button[type=submit]'),
  ]);
  await page.waitForLoadState('load');
  const alert = page.getByRole('alert');
  return { status: response.status(), alert: (await alert.count()) > 0 ? await alert.textContent() : null };
}

/** The oidc-provider records (grants, tokens, sessions…) whose payload names this application or user, by model. */
function recordsOf(field: 'clientId' | 'accountId', value: string): string[] {
  const db = openIdentityDatabase(dataDir);
  try {
    const rows = db
      .prepare(`SELECT model FROM oidc_model WHERE json_extract(payload, '$.${field}') = ? ORDER BY model`)
      .all(value);
    return (rows as { model: string }[]).map((row) => row.model);
  } finally {
    db.close();
  }
}

/** Goes through the flow in the browser (signing in when the page asks) and returns the URL the app received. */
async function codeFor(page: Page, flow: Flow, credentials?: { userName: string; password: string }): Promise<URL> {
  const landed = page.waitForURL((url) => url.href.startsWith(flow.redirectUri), { timeout: STEP_TIMEOUT });
  await page.goto(flow.url.href);
  if (credentials) await submitSignIn(page, credentials.userName, credentials.password);
  await landed;
  const received = callbacks.at(-1)!;
  expect(received.href).toBe(page.url());
  return received;
}

function exchange(client: CreatedClient, flow: Flow, received: URL, verifier = flow.verifier) {
  return configFor(client).then((config) =>
    oidc.authorizationCodeGrant(config, received, { pkceCodeVerifier: verifier, expectedState: flow.state }),
  );
}

/** The code exchange as a bare form post (no client library), to send what a library would refuse to. */
async function postCodeExchange(client: CreatedClient, flow: Flow, received: URL, verifier: string | null) {
  const response = await fetch(`${server.issuer}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.id,
      code: received.searchParams.get('code')!,
      redirect_uri: flow.redirectUri,
      ...(verifier !== null ? { code_verifier: verifier } : {}),
    }),
  });
  return { status: response.status, error: ((await response.json()) as { error?: string }).error };
}

async function verified(token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/openid-configuration/jwks`));
  return (await jwtVerify(token, jwks, { issuer: server.issuer, algorithms: ['RS256'], typ: 'at+jwt' })).payload;
}

/** The OAuth error code of a failed request made through openid-client. */
async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) return error.error;
    if (error instanceof oidc.AuthorizationResponseError) return error.error;
    if (error instanceof oidc.WWWAuthenticateChallengeError) return String(error.cause[0]?.parameters.error);
    throw error;
  }
  throw new Error('The request was expected to fail.');
}

/** A browser of its own (no session cookie), signed in as alice on the first flow. */
async function withBrowser<T>(run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    return await run(page, context);
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-sign-in-'));
  server = await startIdentityServer({ dataDir, port: 0 });
  closers.push(() => server.close());
  const admin = await server.ensureAdminClient();
  const adminConfig = await oidc.discovery(
    new URL(server.issuer),
    admin.clientId,
    undefined,
    oidc.ClientSecretBasic(admin.secret!.value),
    {
      execute: [oidc.allowInsecureRequests],
    },
  );
  adminToken = (await oidc.clientCredentialsGrant(adminConfig, { scope: 'PM.OAuthApp PM.User' })).access_token;

  app = createServer((req, res) => {
    const url = new URL(req.url ?? '/', appOrigin);
    if (url.pathname === '/callback') callbacks.push(url);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>App</title><p>Signed in.</p>');
  });
  closers.push(() => new Promise((resolve) => app.close(resolve)));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

  spa = await createClient({
    name: 'Browser app',
    isConfidential: false,
    redirectUri: `http://127.0.0.1:${REGISTERED_PORT}/callback`,
    scopes: [
      { name: 'OR.Folders.Read', type: 'user' },
      { name: 'OR.Jobs.Read', type: 'user' },
    ],
  });
  confidential = await createClient({
    name: 'Web app with a back end',
    isConfidential: true,
    redirectUri: `http://127.0.0.1:${REGISTERED_PORT}/callback`,
    scopes: [
      { name: 'OR.Folders.Read', type: 'user' },
      { name: 'OR.Jobs', type: 'application' },
    ],
  });
  alice = await createUser('alice', ALICE_PASSWORD);
  browser = await chromium.launch(CHROMIUM_LAUNCH);
  closers.push(() => browser.close());
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('sign-in for user scopes (authorization code + PKCE)', { timeout: 60_000 }, () => {
  it('signs a user in on the server’s page and gives a non-confidential app a token with its user scopes', async () => {
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(spa, 'OR.Folders.Read OR.Jobs.Read');
      const signInPage = await page.goto(flow.url.href);
      expect(new URL(page.url()).pathname).toMatch(/^\/identity_\/interaction\/[\w-]+$/);
      expect(signInPage!.headers()['content-security-policy']).toContain("default-src 'none'");
      expect(signInPage!.headers()['x-frame-options']).toBe('DENY');
      expect(await page.locator('main').textContent()).toContain('Browser app');

      const landed = page.waitForURL((url) => url.href.startsWith(flow.redirectUri));
      await submitSignIn(page, 'ALICE', ALICE_PASSWORD); // user names compare case-insensitively
      await landed;
      const received = callbacks.at(-1)!;
      // Registered on one loopback port, redirected to another: RFC 8252 lets a native app pick its port.
      expect(received.port).not.toBe(String(REGISTERED_PORT));
      expect(received.searchParams.get('code')).toBeTruthy();

      const tokens = await exchange(spa, flow, received);
      expect(tokens.expires_in).toBe(3600);
      expect(tokens.refresh_token).toBeUndefined();
      const claims = await verified(tokens.access_token);
      expect(claims.sub).toBe(alice.id);
      expect(claims.client_id).toBe(spa.id);
      expect(String(claims.scope).split(' ').sort()).toEqual(['OR.Folders.Read', 'OR.Jobs.Read']);
      expect(claims.aud).toBe(`${server.baseUrl}/${server.orgName}`);
      expect(claims.exp! - claims.iat!).toBe(3600);
    });
  });

  it('lets a page on the app’s redirect origin exchange its code itself (CORS)', async () => {
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(spa, 'OR.Folders.Read');
      // The organisation's path form, as UiPath's SDK uses for some calls.
      flow.url.pathname = `/${server.orgName}${flow.url.pathname}`;
      const received = await codeFor(page, flow, { userName: 'alice', password: ALICE_PASSWORD });
      const answer = await page.evaluate(
        async ({ tokenUrl, body }) => {
          const response = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams(body) });
          return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        },
        {
          tokenUrl: `${server.issuer}/connect/token`,
          body: {
            grant_type: 'authorization_code',
            client_id: spa.id,
            code: received.searchParams.get('code')!,
            code_verifier: flow.verifier,
            redirect_uri: flow.redirectUri,
          },
        },
      );
      expect(answer.status).toBe(200);
      expect(decodeJwt(String(answer.body.access_token)).scope).toBe('OR.Folders.Read');
    });
  });

  it('refuses a redirect URL that was not registered with an error page, and sends the browser nowhere', async () => {
    await withBrowser(async (page) => {
      const before = callbacks.length;
      for (const redirectUri of [
        `http://localhost:${REGISTERED_PORT}/callback`,
        `${appOrigin}/other`,
        'https://attacker.example.com/callback',
      ]) {
        const flow = await authorizationRequest(spa, 'OR.Folders.Read', redirectUri);
        const response = await page.goto(flow.url.href);
        expect(response!.status()).toBe(400);
        expect(new URL(page.url()).origin).toBe(server.baseUrl);
        expect(await page.locator('main').textContent()).toContain('invalid_redirect_uri');
      }
      expect(callbacks.length).toBe(before);
    });
  });

  it('answers invalid_grant to a code exchanged without its verifier or with a wrong one', async () => {
    await withBrowser(async (page) => {
      const first = await authorizationRequest(spa, 'OR.Folders.Read');
      const firstCode = await codeFor(page, first, { userName: 'alice', password: ALICE_PASSWORD });
      expect(await postCodeExchange(spa, first, firstCode, null)).toEqual({ status: 400, error: 'invalid_grant' });

      // The browser's session signs the next request in without the page.
      const second = await authorizationRequest(spa, 'OR.Folders.Read');
      const secondCode = await codeFor(page, second);
      expect(await oauthError(exchange(spa, second, secondCode, oidc.randomPKCECodeVerifier()))).toBe('invalid_grant');
    });
  });

  it('shows the same message for a wrong password and an unknown user, and gives no code', async () => {
    await withBrowser(async (page) => {
      const before = callbacks.length;
      const flow = await authorizationRequest(spa, 'OR.Folders.Read');
      await page.goto(flow.url.href);
      for (const [userName, password] of [
        ['alice', 'not her password'],
        ['nobody', ALICE_PASSWORD],
        ['', ''],
      ] as const) {
        await page.fill('#userName', userName);
        await page.fill('#password', password);
        // An empty form is refused by the server too, not only by the browser's `required`.
        await page.evaluate("document.querySelectorAll('input').forEach((input) => input.removeAttribute('required'))");
        await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
        expect(await page.getByRole('alert').textContent()).toBe(WRONG_CREDENTIALS);
        expect(new URL(page.url()).origin).toBe(server.baseUrl);
      }
      expect(callbacks.length).toBe(before);

      const landed = page.waitForURL((url) => url.href.startsWith(flow.redirectUri));
      await submitSignIn(page, 'alice', ALICE_PASSWORD);
      await landed;
      expect((await exchange(spa, flow, callbacks.at(-1)!)).access_token).toBeTruthy();
    });
  });

  it('refuses a user name after 5 failed sign-ins, without checking its password, the same way for a name no user has', async () => {
    await createUser('carol', 'carols password 1');
    await withBrowser(async (page) => {
      const before = callbacks.length;
      const flow = await authorizationRequest(spa, 'OR.Folders.Read');
      await page.goto(flow.url.href);
      for (const userName of ['nobody-here', 'carol']) {
        for (let i = 0; i < 5; i++)
          expect(await signInAnswer(page, userName, `wrong guess ${i}`)).toEqual({
            status: 401,
            alert: WRONG_CREDENTIALS,
          });
        expect(await signInAnswer(page, userName, 'carols password 1')).toEqual({
          status: 429,
          alert: TOO_MANY_FAILURES,
        });
      }
      // The right password, in another case, is still refused: the count is the user name's, not the spelling's.
      expect(await signInAnswer(page, 'CAROL', 'carols password 1')).toEqual({ status: 429, alert: TOO_MANY_FAILURES });
      expect(callbacks.length).toBe(before);

      // Other users are not held up.
      const landed = page.waitForURL((url) => url.href.startsWith(flow.redirectUri));
      await submitSignIn(page, 'alice', ALICE_PASSWORD);
      await landed;
      expect((await exchange(spa, flow, callbacks.at(-1)!)).access_token).toBeTruthy();
    });
  });

  it('counts failed sign-ins from nothing again after a successful one', async () => {
    await createUser('dave', 'daves password 1');
    // Twice 4 failures and a success: 8 failures in the window, which only the reset lets through.
    for (let round = 0; round < 2; round++) {
      await withBrowser(async (page) => {
        const flow = await authorizationRequest(spa, 'OR.Folders.Read');
        await page.goto(flow.url.href);
        for (let i = 0; i < 4; i++)
          expect((await signInAnswer(page, 'dave', `wrong guess ${i}`)).alert).toBe(WRONG_CREDENTIALS);
        await codeFor(page, flow, { userName: 'Dave', password: 'daves password 1' });
      });
    }
  });

  it('escapes what the user typed when the page is shown again', async () => {
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(spa, 'OR.Folders.Read');
      await page.goto(flow.url.href);
      const typed = '"><img src=x onerror=alert(1)>';
      await submitSignIn(page, typed, 'whatever-password');
      expect(await page.locator('#userName').inputValue()).toBe(typed);
      expect(await page.locator('img').count()).toBe(0);
    });
  });

  it('refuses a sign-in form posted without the browser’s interaction cookie (another site’s form)', async () => {
    await withBrowser(async (page) => {
      const before = callbacks.length;
      const flow = await authorizationRequest(spa, 'OR.Folders.Read');
      await page.goto(flow.url.href);
      const forged = await fetch(page.url(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://attacker.example.com' },
        body: new URLSearchParams({ userName: 'alice', password: ALICE_PASSWORD }),
        redirect: 'manual',
      });
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('Sign-in expired');
      expect(callbacks.length).toBe(before);
    });
  });

  it('gives a refresh token for offline_access that works once and lives 60 days', async () => {
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(spa, 'OR.Folders.Read offline_access');
      const tokens = await exchange(
        spa,
        flow,
        await codeFor(page, flow, { userName: 'alice', password: ALICE_PASSWORD }),
      );
      const first = tokens.refresh_token!;
      expect(first).toBeTruthy();
      expect(String((await verified(tokens.access_token)).scope)).toBe('OR.Folders.Read');

      const config = await configFor(spa);
      const refreshed = await oidc.refreshTokenGrant(config, first);
      const claims = await verified(refreshed.access_token);
      expect(claims.sub).toBe(alice.id);
      expect(claims.scope).toBe('OR.Folders.Read');
      expect(refreshed.refresh_token).toBeTruthy();
      expect(refreshed.refresh_token).not.toBe(first);

      const introspected = await oidc.tokenIntrospection(config, refreshed.refresh_token!);
      expect(introspected).toMatchObject({ active: true, client_id: spa.id, sub: alice.id });
      expect(String(introspected.scope).split(' ').sort()).toEqual(['OR.Folders.Read', 'offline_access']);
      const sixtyDays = 60 * 24 * 3600;
      expect(Math.abs(introspected.exp! - Math.floor(Date.now() / 1000) - sixtyDays)).toBeLessThan(120);

      expect(await oauthError(oidc.refreshTokenGrant(config, first))).toBe('invalid_grant');
    });
  });

  it('keeps no usable token at rest: no file of the data folder holds a code, a refresh token or a session cookie', async () => {
    await withBrowser(async (page, context) => {
      const flow = await authorizationRequest(spa, 'OR.Folders.Read offline_access');
      const received = await codeFor(page, flow, { userName: 'alice', password: ALICE_PASSWORD });
      const code = received.searchParams.get('code')!;
      const tokens = await exchange(spa, flow, received);
      const refreshed = await oidc.refreshTokenGrant(await configFor(spa), tokens.refresh_token!);
      const cookies = (await context.cookies()).map((cookie) => cookie.value);
      const values = [code, tokens.refresh_token!, refreshed.refresh_token!, ...cookies];
      expect(values.every((value) => value.length >= 16)).toBe(true);
      // The records are there (keyed by a hash), the values are not: not in identity.db, nor in its WAL.
      expect(recordsOf('clientId', spa.id)).toEqual(expect.arrayContaining(['Grant', 'RefreshToken']));
      expect(filesContaining(dataDir, values)).toEqual([]);
      // And the rotated refresh token still works: hashing the keys changed nothing a client sees.
      expect((await oidc.refreshTokenGrant(await configFor(spa), refreshed.refresh_token!)).access_token).toBeTruthy();
    });
  });

  it('introspects and revokes an app’s own refresh token; access tokens are JWTs checked with the JWKS', async () => {
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(spa, 'OR.Folders.Read offline_access');
      const tokens = await exchange(
        spa,
        flow,
        await codeFor(page, flow, { userName: 'alice', password: ALICE_PASSWORD }),
      );
      const config = await configFor(spa);
      expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(true);

      // Another app cannot read it: introspection answers inactive to anyone but the token's own app.
      const other = await createClient({
        name: 'Another browser app',
        isConfidential: false,
        redirectUri: `http://127.0.0.1:${REGISTERED_PORT}/other`,
        scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
      });
      expect((await oidc.tokenIntrospection(await configFor(other), tokens.refresh_token!)).active).toBe(false);

      await oidc.tokenRevocation(config, tokens.refresh_token!);
      expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false);
      expect(await oauthError(oidc.refreshTokenGrant(config, tokens.refresh_token!))).toBe('invalid_grant');

      expect(await oauthError(oidc.tokenIntrospection(config, tokens.access_token))).toBe('unsupported_token_type');
    });
  });

  it('makes a confidential app authenticate with its secret, and never puts an application scope in a user token', async () => {
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(confidential, 'OR.Folders.Read offline_access');
      const received = await codeFor(page, flow, { userName: 'alice', password: ALICE_PASSWORD });

      expect(await postCodeExchange(confidential, flow, received, flow.verifier)).toEqual({
        status: 401,
        error: 'invalid_client',
      });

      const tokens = await exchange(confidential, flow, received);
      const claims = await verified(tokens.access_token);
      expect(claims).toMatchObject({ sub: alice.id, client_id: confidential.id, scope: 'OR.Folders.Read' });
      const config = await configFor(confidential);
      expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(true);
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      expect((await verified(refreshed.access_token)).scope).toBe('OR.Folders.Read');

      // Its application scope, asked for in the user's name, sends the browser back with invalid_scope and no code.
      const appScope = await authorizationRequest(confidential, 'OR.Folders.Read OR.Jobs');
      const refused = await codeFor(page, appScope);
      expect(refused.searchParams.get('error')).toBe('invalid_scope');
      expect(refused.searchParams.get('code')).toBeNull();
    });
  });

  it('puts an app’s changed user scopes into the tokens its refresh token gets next', async () => {
    const changing = await createClient({
      name: 'Changing browser app',
      isConfidential: false,
      redirectUri: `http://127.0.0.1:${REGISTERED_PORT}/callback`,
      scopes: [
        { name: 'OR.Folders.Read', type: 'user' },
        { name: 'OR.Jobs.Read', type: 'user' },
      ],
    });
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(changing, 'OR.Folders.Read OR.Jobs.Read offline_access');
      const tokens = await exchange(
        changing,
        flow,
        await codeFor(page, flow, { userName: 'alice', password: ALICE_PASSWORD }),
      );
      const updated = await management('PUT', `/ExternalClient/${server.partitionGlobalId}/${changing.id}`, {
        name: changing.name,
        redirectUri: changing.redirectUri,
        scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
      });
      expect(updated.status).toBe(200);
      const refreshed = await oidc.refreshTokenGrant(await configFor(changing), tokens.refresh_token!);
      expect((await verified(refreshed.access_token)).scope).toBe('OR.Folders.Read');

      const removed = await authorizationRequest(changing, 'OR.Jobs.Read');
      expect((await codeFor(page, removed)).searchParams.get('error')).toBe('invalid_scope');
    });
  });

  it('deletes an app’s grant and refresh token with the app', async () => {
    const leaving = await createClient({
      name: 'Leaving browser app',
      isConfidential: false,
      redirectUri: `http://127.0.0.1:${REGISTERED_PORT}/callback`,
      scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
    });
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(leaving, 'OR.Folders.Read offline_access');
      const tokens = await exchange(
        leaving,
        flow,
        await codeFor(page, flow, { userName: 'alice', password: ALICE_PASSWORD }),
      );
      expect(tokens.refresh_token).toBeTruthy();
      expect(recordsOf('clientId', leaving.id)).toEqual(expect.arrayContaining(['Grant', 'RefreshToken']));
      const otherApps = recordsOf('clientId', spa.id).length;

      expect((await management('DELETE', `/ExternalClient/${server.partitionGlobalId}/${leaving.id}`)).status).toBe(
        204,
      );
      expect(recordsOf('clientId', leaving.id)).toEqual([]);
      expect(recordsOf('clientId', spa.id).length).toBe(otherApps);
    });
  });

  it('refuses the sign-in, and the refresh tokens, of a user who was deleted, and deletes the user’s records', async () => {
    const bob = await createUser('bob', 'bobs password 1');
    await withBrowser(async (page) => {
      const flow = await authorizationRequest(spa, 'OR.Folders.Read offline_access');
      const tokens = await exchange(
        spa,
        flow,
        await codeFor(page, flow, { userName: 'bob', password: 'bobs password 1' }),
      );
      expect(recordsOf('accountId', bob.id)).toEqual(expect.arrayContaining(['Grant', 'RefreshToken', 'Session']));
      expect((await management('DELETE', '/User/BOB')).status).toBe(204);
      expect(recordsOf('accountId', bob.id)).toEqual([]);
      expect(await oauthError(oidc.refreshTokenGrant(await configFor(spa), tokens.refresh_token!))).toBe(
        'invalid_grant',
      );
    });
    await withBrowser(async (page) => {
      const before = callbacks.length;
      const flow = await authorizationRequest(spa, 'OR.Folders.Read');
      await page.goto(flow.url.href);
      await submitSignIn(page, 'bob', 'bobs password 1');
      expect(await page.getByRole('alert').textContent()).toBe(WRONG_CREDENTIALS);
      expect(callbacks.length).toBe(before);
    });
  });
});
