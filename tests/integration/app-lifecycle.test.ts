// An application's later life through the dispatch, against the real Identity Server over HTTP and the real
// keychain: editing (scopes show in new tokens), deleting (with its keychain entries), the developer handoff and its
// exports, and the local organisation's users. Bad input is refused naming the field and changes nothing on the server.
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import type { ExternalClient, Handoff } from '../../src/shared/model';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { filesContaining, keytar, oauthClient, useDesk } from './support';

/** What the save dialog answers next: a path, or null as when the user cancels. */
let dialogAnswer: string | null = null;
const dialogAsked: string[] = [];
const desk = useDesk({
  rateLimits: { get: 10_000, post: 10_000, put: 10_000, delete: 10_000 },
  chooseSavePath: (suggested) => {
    dialogAsked.push(suggested);
    return Promise.resolve(dialogAnswer);
  },
});
const { home, call } = desk;
/** Exports go outside the data folder, as a user's would. */
const exportDir = desk.tempDir();
const secretValues: string[] = [];

async function configFor(clientId: string, secret: string): Promise<oidc.Configuration> {
  const organisation = await call('showOrganisation', {});
  return oauthClient(organisation.issuer, clientId, secret);
}

async function tokenScopes(clientId: string, secret: string, scope: string): Promise<string[]> {
  const tokens = await oidc.clientCredentialsGrant(await configFor(clientId, secret), { scope });
  return String(decodeJwt(tokens.access_token).scope).split(' ').sort();
}

/** The application as the server has it, read with the admin app's own token (not through the app's cache). */
async function onServer(clientId: string): Promise<ExternalClient | null> {
  const organisation = await call('showOrganisation', {});
  const secret = await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account);
  const token = (
    await oidc.clientCredentialsGrant(await configFor(organisation.adminClientId, secret ?? ''), {
      scope: 'PM.OAuthApp',
    })
  ).access_token;
  const response = await fetch(
    `${organisation.baseUrl}/${organisation.orgName}/identity_/api/ExternalClient/${organisation.partitionGlobalId}/${clientId}`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  return response.status === 404 ? null : ((await response.json()) as ExternalClient);
}

async function register(name: string, scopes = [{ name: 'OR.Jobs', type: 'application' as const }]) {
  const created = await call('createApp', { name, isConfidential: true, scopes });
  secretValues.push(created.secret!.value);
  return { app: created.app, secret: created.secret! };
}

describe('editing an application', () => {
  it('adds a scope that new tokens carry, and refuses a removed one with invalid_scope', async () => {
    const { app, secret } = await register('Edited scopes', [
      { name: 'OR.Jobs', type: 'application' },
      { name: 'OR.Queues', type: 'application' },
    ]);
    const updated = await call('updateApp', {
      clientId: app.id,
      scopes: [
        { name: 'OR.Jobs', type: 'application' },
        { name: 'OR.Assets.Read', type: 'application' },
      ],
    });
    expect(updated.resources.flatMap((r) => r.scopes.map((s) => s.name)).sort()).toEqual(['OR.Assets.Read', 'OR.Jobs']);
    expect(await tokenScopes(app.id, secret.value, 'OR.Jobs OR.Assets.Read')).toEqual(['OR.Assets.Read', 'OR.Jobs']);
    await expect(
      oidc.clientCredentialsGrant(await configFor(app.id, secret.value), { scope: 'OR.Queues' }),
    ).rejects.toMatchObject({
      error: 'invalid_scope',
    });
    const activity = (await call('listActivity', {})).find((a) => a.action === 'app.update' && a.target === app.id);
    expect(activity?.detail).toContain('Add application scopes: OR.Assets.Read');
    expect(activity?.detail).toContain('Remove application scopes: OR.Queues');
  });

  it('changes the name and redirect URL, and the cached list follows', async () => {
    const { app } = await register('Before rename');
    await call('updateApp', {
      clientId: app.id,
      name: '  After rename ',
      redirectUri: 'https://app.example.com/callback',
      scopes: [
        { name: 'OR.Jobs', type: 'application' },
        { name: 'OR.Jobs', type: 'user' },
      ],
    });
    const server = await onServer(app.id);
    expect(server).toMatchObject({ name: 'After rename', redirectUri: 'https://app.example.com/callback' });
    expect(server!.resources.flatMap((r) => r.scopes.map((s) => `${s.type}:${s.name}`)).sort()).toEqual([
      'application:OR.Jobs',
      'user:OR.Jobs',
    ]);
    const row = (await call('listApps', {})).find((r) => r.id === app.id);
    expect(row).toMatchObject({ name: 'After rename', userScopeCount: 1, applicationScopeCount: 1 });
  });

  const badEdits: { why: string; edit: Record<string, unknown>; field: string; message: RegExp }[] = [
    { why: 'an empty name', edit: { name: '   ' }, field: 'name', message: /Application Name is required/ },
    { why: 'a name too long', edit: { name: 'x'.repeat(101) }, field: 'name', message: /at most 100/ },
    {
      why: 'an unknown scope',
      edit: { scopes: [{ name: 'OR.Nothing', type: 'application' }] },
      field: 'scopes',
      message: /does not exist/,
    },
    { why: 'no scope at all', edit: { scopes: [] }, field: 'scopes', message: /at least one scope/ },
    {
      why: 'an application-only scope as a user scope',
      edit: { scopes: [{ name: 'AI.Helper.Read', type: 'user' }], redirectUri: 'https://a.example.com/cb' },
      field: 'scopes',
      message: /application scope only/,
    },
    {
      why: 'a user scope without a redirect URL',
      edit: { scopes: [{ name: 'OR.Jobs', type: 'user' }] },
      field: 'redirectUri',
      message: /required/,
    },
    {
      why: 'http on a public host',
      edit: { redirectUri: 'http://app.example.com/cb' },
      field: 'redirectUri',
      message: /loopback/,
    },
    {
      why: 'a fragment',
      edit: { redirectUri: 'https://app.example.com/cb#x' },
      field: 'redirectUri',
      message: /fragment/,
    },
    { why: 'a wildcard', edit: { redirectUri: 'https://*.example.com/cb' }, field: 'redirectUri', message: /wildcard/ },
    {
      why: 'user info',
      edit: { redirectUri: 'https://me:pw@app.example.com/cb' },
      field: 'redirectUri',
      message: /user name or password/,
    },
    {
      why: 'a javascript: URL',
      edit: { redirectUri: 'javascript:alert(1)' },
      field: 'redirectUri',
      message: /javascript/,
    },
    { why: 'a relative URL', edit: { redirectUri: '/callback' }, field: 'redirectUri', message: /absolute/ },
    {
      why: 'a private-use scheme on a confidential app',
      edit: { redirectUri: 'com.example.app:/cb' },
      field: 'redirectUri',
      message: /non-confidential/,
    },
  ];
  it.each(badEdits)(
    'refuses $why naming $field, and changes nothing on the server',
    async ({ edit, field, message }) => {
      const { app } = await register(`Bad edit ${field} ${Math.random().toString(16).slice(2, 8)}`);
      const before = await onServer(app.id);
      const error = await call('updateApp', { clientId: app.id, ...edit }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid_input' });
      const issue = (error as { issues?: { field: string; message: string }[] }).issues?.find((i) => i.field === field);
      expect(issue?.message).toMatch(message);
      expect(await onServer(app.id)).toEqual(before);
    },
  );

  it('keeps a non-confidential application free of application scopes', async () => {
    const created = await call('createApp', {
      name: 'Browser app',
      isConfidential: false,
      redirectUri: 'http://127.0.0.1:8080/cb',
      scopes: [{ name: 'OR.Jobs', type: 'user' }],
    });
    await expect(
      call('updateApp', { clientId: created.app.id, scopes: [{ name: 'OR.Jobs', type: 'application' }] }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'scopes', message: expect.stringMatching(/non-confidential/) as unknown }],
    });
  });
});

describe('deleting an application', () => {
  it('removes it on the server, its keychain entries and its cache row', async () => {
    const { app, secret } = await register('To be deleted');
    const second = await call('generateSecret', { clientId: app.id, mode: 'overlap' });
    secretValues.push(second.secret.value);
    const answer = await call('deleteApp', { clientId: app.id });
    expect(answer).toEqual({ deleted: true, keychainEntriesRemoved: 2 });
    expect(await onServer(app.id)).toBeNull();
    expect(await keytar.getPassword(secret.keychain.service, secret.keychain.account)).toBeNull();
    expect(await keytar.getPassword(second.secret.keychain.service, second.secret.keychain.account)).toBeNull();
    expect((await call('listApps', {})).some((r) => r.id === app.id)).toBe(false);
    await expect(
      oidc.clientCredentialsGrant(await configFor(app.id, secret.value), { scope: 'OR.Jobs' }),
    ).rejects.toMatchObject({
      error: 'invalid_client',
    });
    await expect(call('getApp', { clientId: app.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses to delete the admin application OAuth Desk manages the organisation with', async () => {
    const organisation = await call('showOrganisation', {});
    await expect(call('deleteApp', { clientId: organisation.adminClientId })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'clientId' }],
    });
    expect(await onServer(organisation.adminClientId)).not.toBeNull();
  });
});

describe('handing off to a developer', () => {
  /** A confidential app with OR.Jobs under both types, and so a redirect URL. */
  async function registerForBothFlows(name: string) {
    const created = await call('createApp', {
      name,
      isConfidential: true,
      redirectUri: 'https://app.example.com/cb',
      scopes: [
        { name: 'OR.Jobs', type: 'application' },
        { name: 'OR.Jobs', type: 'user' },
      ],
    });
    secretValues.push(created.secret!.value);
    return { app: created.app, secret: created.secret! };
  }

  it('writes a .env with the URLs and where the secret is, but an empty secret', async () => {
    const { app } = await registerForBothFlows('Handoff env');
    const { document, handoff } = await call('handoffApp', { clientId: app.id, format: 'env' });
    const organisation = await call('showOrganisation', {});
    expect(document).toContain(`OAUTH_CLIENT_ID="${app.id}"`);
    expect(document).toContain(`OAUTH_TOKEN_URL="${organisation.tokenUrl}"`);
    expect(document).toContain(`OAUTH_AUTHORIZE_URL="${organisation.authorizeUrl}"`);
    expect(document).toContain(`OAUTH_ISSUER="${organisation.issuer}"`);
    expect(document).toContain('OAUTH_APPLICATION_SCOPE="OR.Jobs"');
    expect(document).toContain('OAUTH_USER_SCOPE="OR.Jobs"');
    expect(document).toContain('OAUTH_REDIRECT_URI="https://app.example.com/cb"');
    expect(document).toMatch(/^OAUTH_CLIENT_SECRET=$/m);
    expect(document).toContain(
      `service ${handoff.secrets[0]!.keychain.service}, account ${handoff.secrets[0]!.keychain.account}`,
    );
    for (const value of secretValues) expect(document).not.toContain(value);
  });

  it('shows the scopes under each type in Markdown and JSON, even one name under both', async () => {
    const { app, secret } = await registerForBothFlows('Handoff both types');
    const json = JSON.parse((await call('handoffApp', { clientId: app.id, format: 'json' })).document) as Handoff;
    expect(json).toMatchObject({
      userScopes: ['OR.Jobs'],
      applicationScopes: ['OR.Jobs'],
      redirectUri: 'https://app.example.com/cb',
    });
    const md = (await call('handoffApp', { clientId: app.id, format: 'md' })).document;
    expect(md).toMatch(/User scopes \| `OR.Jobs`/);
    expect(md).toMatch(/Application scopes \| `OR.Jobs`/);
    expect(md).toContain(secret.keychain.account);
    expect(md).not.toContain(secret.value);
  });

  it('exports a .env with the newest secret only when asked, readable by its owner alone', async () => {
    const { app } = await register('Export with secret');
    const newer = await call('generateSecret', { clientId: app.id, mode: 'overlap' });
    secretValues.push(newer.secret.value);

    const plain = join(exportDir, 'plain.env');
    expect(await call('exportHandoff', { clientId: app.id, format: 'env', path: plain })).toEqual({ path: plain });
    const plainText = readFileSync(plain, 'utf8');
    expect(plainText).toMatch(/^OAUTH_CLIENT_SECRET=$/m);
    for (const value of secretValues) expect(plainText).not.toContain(value);

    const withSecret = join(exportDir, 'with-secret.env');
    await call('exportHandoff', { clientId: app.id, format: 'env', includeSecret: true, path: withSecret });
    const text = readFileSync(withSecret, 'utf8');
    expect(text).toContain(`OAUTH_CLIENT_SECRET="${newer.secret.value}"`);
    expect(statSync(withSecret).mode & 0o777).toBe(0o600);
    // The exported secret works as it is written.
    expect(await tokenScopes(app.id, newer.secret.value, 'OR.Jobs')).toEqual(['OR.Jobs']);

    const activity = (await call('listActivity', {})).filter(
      (a) => a.action === 'handoff.export' && a.target === app.id,
    );
    expect(activity.map((a) => a.detail).join('\n')).toContain(`including secret ${newer.secret.id}`);
    expect(activity.map((a) => a.detail).join('\n')).not.toContain(newer.secret.value);
  });

  it('asks the save dialog when no path is given, and does nothing when it is cancelled', async () => {
    const { app } = await register('Export via dialog');
    dialogAnswer = null;
    expect(await call('exportHandoff', { clientId: app.id, format: 'md' })).toEqual({ cancelled: true });
    expect(dialogAsked.at(-1)).toBe('export-via-dialog.md');
    dialogAnswer = join(exportDir, 'chosen.md');
    expect(await call('exportHandoff', { clientId: app.id, format: 'md' })).toEqual({ path: dialogAnswer });
    expect(readFileSync(dialogAnswer, 'utf8')).toContain(`# Export via dialog`);
  });

  it('refuses to put a secret into a Markdown or JSON export', async () => {
    const { app } = await register('Export refused');
    await expect(
      call('exportHandoff', { clientId: app.id, format: 'json', includeSecret: true, path: join(exportDir, 'x.json') }),
    ).rejects.toMatchObject({ code: 'invalid_input', issues: [{ field: 'includeSecret' }] });
  });
});

describe('users of the local organisation', () => {
  const password = 'correct horse battery';

  it('creates, lists and deletes a user; the password is kept nowhere in the workspace', async () => {
    const user = await call('createUser', { userName: ' ada.lovelace ', displayName: 'Ada Lovelace', password });
    expect(user).toMatchObject({ userName: 'ada.lovelace', displayName: 'Ada Lovelace' });
    expect((await call('listUsers', {})).map((u) => u.userName)).toContain('ada.lovelace');
    const activity = await call('listActivity', {});
    expect(activity.find((a) => a.action === 'user.create')?.detail).toContain('ada.lovelace');
    expect(JSON.stringify(activity)).not.toContain(password);

    expect(await call('deleteUser', { userName: 'ada.lovelace' })).toEqual({ deleted: true });
    expect((await call('listUsers', {})).map((u) => u.userName)).not.toContain('ada.lovelace');
    await expect(call('deleteUser', { userName: 'ada.lovelace' })).rejects.toMatchObject({ code: 'not_found' });
    expect(filesContaining(home, [password])).toEqual([]);
  });

  it.each([
    { input: { userName: '', password }, field: 'userName', message: /required/ },
    { input: { userName: 'has space', password }, field: 'userName', message: /only letters/ },
    { input: { userName: 'x'.repeat(65), password }, field: 'userName', message: /at most/ },
    { input: { userName: 'grace', password: 'short' }, field: 'password', message: /at least 8/ },
  ])('refuses $input.userName / $field naming the field, creating nobody', async ({ input, field, message }) => {
    const before = await call('listUsers', {});
    const error = await call('createUser', input).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid_input',
      issues: [{ field, message: expect.stringMatching(message) as unknown }],
    });
    expect(await call('listUsers', {})).toEqual(before);
  });

  it('refuses a user name already taken', async () => {
    await call('createUser', { userName: 'linus', password });
    await expect(call('createUser', { userName: 'linus', password })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'userName' }],
    });
    await call('deleteUser', { userName: 'linus' });
  });

  it('refuses users of a organisation that is not local', async () => {
    const workspace = openWorkspace(home);
    try {
      workspace.organisations.save({
        id: 'cloud',
        displayName: 'Cloud org',
        baseUrl: 'https://cloud.example.com',
        orgName: 'acme',
        partitionGlobalId: 'p',
        adminClientId: 'a',
        isLocal: false,
      });
    } finally {
      workspace.close();
    }
    await expect(call('listUsers', { organisation: 'cloud' })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'organisation', message: expect.stringMatching(/only on the local organisation/) as unknown }],
    });
  });
});

describe('after all of it', () => {
  it('no secret value is in any file of the data folder', async () => {
    const organisation = await call('showOrganisation', {});
    const admin = await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account);
    expect(filesContaining(home, [...secretValues, admin ?? ''])).toEqual([]);
  });
});
