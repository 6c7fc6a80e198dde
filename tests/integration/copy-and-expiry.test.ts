// Copying an application from the local organisation to another organisation, and the secrets close to expiry across
// both: a second embedded Identity Server plays the organisation "acme" (its own data folder and port, a catalogue
// that lacks a resource and grants one scope to users only), over real HTTP, with the real keychain and workspace.
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/identity-server/catalog';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import type { Notifier } from '../../src/main/ports';
import { expiryNotice } from '../../src/main/services/expiry';
import { scopesOf } from '../../src/shared/changes';
import { AppError } from '../../src/shared/errors';
import type { Catalogue, ExpiringSecret, ExternalClient, NewSecret, ScopeRequest } from '../../src/shared/model';
import { addServerAsOrganisation, cliOf, keytar, oauthClient, useDesk } from './support';

const desk = useDesk({ rateLimits: { get: 10_000 } });
const { call, keychainService } = desk;

/** acme's catalogue: without Data Service, and OR.Jobs granted to users only. */
function acmeCatalogue(): Catalogue {
  return loadCatalogue()
    .filter((resource) => resource.name !== 'DataServiceApiUserAccess')
    .map((resource) => ({
      ...resource,
      scopes: resource.scopes.map((scope) => (scope.name === 'OR.Jobs' ? { ...scope, type: 'user' as const } : scope)),
    }));
}

let acme: RunningIdentityServer | undefined;

beforeAll(async () => {
  acme = await startIdentityServer({
    dataDir: desk.tempDir(),
    port: 0,
    orgName: 'acme',
    catalogue: acmeCatalogue(),
    rateLimits: { get: 10_000 },
  });
  await addServerAsOrganisation(call, acme);
});

afterAll(async () => {
  await acme?.close();
});

const byName = (a: ScopeRequest, b: ScopeRequest) => `${a.type}:${a.name}`.localeCompare(`${b.type}:${b.name}`);

async function acmeApps(): Promise<string[]> {
  return (await call('listApps', { organisation: 'acme', refresh: true })).map((a) => a.id).sort();
}

async function acmeKeychainAccounts(): Promise<string[]> {
  return (await keytar.findCredentials(keychainService))
    .map((c) => c.account)
    .filter((account) => account.startsWith('acme/'))
    .sort();
}

/**
 * The oauth-desk CLI as a process on the desk's data folder: it attaches to the desk's running local server, so the
 * port (any free one, never the default a real desk may hold) is used only if that server were gone.
 */
const cli = cliOf(desk, 0);

describe('copying an application to another organisation', () => {
  let source: ExternalClient;
  let sourceSecret: string;
  let copy: ExternalClient;
  let copySecret: NewSecret;

  beforeAll(async () => {
    const created = await call('createApp', {
      name: 'Invoice robot',
      isConfidential: true,
      redirectUri: 'https://invoices.example.com/callback',
      scopes: [
        { name: 'OR.Queues.Read', type: 'application' },
        { name: 'OR.Assets.Read', type: 'user' },
        { name: 'OR.Folders.Read', type: 'user' },
      ],
    });
    source = created.app;
    sourceSecret = created.secret!.value;
  });

  it('a dry run finds nothing missing and creates nothing', async () => {
    const before = await acmeApps();
    const dry = await call('copyAppToOrganisation', { clientId: source.id, to: 'acme', dryRun: true });
    expect(dry).toMatchObject({ missingScopes: [], app: null, secret: null });
    // The plan of the copy at acme: one application to create, with the source's redirect URL and scopes.
    expect(dry.plan?.summary).toMatchObject({ organisation: { id: 'acme' }, counts: { create: 1, refused: 0 } });
    expect(dry.plan?.entries).toMatchObject([
      {
        app: { id: null, name: source.name },
        action: 'create',
        refusals: [],
        changes: { redirectUri: { from: null, to: source.redirectUri } },
      },
    ]);
    expect(await acmeApps()).toEqual(before);
  });

  it('registers it at acme with its type, its scopes by type and its redirect URL', async () => {
    const copied = await call('copyAppToOrganisation', { clientId: source.id, to: 'acme' });
    expect(copied.missingScopes).toEqual([]);
    copy = copied.app!;
    copySecret = copied.secret!;
    expect(copy.id).not.toBe(source.id);
    expect(copy).toMatchObject({
      name: 'Invoice robot',
      isConfidential: true,
      redirectUri: 'https://invoices.example.com/callback',
    });
    expect(scopesOf(copy).sort(byName)).toEqual(scopesOf(source).sort(byName));
    // acme's own record, read back over HTTP, says the same.
    const atAcme = await call('getApp', { organisation: 'acme', clientId: copy.id });
    expect(scopesOf(atAcme).sort(byName)).toEqual(scopesOf(source).sort(byName));
    expect(atAcme.secrets.map((s) => s.id)).toEqual([copied.secret!.id]);
  });

  it("gives the copy a new secret, kept in the keychain under acme's account names, never the original", async () => {
    expect(copySecret).toMatchObject({
      stored: true,
      keychain: { service: keychainService, account: `acme/${copy.id}/${copySecret.id}` },
    });
    const value = await keytar.getPassword(keychainService, copySecret.keychain.account);
    expect(value).toBe(copySecret.value);
    expect(value).not.toBe(sourceSecret);
    // The App Secret section of the copy knows where it is kept.
    const [listed] = await call('listSecrets', { organisation: 'acme', clientId: copy.id });
    expect(listed?.keychain).toEqual(copySecret.keychain);
    // Nothing of the original app's secret went anywhere near acme.
    const localAccounts = (await keytar.findCredentials(keychainService)).filter((c) => c.password === sourceSecret);
    expect(localAccounts.map((c) => c.account)).toEqual([
      expect.stringMatching(new RegExp(`^local/${source.id}/`)) as string,
    ]);
  });

  it("that secret gets a real client_credentials token at acme, and the original's does not", async () => {
    const value = (await keytar.getPassword(keychainService, copySecret.keychain.account))!;
    const tokens = await oidc.clientCredentialsGrant(await oauthClient(acme!.issuer, copy.id, value), {
      scope: 'OR.Queues.Read',
    });
    const claims = decodeJwt(tokens.access_token);
    expect(claims.client_id).toBe(copy.id);
    expect(claims.scope).toBe('OR.Queues.Read');
    await expect(
      oidc.clientCredentialsGrant(await oauthClient(acme!.issuer, copy.id, sourceSecret), { scope: 'OR.Queues.Read' }),
    ).rejects.toBeTruthy();
  });

  it('records the copy in the activity list, without a secret', async () => {
    const entries = await call('listActivity', { limit: 20 });
    const entry = entries.find((e) => e.action === 'app.copy');
    expect(entry).toMatchObject({ organisation: 'acme', target: copy.id });
    expect(entry!.detail).toContain(`from Local Identity Server to acme as ${copy.id}`);
    expect(entry!.detail).not.toContain(sourceSecret);
  });

  it('copies a non-confidential application without any secret', async () => {
    const { app } = await call('createApp', {
      name: 'Invoice viewer',
      isConfidential: false,
      redirectUri: 'http://127.0.0.1/callback',
      scopes: [{ name: 'OR.Jobs', type: 'user' }],
    });
    const copied = await call('copyAppToOrganisation', { clientId: app.id, to: 'acme' });
    expect(copied.secret).toBeNull();
    expect(copied.app).toMatchObject({ isConfidential: false, redirectUri: 'http://127.0.0.1/callback', secrets: [] });
    expect(scopesOf(copied.app!)).toEqual([{ name: 'OR.Jobs', type: 'user' }]);
  });

  it('refuses an unknown organisation, and the one the application is already in, naming "to"', async () => {
    await expect(call('copyAppToOrganisation', { clientId: source.id, to: 'nowhere' })).rejects.toMatchObject({
      code: 'not_found',
      issues: [{ field: 'to' }],
    });
    await expect(call('copyAppToOrganisation', { clientId: source.id, to: 'local' })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'to' }],
    });
  });
});

describe('copying an application with scopes acme cannot grant', () => {
  let source: ExternalClient;
  const missing: ScopeRequest[] = [
    { name: 'OR.Jobs', type: 'application' },
    { name: 'DataFabric.Data.Read', type: 'application' },
  ];

  beforeAll(async () => {
    ({ app: source } = await call('createApp', {
      name: 'Data loader',
      isConfidential: true,
      redirectUri: 'https://loader.example.com/callback',
      scopes: [missing[0]!, { name: 'OR.Queues.Read', type: 'user' }, missing[1]!],
    }));
  });

  it('a dry run lists the scope acme lacks and the one it grants to users only', async () => {
    const answer = await call('copyAppToOrganisation', { clientId: source.id, to: 'acme', dryRun: true });
    expect(answer).toMatchObject({ app: null, secret: null });
    // Its plan is refused, in the rules' words for each scope acme cannot grant.
    expect(answer.plan?.entries.map((e) => e.action)).toEqual(['refused']);
    expect(answer.plan?.entries[0]?.refusals.join(' ')).toContain('DataFabric.Data.Read');
    // In the order the application holds them, which is its resources' order.
    expect([...answer.missingScopes].sort(byName)).toEqual([...missing].sort(byName));
  });

  it('the copy is refused on "scopes", naming both, and nothing is created at acme or in the keychain', async () => {
    const apps = await acmeApps();
    const accounts = await acmeKeychainAccounts();
    const refusal = await call('copyAppToOrganisation', { clientId: source.id, to: 'acme' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'invalid_input' });
    const issues = (refusal as AppError).issues ?? [];
    expect(issues.map((i) => i.field)).toEqual(['scopes', 'scopes']);
    const messages = issues.map((i) => i.message).sort();
    expect(messages[0]).toBe('In acme: Scope DataFabric.Data.Read does not exist in the resource catalogue.');
    expect(messages[1]).toMatch(/^In acme: Scope OR\.Jobs cannot be granted as an application scope/);
    expect(await acmeApps()).toEqual(apps);
    expect(await acmeKeychainAccounts()).toEqual(accounts);
  });
});

describe('apps copy and apps expiring in the CLI', { timeout: 120_000 }, () => {
  it('lists what acme lacks, creates nothing and exits 2', async () => {
    const { app } = await call('createApp', {
      name: 'CLI loader',
      isConfidential: true,
      scopes: [{ name: 'DataFabric.Data.Read', type: 'application' }],
    });
    const before = await acmeApps();
    const run = await cli(['apps', 'copy', app.id, '--tenant', 'local', '--to', 'acme']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain('acme cannot grant this scope');
    expect(run.stdout).toContain('DataFabric.Data.Read (application scope)');
    expect(await acmeApps()).toEqual(before);

    const dry = await cli(['apps', 'copy', app.id, '--tenant', 'local', '--to', 'acme', '--dry-run', '--json']);
    expect(dry.code).toBe(2);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      missingScopes: [{ name: 'DataFabric.Data.Read', type: 'application' }],
      app: null,
      secret: null,
      plan: { entries: [{ app: { id: null, name: 'CLI loader' }, action: 'refused' }] },
    });
    const text = await cli(['apps', 'copy', app.id, '--tenant', 'local', '--to', 'acme', '--dry-run']);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/^refused {3}CLI loader: Add application scopes: DataFabric\.Data\.Read$/m);
    expect(text.stdout).toContain('Dry run: nothing was created.');
  });

  it('prints the new App ID and where its secret is in the keychain, not the secret', async () => {
    const { app } = await call('createApp', {
      name: 'CLI robot',
      isConfidential: true,
      scopes: [{ name: 'OR.Queues.Read', type: 'application' }],
    });
    const run = await cli(['apps', 'copy', app.id, '--tenant', 'local', '--to', 'acme']);
    expect(run.code, run.stderr).toBe(0);
    const newId = /App ID:\s+(\S+)/.exec(run.stdout)?.[1];
    expect(newId).toBeTruthy();
    expect(newId).not.toBe(app.id);
    const account = new RegExp(`saved to your keychain as ${keychainService} / (acme/${newId}/\\S+)`).exec(
      run.stdout,
    )?.[1];
    expect(account).toBeTruthy();
    const value = await keytar.getPassword(keychainService, account!);
    expect(value).toBeTruthy();
    expect(run.stdout).not.toContain(value!);
  });
});

describe('secrets close to expiry across organisations', () => {
  const DAY = 24 * 3600 * 1000;
  const inTenDays = new Date(Date.now() + 10 * DAY).toISOString();
  let localApp: string;
  let acmeApp: string;
  const ids: Record<'localSoon' | 'acmeSoon' | 'localGone' | 'acmeGone', string> = {
    localSoon: '',
    acmeSoon: '',
    localGone: '',
    acmeGone: '',
  };

  beforeAll(async () => {
    const scopes: ScopeRequest[] = [{ name: 'OR.Queues.Read', type: 'application' }];
    localApp = (await call('createApp', { name: 'Expiring here', isConfidential: true, scopes })).app.id;
    acmeApp = (await call('createApp', { organisation: 'acme', name: 'Expiring there', isConfidential: true, scopes }))
      .app.id;
    const generate = async (organisation: string, clientId: string, expiryTime: string) =>
      (await call('generateSecret', { organisation, clientId, expiryTime, mode: 'overlap' })).secret.id;
    ids.localSoon = await generate('local', localApp, inTenDays);
    ids.acmeSoon = await generate('acme', acmeApp, inTenDays);
    // The servers refuse a past expiry, as they should: these expire two seconds from now, then the test waits.
    const soon = new Date(Date.now() + 2000).toISOString();
    ids.localGone = await generate('local', localApp, soon);
    ids.acmeGone = await generate('acme', acmeApp, soon);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(soon) - Date.now() + 200));
  });

  const brief = (s: ExpiringSecret) => [s.organisation, s.clientId, s.secretId, s.expired];

  it('lists them from every organisation, soonest first, the expired marked', async () => {
    const listed = await call('listExpiringSecrets', {});
    const [expired1, expired2, soon1, soon2] = listed;
    expect(listed).toHaveLength(4);
    expect([expired1, expired2].map((s) => brief(s!)).sort()).toEqual(
      [
        ['acme', acmeApp, ids.acmeGone, true],
        ['local', localApp, ids.localGone, true],
      ].sort(),
    );
    expect([soon1, soon2].map((s) => brief(s!)).sort()).toEqual(
      [
        ['acme', acmeApp, ids.acmeSoon, false],
        ['local', localApp, ids.localSoon, false],
      ].sort(),
    );
    expect(soon1).toMatchObject({ expiryTime: inTenDays, appName: expect.stringMatching(/^Expiring /) as string });
  });

  it('looks only as far ahead as asked; the expired always show', async () => {
    const listed = await call('listExpiringSecrets', { withinDays: 5 });
    expect(listed.map((s) => s.secretId).sort()).toEqual([ids.localGone, ids.acmeGone].sort());
  });

  it('decides one notification saying how many expire and how many have expired', async () => {
    expect(expiryNotice(await call('listExpiringSecrets', {}))).toEqual({
      title: 'App secrets to renew',
      body: '2 secrets expire within 30 days, 2 have expired',
    });
  });

  it('raises that one notification when the app starts', async () => {
    // A recording stand-in: OS notifications (Electron's Notification) cannot exist here.
    const shown: { title: string; body: string }[] = [];
    const notifier: Notifier = { notify: (title, body) => shown.push({ title, body }) };
    // The app starting again on the same data folder: the one that ran closes first, as only one process owns it.
    await desk.context.close();
    const { context } = await desk.open({ notifier });
    expect(shown).toEqual([{ title: 'App secrets to renew', body: '2 secrets expire within 30 days, 2 have expired' }]);
    await context.close();
  });

  it('apps expiring prints them as JSON', async () => {
    const run = await cli(['apps', 'expiring', '--days', '5', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as ExpiringSecret[];
    expect(listed.map((s) => s.secretId).sort()).toEqual([ids.localGone, ids.acmeGone].sort());
    const bad = await cli(['apps', 'expiring', '--days', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Days must be a whole number');
  });
});
