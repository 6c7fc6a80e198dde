// Registering an external application end to end through the dispatch: the real embedded Identity Server over
// HTTP, the real workspace SQLite file and the real OS keychain, checked the way a user and an integrator would.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRedirectUri, checkScopes } from '../../src/shared/rules';
import { loadCatalogue } from '../../src/identity-server/catalog';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { filesContaining, keytar, oauthClient, useDesk } from './support';

const desk = useDesk({ rateLimits: { get: 10_000 } });
const { home, keychainService, keychain, call } = desk;
/** Every secret value this suite saw, to prove none of them reached a file. */
const secretValues: string[] = [];

beforeAll(async () => {
  const organisation = await call('showOrganisation', {});
  const admin = await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account);
  expect(admin, 'the admin secret is in the keychain after the first start').toBeTruthy();
  secretValues.push(admin!);
});

/** The management API, called as any admin script would: a token from the admin app's keychain secret. */
async function serverGet(path: string): Promise<{ status: number; body: unknown }> {
  const organisation = await call('showOrganisation', {});
  const secret = await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account);
  const token = await fetch(organisation.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: organisation.adminClientId,
      client_secret: secret ?? '',
      scope: 'PM.OAuthApp',
    }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const response = await fetch(`${organisation.baseUrl}/${organisation.orgName}/identity_/api${path}`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  return { status: response.status, body: await response.json() };
}

async function serverApps(): Promise<{ id: string; name: string }[]> {
  const organisation = await call('showOrganisation', {});
  return (await serverGet(`/ExternalClient/${organisation.partitionGlobalId}`)).body as { id: string; name: string }[];
}

async function openidConfig(clientId: string, secret: string): Promise<oidc.Configuration> {
  const organisation = await call('showOrganisation', {});
  return oauthClient(organisation.issuer, clientId, secret);
}

describe('registering a confidential application', () => {
  let appId: string;
  let secret: string;

  it('creates it on the server and puts its secret into the keychain before answering', async () => {
    const created = await call('createApp', {
      name: '  Nightly jobs  ',
      isConfidential: true,
      scopes: [
        { name: 'OR.Jobs', type: 'application' },
        { name: 'OR.Queues.Read', type: 'application' },
      ],
    });
    expect(created.app.name).toBe('Nightly jobs');
    expect(created.secret).not.toBeNull();
    const newSecret = created.secret!;
    expect(newSecret).toMatchObject({ stored: true, keychainError: null, pendingId: null });
    expect(newSecret.keychain.service).toBe(keychainService);
    appId = created.app.id;
    secret = newSecret.value;
    secretValues.push(secret);

    expect(await keytar.getPassword(newSecret.keychain.service, newSecret.keychain.account)).toBe(secret);

    const onServer = await serverGet(
      `/ExternalClient/${(await call('showOrganisation', {})).partitionGlobalId}/${appId}`,
    );
    expect(onServer.status).toBe(200);
    expect(onServer.body).toMatchObject({ id: appId, name: 'Nightly jobs', isConfidential: true });
    expect(JSON.stringify(onServer.body)).not.toContain(secret);
  });

  it('is listed in the External Applications table', async () => {
    const rows = await call('listApps', {});
    expect(rows.find((r) => r.id === appId)).toMatchObject({
      name: 'Nightly jobs',
      isConfidential: true,
      resources: ['Orchestrator API Access'],
      applicationScopeCount: 2,
      userScopeCount: 0,
      secretCount: 1,
    });
    // A screenful first: the first rows in the table's own (name) order.
    const first = await call('listApps', { limit: 1 });
    expect(first).toEqual([rows[0]]);
  });

  it('lets an OAuth client library get a client_credentials token carrying exactly the requested scopes', async () => {
    const config = await openidConfig(appId, secret);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'OR.Jobs OR.Queues.Read' });
    const claims = decodeJwt(tokens.access_token);
    expect(String(claims.scope).split(' ').sort()).toEqual(['OR.Jobs', 'OR.Queues.Read']);
    expect(claims.client_id).toBe(appId);

    const organisation = await call('showOrganisation', {});
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const verified = await jwtVerify(tokens.access_token, jwks, { issuer: organisation.issuer });
    expect(verified.payload.client_id).toBe(appId);
  });

  it('refuses a scope the application was not granted', async () => {
    const config = await openidConfig(appId, secret);
    await expect(oidc.clientCredentialsGrant(config, { scope: 'OR.Assets' })).rejects.toMatchObject({
      error: 'invalid_scope',
    });
  });

  it('hands off the keychain entry, never the secret', async () => {
    const md = await call('handoffApp', { clientId: appId });
    const json = await call('handoffApp', { clientId: appId, format: 'json' });
    const entry = md.handoff.secrets[0]!;
    expect(entry.keychain.service).toBe(keychainService);
    for (const document of [md.document, json.document]) {
      expect(document).toContain(entry.keychain.service);
      expect(document).toContain(entry.keychain.account);
      expect(document).toContain(appId);
      expect(document).not.toContain(secret);
    }
    expect(JSON.parse(json.document)).toMatchObject({
      appId,
      applicationType: 'Confidential',
      applicationScopes: ['OR.Jobs', 'OR.Queues.Read'],
      userScopes: [],
      tokenUrl: md.handoff.tokenUrl,
    });
    expect(md.document).toContain('| Application scopes | `OR.Jobs` `OR.Queues.Read` |');
  });
});

describe('registering a non-confidential application', () => {
  it('takes user scopes and a redirect URL, and gets no secret', async () => {
    const created = await call('createApp', {
      name: 'Desktop helper',
      isConfidential: false,
      redirectUri: 'http://127.0.0.1:8400/callback',
      scopes: [
        { name: 'OR.Jobs', type: 'user' },
        { name: 'OR.Folders.Read', type: 'user' },
      ],
    });
    expect(created.secret).toBeNull();
    const fetched = await call('getApp', { clientId: created.app.id });
    expect(fetched).toMatchObject({
      isConfidential: false,
      redirectUri: 'http://127.0.0.1:8400/callback',
      secrets: [],
    });
    expect(fetched.resources.flatMap((r) => r.scopes.map((s) => `${s.type}:${s.name}`)).sort()).toEqual([
      'user:OR.Folders.Read',
      'user:OR.Jobs',
    ]);
    const handoff = await call('handoffApp', { clientId: created.app.id, format: 'json' });
    expect(handoff.handoff).toMatchObject({ applicationType: 'Non-confidential', applicationScopes: [] });
    expect([...handoff.handoff.userScopes].sort()).toEqual(['OR.Folders.Read', 'OR.Jobs']);
  });
});

describe('bad input', () => {
  const catalogue = loadCatalogue();
  const cases = [
    {
      what: 'an empty name',
      input: { name: '   ', isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'application' as const }] },
      field: 'name',
      message: 'Application Name is required.',
    },
    {
      what: 'application scopes on a non-confidential app',
      input: {
        name: 'Bad 1',
        isConfidential: false,
        redirectUri: 'https://app.example.com/cb',
        scopes: [{ name: 'OR.Jobs', type: 'application' as const }],
      },
      field: 'scopes',
      message: checkScopes([{ name: 'OR.Jobs', type: 'application' }], catalogue, false).errors[0]!.message,
    },
    {
      what: 'a plain-http redirect URL on a public host',
      input: {
        name: 'Bad 2',
        isConfidential: true,
        redirectUri: 'http://app.example.com/cb',
        scopes: [{ name: 'OR.Jobs', type: 'user' as const }],
      },
      field: 'redirectUri',
      message: checkRedirectUri('http://app.example.com/cb', { isConfidential: true, required: true }).errors[0]!
        .message,
    },
    {
      what: 'user scopes without a redirect URL',
      input: { name: 'Bad 3', isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'user' as const }] },
      field: 'redirectUri',
      message: 'Redirect URL is required when the application has user scopes.',
    },
    {
      what: 'a scope missing from the catalogue',
      input: { name: 'Bad 4', isConfidential: true, scopes: [{ name: 'OR.Everything', type: 'application' as const }] },
      field: 'scopes',
      message: 'Scope OR.Everything does not exist in the resource catalogue.',
    },
  ];

  for (const { what, input, field, message } of cases) {
    it(`refuses ${what} with the rule's message and creates nothing`, async () => {
      const serverBefore = (await serverApps()).length;
      const cachedBefore = (await call('listApps', {})).length;
      const activityBefore = (await call('listActivity', {})).length;
      const keychainBefore = (await keytar.findCredentials(keychainService)).length;

      const result = await desk.context.dispatch('createApp', input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.issues).toContainEqual({ field, message });

      expect((await serverApps()).length).toBe(serverBefore);
      expect((await call('listApps', {})).length).toBe(cachedBefore);
      expect((await call('listActivity', {})).length).toBe(activityBefore);
      expect((await keytar.findCredentials(keychainService)).length).toBe(keychainBefore);
    });
  }
});

describe('when the keychain refuses', () => {
  it('answers stored:false with the reason and a pendingId, and a retry stores it once the keychain is back', async () => {
    keychain.refusing = true;
    let created;
    try {
      created = await call('createApp', {
        name: 'Keychain was locked',
        isConfidential: true,
        scopes: [{ name: 'OR.Assets.Read', type: 'application' }],
      });
    } finally {
      keychain.refusing = false;
    }
    const pending = created.secret!;
    secretValues.push(pending.value);
    expect(pending.stored).toBe(false);
    expect(pending.keychainError).toMatch(/^No keychain service is running\./);
    expect(pending.pendingId).toBeTruthy();
    expect(pending.value.length).toBeGreaterThan(20);
    expect(await keytar.getPassword(pending.keychain.service, pending.keychain.account)).toBeNull();

    // The application exists all the same, and its secret works: nothing is lost while the value waits in memory.
    expect((await serverApps()).some((a) => a.id === created.app.id)).toBe(true);

    const retried = await call('retrySecretStore', { pendingId: pending.pendingId! });
    expect(retried).toEqual({ stored: true, keychain: pending.keychain, replaced: [] });
    expect(await keytar.getPassword(pending.keychain.service, pending.keychain.account)).toBe(pending.value);
    await expect(call('retrySecretStore', { pendingId: pending.pendingId! })).rejects.toMatchObject({
      code: 'not_found',
    });

    const handoff = await call('handoffApp', { clientId: created.app.id });
    expect(handoff.handoff.secrets.map((s) => s.keychain)).toEqual([pending.keychain]);
  });

  it('keeps the value in memory while the keychain still refuses, and forgets it when dismissed', async () => {
    keychain.refusing = true;
    try {
      const created = await call('createApp', {
        name: 'Dismissed secret',
        isConfidential: true,
        scopes: [{ name: 'OR.Robots.Read', type: 'application' }],
      });
      secretValues.push(created.secret!.value);
      const pendingId = created.secret!.pendingId!;
      await expect(call('retrySecretStore', { pendingId })).rejects.toMatchObject({ code: 'keychain_unavailable' });
      expect(await call('dismissPendingSecret', { pendingId })).toEqual({ dismissed: true });
      expect(await call('dismissPendingSecret', { pendingId })).toEqual({ dismissed: false });
    } finally {
      keychain.refusing = false;
    }
  });
});

describe('previewing an edit (previewAppUpdate)', () => {
  const jobs = { name: 'OR.Jobs', type: 'application' as const };
  const queues = { name: 'OR.Queues.Read', type: 'application' as const };

  it('answers the plan updateApp would follow, and writes nothing', async () => {
    const { app, secret } = await call('createApp', { name: 'Preview robot', isConfidential: true, scopes: [jobs] });
    secretValues.push(secret!.value);
    const organisation = await call('showOrganisation', {});
    const before = await call('getApp', { clientId: app.id });
    const activityBefore = (await call('listActivity', {})).length;

    const plan = await call('previewAppUpdate', {
      clientId: app.id,
      name: ' Preview robot v2 ',
      scopes: [jobs, queues],
    });
    expect(plan.summary).toEqual({
      organisation: { id: organisation.id, name: organisation.displayName || organisation.id },
      counts: { create: 0, update: 1, unchanged: 0, refused: 0 },
    });
    expect(plan.entries).toEqual([
      {
        app: { id: app.id, name: 'Preview robot' },
        action: 'update',
        changes: {
          name: { from: 'Preview robot', to: 'Preview robot v2' },
          redirectUri: null,
          added: { user: [], application: ['OR.Queues.Read'] },
          removed: { user: [], application: [] },
        },
        refusals: [],
      },
    ]);
    expect(await call('getApp', { clientId: app.id })).toEqual(before);
    expect((await call('listActivity', {})).length).toBe(activityBefore);

    const same = await call('previewAppUpdate', { clientId: app.id, scopes: [jobs] });
    expect(same.entries.map((e) => e.action)).toEqual(['unchanged']);
  });

  it('answers refused, in the words updateApp refuses with, where updateApp would refuse', async () => {
    const { app, secret } = await call('createApp', { name: 'Preview strict', isConfidential: true, scopes: [jobs] });
    secretValues.push(secret!.value);
    const edit = { clientId: app.id, redirectUri: 'http://app.example.com/cb' };
    const refused = await desk.context.dispatch('updateApp', edit);
    expect(refused.ok).toBe(false);
    const plan = await call('previewAppUpdate', edit);
    expect(plan.entries.map((e) => e.action)).toEqual(['refused']);
    expect(plan.entries[0]?.refusals).toEqual([refused.ok ? '' : refused.error.message]);

    // The admin application is never changed here: its preview says so, and why.
    const { adminClientId } = await call('showOrganisation', {});
    const admin = await call('previewAppUpdate', { clientId: adminClientId, name: 'Renamed' });
    expect(admin.entries[0]).toMatchObject({ action: 'refused', changes: { name: { to: 'Renamed' } } });
    expect(admin.entries[0]?.refusals.join(' ')).toMatch(/^This is the admin application OAuth Desk manages/);
  });
});

describe('afterwards', () => {
  it('lists every registration in the activity, with no secret', async () => {
    const activity = await call('listActivity', {});
    const created = activity.filter((a) => a.action === 'app.create').map((a) => a.detail);
    for (const name of ['Nightly jobs', 'Desktop helper', 'Keychain was locked', 'Dismissed secret'])
      expect(created.some((d) => d.includes(`"${name}"`))).toBe(true);
    expect(activity.map((a) => a.action)).toEqual(
      expect.arrayContaining(['secret.keychain_failed', 'secret.stored', 'secret.dismissed']),
    );
    const text = JSON.stringify(activity);
    for (const value of secretValues) expect(text).not.toContain(value);
  });

  it('writes no secret value to any file of the data folder, WAL files included', () => {
    expect(secretValues.length).toBeGreaterThanOrEqual(4);
    expect(filesContaining(home, secretValues)).toEqual([]);
    // The workspace still answers from another connection: the records are there, the values are not.
    const workspace = openWorkspace(home);
    try {
      expect(workspace.registrations.listSummaries('local').length).toBeGreaterThanOrEqual(4);
    } finally {
      workspace.close();
    }
  });
});
