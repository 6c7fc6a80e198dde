// Real organisations: a second embedded Identity Server plays the UiPath organisation "acme" (its own data folder,
// port and admin application), reached over real HTTP with the real keychain and workspace. Unreachable means it is
// stopped; it comes back on the same data folder and port.
import { chromium, type Browser } from '@playwright/test';
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { ClientStore } from '../../src/identity-server/store/clients';
import { openIdentityDatabase } from '../../src/identity-server/store/database';
import type { BrowserOpener } from '../../src/main/ports';
import type { RateLimits } from '../../src/identity-server/server';
import { AppError } from '../../src/shared/errors';
import type { OrganisationStatus } from '../../src/shared/model';
import { keytar, oauthClient, useDesk } from './support';

const desk = useDesk({ rateLimits: { get: 10_000 } });
const { call, keychainService } = desk;
const acmeDataDir = desk.tempDir();
const ROOMY: Partial<RateLimits> = { get: 10_000, put: 10_000, delete: 10_000 };

let acme: RunningIdentityServer | undefined;
let acmeAdmin: { clientId: string; secret: string };

/** Starts acme on its data folder; again on the same port when it ran before, as a server coming back would. */
async function startAcme(rateLimits: Partial<RateLimits> = ROOMY): Promise<RunningIdentityServer> {
  const port = acme ? Number(new URL(acme.baseUrl).port) : 0;
  acme = await startIdentityServer({ dataDir: acmeDataDir, port, orgName: 'acme', rateLimits });
  return acme;
}

function running(): RunningIdentityServer {
  if (!acme) throw new Error('acme is not running');
  return acme;
}

async function acmeAccounts(prefix = 'acme/'): Promise<string[]> {
  return (await keytar.findCredentials(keychainService))
    .map((c) => c.account)
    .filter((account) => account.startsWith(prefix))
    .sort();
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** A POST to acme's management API by its own admin application, as the portal or another workspace would make. */
async function postToAcme(path: string, body: unknown): Promise<{ id: string }> {
  const server = running();
  const config = await oauthClient(server.issuer, acmeAdmin.clientId, acmeAdmin.secret);
  const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'PM.OAuthApp PM.User' });
  const response = await fetch(`${server.baseUrl}/acme/identity_/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string };
}

/** An application made on acme by someone else (the portal, another workspace), straight through its API. */
async function createOnServer(name: string): Promise<string> {
  const created = await postToAcme('/ExternalClient', {
    partitionGlobalId: running().partitionGlobalId,
    name,
    isConfidential: true,
    redirectUri: null,
    scopes: [{ name: 'OR.Jobs', type: 'application' }],
  });
  return created.id;
}

/**
 * A real HTTP hop in front of acme that notes the path of every request it passes on, so a test sees the URLs the
 * desk asks for; once closed, its port refuses connections as a stopped organisation's does.
 */
async function recordingHop(): Promise<{ baseUrl: string; paths: string[]; close(): Promise<void> }> {
  const target = new URL(running().baseUrl);
  const paths: string[] = [];
  const hop = createServer((incoming, answer) => {
    paths.push(incoming.url ?? '');
    const onward = request(
      {
        ...{ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method },
        // The organisation answers only requests addressed to its own host.
        headers: { ...incoming.headers, host: target.host },
      },
      (answered) => {
        answer.writeHead(answered.statusCode ?? 502, answered.headers);
        answered.pipe(answer);
      },
    );
    onward.on('error', () => answer.destroy());
    incoming.pipe(onward);
  });
  await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
  const { port } = hop.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        hop.closeAllConnections();
        hop.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  const server = await startAcme();
  const admin = await server.ensureAdminClient();
  if (!admin.secret) throw new Error('acme issued no admin secret on its first start');
  acmeAdmin = { clientId: admin.clientId, secret: admin.secret.value };
});

afterAll(async () => {
  await acme?.close();
});

describe('an organisation added with an admin application', { timeout: 60_000 }, () => {
  it('refuses bad input, and records nothing when the token cannot be had', async () => {
    const base = {
      id: 'acme',
      baseUrl: running().baseUrl,
      orgName: 'acme',
      signIn: { method: 'adminApp' as const, clientId: acmeAdmin.clientId, clientSecret: acmeAdmin.secret },
    };
    expect((await refusal(call('addOrganisation', { ...base, baseUrl: 'http://acme.example.com' }))).issues).toEqual([
      { field: 'baseUrl', message: expect.stringMatching(/https/) as unknown },
    ]);
    expect((await refusal(call('addOrganisation', { ...base, id: 'local' }))).issues?.[0]?.field).toBe('id');
    expect(
      (await refusal(call('addOrganisation', { ...base, signIn: { method: 'account', clientId: 'x' } }))).issues?.[0],
    ).toMatchObject({ field: 'signIn', message: expect.stringMatching(/system browser/) as unknown });

    const wrong = await refusal(
      call('addOrganisation', {
        ...base,
        id: 'acme-wrong',
        signIn: { ...base.signIn, clientSecret: 'not-the-secret' },
      }),
    );
    expect(wrong).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/refused the admin application/) as unknown,
    });
    // Said on the field to change, in the form's words.
    expect(wrong.issues).toEqual([
      { field: 'signIn.clientSecret', message: expect.stringMatching(/^acme refused this secret\./) as unknown },
    ]);
    expect((await call('listOrganisations', {})).map((t) => t.id)).toEqual(['local']);
    expect(await acmeAccounts('acme-wrong/')).toEqual([]);
  });

  it('passes every check, reads the partition from the token, and keeps the secret under its own account', async () => {
    const { organisation, checks } = await call('addOrganisation', {
      id: 'acme',
      baseUrl: `${running().baseUrl}/`,
      orgName: 'acme',
      displayName: 'Acme (test)',
      signIn: { method: 'adminApp', clientId: acmeAdmin.clientId, clientSecret: acmeAdmin.secret },
    });
    expect(organisation).toEqual({
      id: 'acme',
      displayName: 'Acme (test)',
      baseUrl: running().baseUrl,
      orgName: 'acme',
      isLocal: false,
      signIn: 'adminApp',
      isCurrent: false,
    });
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ['discovery', true],
      ['token', true],
      ['listApps', true],
      ['catalogue', true],
      ['secretManagement', true],
    ]);
    const details = await call('showOrganisation', { organisation: 'acme' });
    expect(details.partitionGlobalId).toBe(running().partitionGlobalId);
    expect(details.adminSecret).toEqual({ service: keychainService, account: `acme/admin/${acmeAdmin.clientId}` });
    expect(await keytar.getPassword(keychainService, details.adminSecret.account)).toBe(acmeAdmin.secret);
    const again = await refusal(
      call('addOrganisation', {
        id: 'acme',
        baseUrl: running().baseUrl,
        orgName: 'acme',
        signIn: { method: 'adminApp', clientId: acmeAdmin.clientId, clientSecret: acmeAdmin.secret },
      }),
    );
    expect(again.issues).toEqual([{ field: 'id', message: expect.stringMatching(/already known/) as unknown }]);
    expect((await call('testOrganisation', { organisation: 'acme' })).every((c) => c.ok)).toBe(true);
  });

  it('lists, creates, edits, rotates and deletes there; the secrets are in the keychain under acme', async () => {
    const listed = await call('listApps', { organisation: 'acme', refresh: true });
    expect(listed.map((a) => a.id)).toEqual([acmeAdmin.clientId]);

    const created = await call('createApp', {
      organisation: 'acme',
      name: 'Acme billing',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    const first = created.secret;
    expect(first?.stored).toBe(true);
    expect(first?.keychain).toEqual({ service: keychainService, account: `acme/${created.app.id}/${first?.id}` });
    const kept = await keytar.getPassword(keychainService, `acme/${created.app.id}/${first?.id}`);
    expect(kept).toBe(first?.value);

    // An integration holding that secret gets tokens from acme.
    const config = await oauthClient(running().issuer, created.app.id, kept ?? '');
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'OR.Jobs' });
    expect(decodeJwt(access_token)).toMatchObject({ scope: 'OR.Jobs', prt_id: running().partitionGlobalId });

    const renamed = await call('updateApp', { organisation: 'acme', clientId: created.app.id, name: 'Acme invoicing' });
    expect(renamed.name).toBe('Acme invoicing');

    const rotated = await call('generateSecret', { organisation: 'acme', clientId: created.app.id, mode: 'replace' });
    expect(rotated.replaced).toEqual([first?.id]);
    expect(await acmeAccounts(`acme/${created.app.id}/`)).toEqual([`acme/${created.app.id}/${rotated.secret.id}`]);
    const rotatedConfig = await oauthClient(running().issuer, created.app.id, rotated.secret.value);
    await expect(oidc.clientCredentialsGrant(rotatedConfig, { scope: 'OR.Jobs' })).resolves.toHaveProperty(
      'access_token',
    );

    const deleted = await call('deleteApp', { organisation: 'acme', clientId: created.app.id });
    expect(deleted.keychainEntriesRemoved).toBe(1);
    expect(await acmeAccounts(`acme/${created.app.id}/`)).toEqual([]);
    expect((await call('listApps', { organisation: 'acme' })).map((a) => a.id)).toEqual([acmeAdmin.clientId]);
  });

  it('becomes the current organisation: operations without a organisation work on it', async () => {
    expect(await call('useOrganisation', { organisation: 'acme' })).toEqual({ current: 'acme' });
    expect((await call('listOrganisations', {})).filter((t) => t.isCurrent).map((t) => t.id)).toEqual(['acme']);
    expect((await call('listApps', {})).map((a) => a.id)).toEqual([acmeAdmin.clientId]);
    expect((await call('showOrganisation', {})).id).toBe('acme');
    expect((await refusal(call('useOrganisation', { organisation: 'nowhere' }))).code).toBe('not_found');
  });
});

describe('an admin application lacking PM.OAuthAppSecret.Write', { timeout: 60_000 }, () => {
  it('is added; the check names the scope, and generating a secret fails with that reason', async () => {
    const narrow = await call('createApp', {
      organisation: 'acme',
      name: 'Read only',
      isConfidential: true,
      scopes: [{ name: 'PM.OAuthApp.Read', type: 'application' }],
    });
    // An application holding PM.OAuthApp.Read as an application scope has its secret in the keychain only, never answered.
    const narrowRef = narrow.secret?.keychain;
    const narrowSecret = (narrowRef && (await keytar.getPassword(narrowRef.service, narrowRef.account))) ?? '';
    expect(narrow.secret?.value).toBe('');
    const { checks } = await call('addOrganisation', {
      id: 'acme-narrow',
      baseUrl: running().baseUrl,
      orgName: 'acme',
      signIn: { method: 'adminApp', clientId: narrow.app.id, clientSecret: narrowSecret },
    });
    expect(checks.filter((c) => !c.ok)).toEqual([
      {
        check: 'secretManagement',
        ok: false,
        result: 'failed',
        detail: 'the token lacks PM.OAuthAppSecret.Write: generating secrets will fail',
        fix: 'Add PM.OAuthAppSecret.Write to the admin application in the portal, then Test connection.',
      },
    ]);
    expect((await call('testOrganisation', { organisation: 'acme-narrow' })).find((c) => !c.ok)?.detail).toMatch(
      /lacks PM\.OAuthAppSecret\.Write/,
    );
    // Listing works; a secret does not, and says why. (Of another application: the admin application's own secrets
    // are changed only by rotateAdminSecret.)
    expect((await call('listApps', { organisation: 'acme-narrow', refresh: true })).length).toBeGreaterThan(1);
    const secretsBefore = (await call('listSecrets', { organisation: 'acme', clientId: acmeAdmin.clientId })).length;
    const refused = await refusal(
      call('generateSecret', { organisation: 'acme-narrow', clientId: acmeAdmin.clientId, mode: 'overlap' }),
    );
    // Added without a display name, it is named as it is at UiPath.
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toMatch(/^The token lacks PM\.OAuthAppSecret\.Write: generating secrets fails in acme\./);
    expect((await call('listSecrets', { organisation: 'acme', clientId: narrow.app.id })).length).toBe(1);
    expect((await call('listSecrets', { organisation: 'acme', clientId: acmeAdmin.clientId })).length).toBe(
      secretsBefore,
    );

    await call('removeOrganisation', { organisation: 'acme-narrow' });
    await call('deleteApp', { organisation: 'acme', clientId: narrow.app.id });
  });

  it("names the organisation by its display name in the client's sentences, and by its UiPath name in URLs", async () => {
    const narrow = await call('createApp', {
      organisation: 'acme',
      name: 'Read only, named',
      isConfidential: true,
      scopes: [{ name: 'PM.OAuthApp.Read', type: 'application' }],
    });
    const narrowRef = narrow.secret?.keychain;
    const narrowSecret = (narrowRef && (await keytar.getPassword(narrowRef.service, narrowRef.account))) ?? '';
    const hop = await recordingHop();
    try {
      await call('addOrganisation', {
        id: 'acme-corp',
        displayName: 'Acme Corp',
        baseUrl: hop.baseUrl,
        orgName: 'acme',
        signIn: { method: 'adminApp', clientId: narrow.app.id, clientSecret: narrowSecret },
      });
      expect((await call('listApps', { organisation: 'acme-corp', refresh: true })).length).toBeGreaterThan(1);

      // 403: the scope it lacks, and where, in the organisation's own name.
      const lacking = await refusal(
        call('generateSecret', { organisation: 'acme-corp', clientId: acmeAdmin.clientId, mode: 'overlap' }),
      );
      expect(lacking.code).toBe('forbidden');
      expect(lacking.message).toBe(
        `The token lacks PM.OAuthAppSecret.Write: generating secrets fails in Acme Corp. Give the admin application ${narrow.app.id} the scope PM.OAuthAppSecret.Write in the organisation's portal.`,
      );
      // The URLs still carry the organisation's name at UiPath, never its display name.
      const api = hop.paths.filter((path) => path.includes('/identity_/api/'));
      expect(api.length).toBeGreaterThan(0);
      for (const path of api) expect(path).toMatch(/^\/acme\/identity_\/api\//);
      expect(api).toContain('/acme/identity_/api/ExternalClient/GenerateSecret');
      expect(hop.paths.join(' ')).not.toMatch(/Acme(%20| )Corp/);

      // Unreachable: a change is refused, naming the organisation as the admin named it. (A read first finds the
      // kept-alive connection gone and tries again, so the change meets a port that refuses.)
      await hop.close();
      await call('listApps', { organisation: 'acme-corp', refresh: true });
      const offline = await refusal(call('deleteApp', { organisation: 'acme-corp', clientId: 'some-app' }));
      expect(offline.code).toBe('organisation_unreachable');
      expect(offline.message).toBe(
        'Acme Corp cannot be reached: connection refused (is its Identity Server running?); changes need a connection.',
      );
    } finally {
      await hop.close();
      await call('removeOrganisation', { organisation: 'acme-corp' }).catch(() => undefined);
      await call('deleteApp', { organisation: 'acme', clientId: narrow.app.id });
    }
  });
});

describe('an organisation that cannot be reached', { timeout: 60_000 }, () => {
  it('answers from the cache, refuses every change with the reason, and syncs what changed once back', async () => {
    // An ordinary application to change: the admin application is refused for what it is, online or not.
    const ordinary = await createOnServer('Changed while offline');
    const before = await call('listApps', { organisation: 'acme', refresh: true });
    await running().close();

    expect(await call('listApps', { organisation: 'acme', refresh: true })).toEqual(before);
    expect(await call('getApp', { organisation: 'acme', clientId: acmeAdmin.clientId })).toMatchObject({
      id: acmeAdmin.clientId,
    });
    const status = await call('organisationStatus', { organisation: 'acme' });
    expect(status).toMatchObject({ online: false, lastError: expect.stringMatching(/connection refused/) as unknown });

    const offline =
      /^Acme \(test\) cannot be reached: connection refused \(is its Identity Server running\?\); changes need a connection\.$/;
    const changes = [
      () =>
        call('createApp', {
          organisation: 'acme',
          name: 'Offline',
          isConfidential: true,
          scopes: [{ name: 'OR.Jobs', type: 'application' }],
        }),
      () => call('updateApp', { organisation: 'acme', clientId: ordinary, name: 'Renamed offline' }),
      () => call('generateSecret', { organisation: 'acme', clientId: ordinary, mode: 'overlap' }),
      () => call('deleteApp', { organisation: 'acme', clientId: 'some-app' }),
    ];
    for (const change of changes) {
      // Field by field: toMatchObject on an Error does not hold its message to a pattern.
      const refused = await refusal(change());
      expect(refused.code).toBe('organisation_unreachable');
      expect(refused.message).toMatch(offline);
    }
    expect(await call('listApps', { organisation: 'acme' })).toEqual(before);
    expect(await acmeAccounts()).toEqual([`acme/admin/${acmeAdmin.clientId}`]);

    // Back on the same data folder and port, with an application made meanwhile by someone else.
    await startAcme();
    const madeElsewhere = await createOnServer('Made while the desk was offline');
    const synced = await call('syncOrganisation', { organisation: 'acme' });
    expect(synced).toMatchObject({ synced: before.length + 1, stopped: false });
    expect((await call('listApps', { organisation: 'acme' })).map((a) => a.id)).toContain(madeElsewhere);
    expect(await call('organisationStatus', { organisation: 'acme' })).toEqual({
      online: true,
      lastError: null,
      lastSyncAt: synced.at,
      sync: null,
      rateLimitedUntil: null,
    });

    // A sync stopped at once keeps the cache as it was.
    const stopping = call('syncOrganisation', { organisation: 'acme' });
    expect(await call('stopSync', { organisation: 'acme' })).toEqual({ stopped: true });
    expect(await stopping).toMatchObject({ stopped: true, synced: 0 });
    expect((await call('organisationStatus', { organisation: 'acme' })).lastSyncAt).toBe(synced.at);
    expect(await call('stopSync', { organisation: 'acme' })).toEqual({ stopped: false });
  });
});

describe('a sync whose list holds an application of the wrong shape', { timeout: 60_000 }, () => {
  it('is refused naming the application and field, with nothing of the list written; the next sync takes it all', async () => {
    // 60 applications written straight into acme's store, and last in name order one whose redirect URL is bytes
    // (its list answer then holds an object there): the list reaches it after several batches were written aside.
    const acmeDb = openIdentityDatabase(acmeDataDir);
    try {
      const store = new ClientStore(acmeDb);
      const draft = { isConfidential: false, redirectUri: 'https://bulk.example.com/cb', scopes: [] };
      for (let i = 0; i < 60; i++) store.create(running().partitionGlobalId, { ...draft, name: `Bulk ${i}` }, null);
      const wrong = store.create(running().partitionGlobalId, { ...draft, name: 'Zz wrong shape' }, null).client.id;
      acmeDb.prepare("UPDATE external_client SET redirect_uri = X'00' WHERE id = ?").run(wrong);
    } finally {
      acmeDb.close();
    }
    const before = await call('listApps', { organisation: 'acme' });
    const lastSyncAt = (await call('organisationStatus', { organisation: 'acme' })).lastSyncAt;

    expect(await refusal(call('syncOrganisation', { organisation: 'acme' }))).toMatchObject({
      code: 'server_error',
      message: `The organisation answered with an unexpected shape for the list of applications (at ${before.length + 60}.redirectUri).`,
    });
    expect(await call('listApps', { organisation: 'acme' })).toEqual(before);
    expect((await call('organisationStatus', { organisation: 'acme' })).lastSyncAt).toBe(lastSyncAt);

    const fixed = openIdentityDatabase(acmeDataDir);
    fixed
      .prepare("UPDATE external_client SET redirect_uri = 'https://fixed.example.com/cb' WHERE redirect_uri = X'00'")
      .run();
    fixed.close();
    expect(await call('syncOrganisation', { organisation: 'acme' })).toMatchObject({
      synced: before.length + 61,
      stopped: false,
    });
    const after = await call('listApps', { organisation: 'acme' });
    expect(after.map((a) => a.name)).toEqual(expect.arrayContaining(['Bulk 0', 'Bulk 59', 'Zz wrong shape']));
    expect(after.find((a) => a.name === 'Zz wrong shape')?.redirectUri).toBe('https://fixed.example.com/cb');
  });
});

describe('rate limits', { timeout: 60_000 }, () => {
  it('waits out a burst over the limit, shows the wait, and resumes by itself', async () => {
    await running().close();
    await startAcme({ ...ROOMY, get: 3, windowSeconds: 2 });
    const state = { done: false };
    const burst = Promise.all(
      Array.from({ length: 6 }, () => call('listApps', { organisation: 'acme', refresh: true })),
    ).finally(() => {
      state.done = true;
    });
    const seen: OrganisationStatus[] = [];
    const finished = () => state.done;
    while (!finished()) {
      seen.push(await call('organisationStatus', { organisation: 'acme' }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lists = await burst;
    expect(new Set(lists.map((l) => l.length)).size).toBe(1);
    const waits = seen.map((s) => s.rateLimitedUntil).filter((until): until is string => until !== null);
    expect(waits.length).toBeGreaterThan(0);
    expect(Date.parse(waits[0] ?? '')).toBeGreaterThan(Date.now() - 5_000);
    expect((await call('organisationStatus', { organisation: 'acme' })).rateLimitedUntil).toBeNull();
    await running().close();
    await startAcme();
  });
});

// Chromium stands in for the system browser, which Electron's shell.openExternal would open and cannot run here.
describe('an organisation added by signing in with an account', { timeout: 90_000 }, () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  /** The admin in the browser: the organisation's sign-in page, user name and password. */
  function chromiumOpener(): BrowserOpener {
    return {
      open: async (href) => {
        browser ??= await chromium.launch({
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
        });
        const page = await (await browser.newContext()).newPage();
        page.setDefaultTimeout(15_000);
        void (async () => {
          await page.goto(href);
          await page.fill('#userName', 'ada');
          await page.fill('#password', 'correct horse battery');
          await page.click('button[type=submit]');
        })().catch(() => undefined);
      },
    };
  }

  it('keeps the refresh token in the keychain, renews it there, and signs in silently after a restart', async () => {
    await postToAcme('/User', { userName: 'ada', displayName: 'Ada Admin', password: 'correct horse battery' });
    const signInApp = await postToAcme('/ExternalClient', {
      partitionGlobalId: running().partitionGlobalId,
      name: 'OAuth Desk (my account)',
      isConfidential: false,
      redirectUri: 'http://127.0.0.1/callback',
      scopes: [
        { name: 'PM.OAuthApp', type: 'user' },
        { name: 'PM.OAuthAppSecret.Write', type: 'user' },
      ],
    });
    const home = desk.tempDir();
    const first = await desk.open({ home, openBrowser: chromiumOpener(), rateLimits: ROOMY });
    const { organisation, checks } = await first.call('addOrganisation', {
      id: 'acme-me',
      baseUrl: running().baseUrl,
      orgName: 'acme',
      signIn: { method: 'account', clientId: signInApp.id },
    });
    expect(organisation.signIn).toBe('account');
    expect(checks.every((c) => c.ok)).toBe(true);
    const account = `acme-me/refresh-token/${signInApp.id}`;
    expect((await first.call('showOrganisation', { organisation: 'acme-me' })).adminSecret).toEqual({
      service: keychainService,
      account,
    });
    const signedIn = await keytar.getPassword(keychainService, account);
    expect(signedIn).toBeTruthy();
    // Signed in with an account, OAuth Desk holds no admin secret: there is nothing to rotate, and it says so.
    expect((await refusal(first.call('rotateAdminSecret', { organisation: 'acme-me' }))).issues).toEqual([
      {
        field: 'organisation',
        message: 'OAuth Desk signs in to acme with your account, so it holds no admin secret to rotate.',
      },
    ]);
    await first.context.close();

    // A restart: no browser this time; the refresh token in the keychain gets a new access token, and rotates.
    const second = await desk.open({ home, rateLimits: ROOMY });
    expect((await second.call('listApps', { organisation: 'acme-me', refresh: true })).map((a) => a.id)).toContain(
      signInApp.id,
    );
    const rotated = await keytar.getPassword(keychainService, account);
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(signedIn);
    expect(await second.call('removeOrganisation', { organisation: 'acme-me' })).toEqual({
      removed: true,
      keychainEntriesRemoved: 1,
      secretsKept: 0,
    });
    expect(await keytar.getPassword(keychainService, account)).toBeNull();
    await second.context.close();
  });
});

describe('removing an organisation', { timeout: 60_000 }, () => {
  it('keeps its application secrets in the keychain, listed as kept, until each is deleted', async () => {
    const before = (await call('showOrganisation', { organisation: 'acme' })).keptSecrets;
    const app = await call('createApp', {
      organisation: 'acme',
      name: 'Only copy here',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    expect((await call('showOrganisation', { organisation: 'acme' })).keptSecrets).toBe(before + 1);
    expect(await call('removeOrganisation', { organisation: 'acme' })).toEqual({
      removed: true,
      keychainEntriesRemoved: 1,
      secretsKept: before + 1,
    });
    // The sign-in's entry went; the application's secret stayed, under its own entry, and is listed.
    expect(await acmeAccounts('acme/admin/')).toEqual([]);
    const [account = ''] = await acmeAccounts(`acme/${app.app.id}/`);
    expect(await keytar.getPassword(keychainService, account)).toBe(app.secret?.value);
    const listed = await call('listKeptSecretsOfRemoved', {});
    expect(listed.find((k) => k.keychain.account === account)).toMatchObject({
      organisationId: 'acme',
      organisationName: 'Acme (test)',
      clientId: app.app.id,
      appName: 'Only copy here',
    });
    for (const kept of listed)
      expect(await call('deleteKeptSecretOfRemoved', { account: kept.keychain.account })).toEqual({ deleted: true });
    expect(await acmeAccounts()).toEqual([]);
    expect(await call('listKeptSecretsOfRemoved', {})).toEqual([]);
    expect((await refusal(call('deleteKeptSecretOfRemoved', { account }))).code).toBe('not_found');
    await call('addOrganisation', {
      id: 'acme',
      baseUrl: running().baseUrl,
      orgName: 'acme',
      displayName: 'Acme (test)',
      signIn: { method: 'adminApp', clientId: acmeAdmin.clientId, clientSecret: acmeAdmin.secret },
    });
  });

  it('takes its keychain entries and cache away, changes nothing on the server, and falls back to local', async () => {
    const kept = await call('createApp', {
      organisation: 'acme',
      name: 'Kept until removed',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    expect((await acmeAccounts()).length).toBe(2); // the admin secret and the new app's secret

    expect((await refusal(call('removeOrganisation', { organisation: 'local' }))).issues?.[0]?.field).toBe(
      'organisation',
    );
    expect(await call('removeOrganisation', { organisation: 'acme', secrets: 'delete' })).toEqual({
      removed: true,
      keychainEntriesRemoved: 2,
      secretsKept: 0,
    });
    expect(await acmeAccounts()).toEqual([]);
    expect((await call('listOrganisations', {})).map((t) => [t.id, t.isCurrent])).toEqual([['local', true]]);
    expect((await call('showOrganisation', {})).id).toBe('local');
    expect((await refusal(call('listApps', { organisation: 'acme' }))).code).toBe('not_found');

    const db = new Database(join(desk.home, 'workspace.db'), { readonly: true });
    try {
      for (const table of ['registrations', 'catalogue_cache', 'secrets', 'tenants']) {
        const column = table === 'tenants' ? 'id' : 'tenant_id';
        const row = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = 'acme'`).get() as { n: number };
        expect(row.n, table).toBe(0);
      }
    } finally {
      db.close();
    }

    // Nothing changed on the server: the application is still there.
    const config = await oauthClient(running().issuer, kept.app.id, kept.secret?.value ?? '');
    await expect(oidc.clientCredentialsGrant(config, { scope: 'OR.Jobs' })).resolves.toHaveProperty('access_token');
  });
});
