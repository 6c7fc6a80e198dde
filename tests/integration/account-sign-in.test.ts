// "Sign in with my account" for real: an embedded server playing organisation acme, the app's loopback listener, and
// a real Chromium standing in for the system browser (Electron's shell.openExternal cannot run here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page, type Response as PageResponse } from '@playwright/test';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import type { BrowserOpener } from '../../src/main/ports';
import {
  refreshAccountTokens,
  signInWithAccount,
  type AccountSignInControl,
  type AccountTokens,
} from '../../src/main/organisation/accountSignIn';
import { endpointsOf, type OrganisationEndpoints } from '../../src/main/organisation/endpoints';
import { AppError } from '../../src/shared/errors';
import type { ExternalClient, LocalUser } from '../../src/shared/model';
import { CHROMIUM_LAUNCH } from '../chromium';

const STEP_TIMEOUT = 15_000;
const ADMIN_SCOPES = ['PM.OAuthApp', 'PM.OAuthAppSecret.Write'];
const ALICE_PASSWORD = 'correct horse battery';

type CreatedClient = ExternalClient & { secret?: string };

let dataDir: string;
let server: RunningIdentityServer;
let endpoints: OrganisationEndpoints;
let adminToken: string;
let browser: Browser;
let desk: CreatedClient;
let alice: LocalUser;
const closers: (() => Promise<unknown>)[] = [];

async function management(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${endpoints.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function clientCredentialsToken(clientId: string, secret: string, scope: string): Promise<string> {
  const response = await fetch(endpoints.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function verified(token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${server.issuer}/.well-known/openid-configuration/jwks`));
  return (await jwtVerify(token, jwks, { issuer: server.issuer, algorithms: ['RS256'], typ: 'at+jwt' })).payload;
}

function scopesOf(claims: JWTPayload): string[] {
  return String(claims.scope).split(' ').sort();
}

/** What the browser did with one sign-in: the URL it was given, and the listener's page it ended on. */
interface BrowserRun {
  url: URL;
  page: Page;
  /** The listener's answer to the callback, once the browser got there. */
  landed: Promise<PageResponse>;
}

/**
 * A BrowserOpener backed by Chromium: it opens the URL in a new page of a fresh context and returns at once, as
 * shell.openExternal does; `drive` then acts on the page the way the user would.
 */
function chromiumOpener(drive: (page: Page, url: URL) => Promise<unknown>): {
  opener: BrowserOpener;
  run: Promise<BrowserRun>;
} {
  let opened!: (run: BrowserRun) => void;
  const run = new Promise<BrowserRun>((resolve) => {
    opened = resolve;
  });
  const opener: BrowserOpener = {
    open: async (href) => {
      const context = await browser.newContext();
      closers.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT);
      // The opener is given the listener's one-time start address; it sends the browser on to the authorize URL.
      const url = await authorizeUrlBehind(href);
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      const landed = page.waitForResponse((r) => r.url().startsWith(redirectUri), { timeout: STEP_TIMEOUT });
      opened({ url, page, landed });
      void drive(page, url).catch(() => undefined);
    },
  };
  return { opener, run };
}

/** Where the listener's one-time start address sends the browser (it answers that once). */
async function authorizeUrlBehind(startUrl: string): Promise<URL> {
  const answer = await fetch(startUrl, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || location === null) throw new Error(`${startUrl} answered ${answer.status}`);
  return new URL(location);
}

/** The user on the organisation's sign-in page. */
async function signInAsAlice(page: Page, url: URL): Promise<void> {
  await page.goto(url.href);
  await page.fill('#userName', 'alice');
  await page.fill('#password', ALICE_PASSWORD);
  await page.click('button[type=submit]');
}

/** Whether anything still listens at the loopback redirect URL. */
async function listening(redirectUri: string): Promise<boolean> {
  try {
    await fetch(redirectUri, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('The call was expected to be refused.');
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-account-sign-in-'));
  server = await startIdentityServer({ dataDir, port: 0, orgName: 'acme' });
  closers.push(() => server.close());
  endpoints = endpointsOf({ baseUrl: server.baseUrl, orgName: 'acme' });
  const admin = await server.ensureAdminClient();
  adminToken = await clientCredentialsToken(admin.clientId, admin.secret!.value, 'PM.OAuthApp PM.User');

  const user = await management(adminToken, 'POST', '/User', {
    userName: 'alice',
    displayName: 'Alice Admin',
    password: ALICE_PASSWORD,
  });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  alice = user.body as LocalUser;
  // The application an admin registers in the portal for "sign in with my account".
  const created = await management(adminToken, 'POST', '/ExternalClient', {
    partitionGlobalId: server.partitionGlobalId,
    name: 'OAuth Desk (my account)',
    isConfidential: false,
    redirectUri: 'http://127.0.0.1/callback',
    scopes: ADMIN_SCOPES.map((name) => ({ name, type: 'user' })),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  desk = created.body as CreatedClient;

  browser = await chromium.launch(CHROMIUM_LAUNCH);
  closers.push(() => browser.close());
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('sign in with my account', { timeout: 60_000 }, () => {
  let tokens: AccountTokens;

  it('signs in through the browser with PKCE and a loopback callback, and closes the listener after', async () => {
    const { opener, run } = chromiumOpener(signInAsAlice);
    tokens = await signInWithAccount({
      endpoints,
      orgName: 'acme',
      clientId: desk.id,
      scopes: ADMIN_SCOPES,
      openBrowser: opener,
    });

    const { url, page, landed } = await run;
    expect(`${url.origin}${url.pathname}`).toBe(endpoints.authorizeUrl);
    const query = Object.fromEntries(url.searchParams);
    expect(query).toMatchObject({
      response_type: 'code',
      client_id: desk.id,
      scope: 'PM.OAuthApp PM.OAuthAppSecret.Write offline_access',
      code_challenge_method: 'S256',
      acr_values: 'tenantName:acme',
    });
    expect(query.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(query.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(query.state).toMatch(/^[\w-]{43}$/);

    const answer = await landed;
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.getByRole('status').textContent()).toBe(
      'You are signed in to OAuth Desk; you can close this tab.',
    );
    expect(await listening(query.redirect_uri!)).toBe(false);

    const claims = await verified(tokens.accessToken);
    expect(claims.prt_id).toBe(server.partitionGlobalId);
    expect(claims.sub).toBe(alice.id);
    expect(claims.client_id).toBe(desk.id);
    expect(scopesOf(claims)).toEqual(ADMIN_SCOPES);
    expect(tokens.expiresInSeconds).toBe(3600);
    expect(tokens.refreshToken).toBeTruthy();
  });

  it('lets the user token manage applications and their secrets', async () => {
    expect((await management(tokens.accessToken, 'GET', `/ExternalClient/${server.partitionGlobalId}`)).status).toBe(
      200,
    );
    const created = await management(tokens.accessToken, 'POST', '/ExternalClient', {
      partitionGlobalId: server.partitionGlobalId,
      name: 'Made by alice',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const secret = await management(tokens.accessToken, 'POST', '/ExternalClient/GenerateSecret', {
      partitionGlobalId: server.partitionGlobalId,
      clientId: (created.body as CreatedClient).id,
    });
    expect(secret.status, JSON.stringify(secret.body)).toBe(200);
  });

  it('refreshes once, narrowed to PM.OAuthAppSecret.Write if asked; the spent refresh token is then refused', async () => {
    const refreshed = await refreshAccountTokens({
      tokenUrl: endpoints.tokenUrl,
      clientId: desk.id,
      refreshToken: tokens.refreshToken,
      scopes: ['PM.OAuthAppSecret.Write'],
    });
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    const claims = await verified(refreshed.accessToken);
    expect(claims.prt_id).toBe(server.partitionGlobalId);
    expect(scopesOf(claims)).toEqual(['PM.OAuthAppSecret.Write']);
    // The secret-write user scope alone: secrets yes, the list of applications no.
    const apps = await management(refreshed.accessToken, 'GET', `/ExternalClient/${server.partitionGlobalId}`);
    expect(apps.status).toBe(403);
    const other = await management(adminToken, 'POST', '/ExternalClient', {
      partitionGlobalId: server.partitionGlobalId,
      name: 'Secret target',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    const secret = await management(refreshed.accessToken, 'POST', '/ExternalClient/GenerateSecret', {
      partitionGlobalId: server.partitionGlobalId,
      clientId: (other.body as CreatedClient).id,
    });
    expect(secret.status, JSON.stringify(secret.body)).toBe(200);

    const spent = await refusal(
      refreshAccountTokens({ tokenUrl: endpoints.tokenUrl, clientId: desk.id, refreshToken: tokens.refreshToken }),
    );
    expect(spent.code).toBe('unauthorized');
    expect(spent.message).toMatch(/no longer valid.*\(invalid_grant\)/);

    // A spent refresh token coming back is a replay: the server revokes the whole sign-in, the rotated token too.
    const afterReplay = await refusal(
      refreshAccountTokens({ tokenUrl: endpoints.tokenUrl, clientId: desk.id, refreshToken: refreshed.refreshToken }),
    );
    expect(afterReplay.code).toBe('unauthorized');
  });

  it('ignores a callback with a wrong or missing state: that page says why, and the real sign-in still ends it', async () => {
    const strangers: { status: number; alert: string | null }[] = [];
    const { opener, run } = chromiumOpener(async (page, url) => {
      // Another local process reaches the listener first, without this sign-in's state.
      for (const forged of ['state=forged&code=forged', 'code=forged']) {
        const answer = await page.goto(`${url.searchParams.get('redirect_uri') ?? ''}?${forged}`);
        strangers.push({ status: answer?.status() ?? 0, alert: await page.getByRole('alert').textContent() });
      }
      await signInAsAlice(page, url);
    });
    const tokens = await signInWithAccount({
      endpoints,
      orgName: 'acme',
      clientId: desk.id,
      scopes: ADMIN_SCOPES,
      openBrowser: opener,
    });
    expect(tokens.accessToken).toBeTruthy();
    expect(strangers.map((s) => s.status)).toEqual([400, 400]);
    expect(strangers[0]?.alert).toContain('came back with a wrong state');
    expect(strangers[1]?.alert).toContain('came back with no state');
    const { url, page } = await run;
    await expect.poll(() => page.getByRole('status').textContent()).toContain('You are signed in');
    expect(await listening(url.searchParams.get('redirect_uri')!)).toBe(false);
  });

  it('refuses other paths and methods on the listener, and says so when the organisation refuses the request', async () => {
    const probes: Record<string, number | string | null> = {};
    const { opener, run } = chromiumOpener(async (page, url) => {
      const redirectUri = url.searchParams.get('redirect_uri')!;
      const origin = new URL(redirectUri).origin;
      probes.root = (await fetch(`${origin}/`)).status;
      probes.other = (await fetch(`${origin}/other?state=${url.searchParams.get('state')!}`)).status;
      const posted = await fetch(redirectUri, { method: 'POST', body: 'code=x' });
      probes.post = posted.status;
      probes.allow = posted.headers.get('allow');
      // The organisation refuses a scope the application was not granted, and sends the browser back with the error.
      await page.goto(url.href);
    });
    const error = await refusal(
      signInWithAccount({ endpoints, orgName: 'acme', clientId: desk.id, scopes: ['OR.Jobs'], openBrowser: opener }),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/^The organisation did not sign you in: .*\(invalid_scope\)\.$/);
    const { page, landed } = await run;
    expect((await landed).status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toContain('invalid_scope');
    expect(probes).toEqual({ root: 404, other: 404, post: 405, allow: 'GET' });
  });

  it('the opener’s command line holds no state or challenge: a one-time loopback address that works once', async () => {
    const given: string[] = [];
    const { opener, run } = chromiumOpener(signInAsAlice);
    const tokens = signInWithAccount({
      endpoints,
      orgName: 'acme',
      clientId: desk.id,
      scopes: ADMIN_SCOPES,
      openBrowser: { open: (href) => (given.push(href), opener.open(href)) },
    });
    const { url } = await run;
    expect((await tokens).refreshToken).toMatch(/.+/);
    const startUrl = new URL(given[0] ?? '');
    expect(startUrl.origin).toBe(new URL(url.searchParams.get('redirect_uri')!).origin);
    expect(startUrl.pathname).toMatch(/^\/start\/[\w-]{43}$/);
    expect(startUrl.search).toBe('');
    for (const secret of [url.searchParams.get('state')!, url.searchParams.get('code_challenge')!])
      expect(given[0]).not.toContain(secret);
    // Spent: the same address never leads to the authorize URL again (the listener is closed, or answers 404).
    const again = await fetch(startUrl, { redirect: 'manual' }).then(
      (r) => r.status,
      () => 'closed',
    );
    expect(again).not.toBe(302);
  });

  it('times out cleanly when the browser never comes back', async () => {
    let redirectUri = '';
    const error = await refusal(
      signInWithAccount({
        endpoints,
        orgName: 'acme',
        clientId: desk.id,
        scopes: ADMIN_SCOPES,
        timeoutMs: 1000,
        openBrowser: {
          open: (url) => {
            redirectUri = `${new URL(url).origin}/callback`;
            return Promise.resolve();
          },
        },
      }),
    );
    expect(error.message).toBe('The sign-in in the browser did not finish within 1 s. Start it again.');
    expect(await listening(redirectUri)).toBe(false);
  });

  it('Cancel closes the listener at once (its port refuses connections) and ends the sign-in "Sign-in cancelled"', async () => {
    let startUrl = '';
    let control: AccountSignInControl | undefined;
    const signingIn = signInWithAccount({
      ...{ endpoints, orgName: 'acme', clientId: desk.id, scopes: ADMIN_SCOPES },
      openBrowser: { open: (url) => ((startUrl = url), Promise.resolve()) },
      onWaiting: (given) => (control = given),
    });
    await expect.poll(() => startUrl).not.toBe('');
    const callback = `${new URL(startUrl).origin}/callback`;
    expect(await listening(callback)).toBe(true);
    control!.cancel();
    const error = await refusal(signingIn);
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('Sign-in cancelled; nothing was changed.');
    expect(await listening(callback)).toBe(false);
    expect(
      await fetch(startUrl, { redirect: 'manual' }).then(
        (r) => r.status,
        () => 'refused',
      ),
    ).toBe('refused');
  });

  it('"Open the sign-in page again" gives a fresh start address that works once and completes the sign-in', async () => {
    const given: string[] = [];
    let control: AccountSignInControl | undefined;
    const { opener, run } = chromiumOpener(signInAsAlice);
    const tokens = signInWithAccount({
      ...{ endpoints, orgName: 'acme', clientId: desk.id, scopes: ADMIN_SCOPES },
      // The first browser never shows up (closed by mistake); the second is the one the user signs in with.
      openBrowser: { open: (href) => (given.push(href), given.length === 1 ? Promise.resolve() : opener.open(href)) },
      onWaiting: (handed) => (control = handed),
    });
    await expect.poll(() => given.length).toBe(1);
    const copied = control!.startAddress();
    expect(copied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\/[\w-]{43}$/);
    await control!.reopen();
    const { url, landed } = await run;
    expect((await landed).status()).toBe(200);
    expect(given[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\/[\w-]{43}$/);
    expect(new Set([given[0], given[1], copied]).size).toBe(3);
    for (const secret of [url.searchParams.get('state')!, url.searchParams.get('code_challenge')!])
      expect(`${given.join(' ')} ${copied}`).not.toContain(secret);
    expect((await tokens).refreshToken).toMatch(/.+/);
    // Spent, or the listener is closed: the reopened address never leads to the authorize URL again.
    expect(
      await fetch(given[1]!, { redirect: 'manual' }).then(
        (r) => r.status,
        () => 'closed',
      ),
    ).not.toBe(302);
  });

  it('fails with the browser’s reason when no browser can be opened, and closes the listener', async () => {
    let redirectUri = '';
    const error = await refusal(
      signInWithAccount({
        endpoints,
        orgName: 'acme',
        clientId: desk.id,
        scopes: ADMIN_SCOPES,
        openBrowser: {
          open: (url) => {
            redirectUri = `${new URL(url).origin}/callback`;
            return Promise.reject(new Error('no browser here'));
          },
        },
      }),
    );
    expect(error.message).toBe('The browser could not be opened: no browser here.');
    expect(await listening(redirectUri)).toBe(false);
  });
});
