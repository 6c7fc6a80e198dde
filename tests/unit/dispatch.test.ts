// Every operation of the contract, given malformed input, answers a typed invalid_input error naming the field,
// and never reaches its handler.
import { describe, expect, it } from 'vitest';
import { operationNames, type OperationName } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { createDispatch, type Handlers } from '../../src/main/dispatch';

/** A well-formed addOrganisation input, which each malformed case spoils in one field. */
const newOrganisation = {
  id: 'acme',
  baseUrl: 'https://cloud.uipath.com',
  orgName: 'acme',
  signIn: { method: 'adminApp', clientId: 'a1', clientSecret: 's' },
};

/** Malformed inputs of each operation and the field the error must name. */
const malformed: Record<OperationName, { input: unknown; field: string; message?: RegExp }[]> = {
  listOrganisations: [
    { input: { organisation: 'local' }, field: 'organisation', message: /not a field/ },
    { input: 'local', field: 'input' },
  ],
  showOrganisation: [
    { input: { organisation: '' }, field: 'organisation', message: /Organisation is required/ },
    { input: { organisation: 42 }, field: 'organisation', message: /Organisation must be text/ },
  ],
  listCatalogue: [{ input: { refresh: 'yes' }, field: 'refresh', message: /Refresh must be true or false/ }],
  listApps: [
    { input: { organisation: null }, field: 'organisation' },
    { input: { refresh: 1 }, field: 'refresh' },
    { input: { filter: 'x' }, field: 'filter' },
    { input: { limit: 0 }, field: 'limit' },
    { input: { limit: 2.5 }, field: 'limit' },
  ],
  getApp: [
    { input: {}, field: 'clientId', message: /App ID is required/ },
    { input: { clientId: '' }, field: 'clientId', message: /App ID is required/ },
  ],
  createApp: [
    { input: { isConfidential: true, scopes: [] }, field: 'name', message: /Application Name is required/ },
    { input: { name: 'A', isConfidential: 'yes', scopes: [] }, field: 'isConfidential', message: /Application Type/ },
    { input: { name: 'A', isConfidential: true }, field: 'scopes', message: /Scopes must be a list/ },
    {
      input: { name: 'A', isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'robot' }] },
      field: 'scopes.0.type',
      message: /user, application/,
    },
    {
      input: { name: 'A', isConfidential: true, scopes: [], redirectUri: 7 },
      field: 'redirectUri',
      message: /Redirect URL/,
    },
    { input: { name: 'A', isConfidential: true, scopes: [], secret: 'x' }, field: 'secret' },
  ],
  retrySecretStore: [
    { input: {}, field: 'pendingId' },
    { input: { pendingId: '' }, field: 'pendingId' },
  ],
  dismissPendingSecret: [{ input: { pendingId: 5 }, field: 'pendingId' }],
  updateApp: [
    { input: {}, field: 'clientId', message: /App ID is required/ },
    { input: { clientId: 'abc', name: 5 }, field: 'name', message: /Application Name must be text/ },
    { input: { clientId: 'abc', redirectUri: 7 }, field: 'redirectUri', message: /Redirect URL/ },
    { input: { clientId: 'abc', scopes: 'OR.Jobs' }, field: 'scopes', message: /Scopes must be a list/ },
    {
      input: { clientId: 'abc', scopes: [{ name: 'OR.Jobs', type: 'robot' }] },
      field: 'scopes.0.type',
      message: /user, application/,
    },
    { input: { clientId: 'abc', isConfidential: false }, field: 'isConfidential', message: /not a field/ },
  ],
  previewAppUpdate: [
    { input: {}, field: 'clientId', message: /App ID is required/ },
    { input: { clientId: 'abc', name: 5 }, field: 'name', message: /Application Name must be text/ },
    { input: { clientId: 'abc', redirectUri: 7 }, field: 'redirectUri', message: /Redirect URL/ },
    { input: { clientId: 'abc', scopes: [{ name: 'OR.Jobs', type: 'robot' }] }, field: 'scopes.0.type' },
    { input: { clientId: 'abc', dryRun: true }, field: 'dryRun', message: /not a field/ },
  ],
  deleteApp: [
    { input: {}, field: 'clientId', message: /App ID is required/ },
    { input: { clientId: 'abc', force: true }, field: 'force', message: /not a field/ },
  ],
  listSecrets: [{ input: { clientId: '' }, field: 'clientId', message: /App ID is required/ }],
  generateSecret: [
    { input: { clientId: 'abc' }, field: 'mode', message: /replace or overlap/ },
    { input: { clientId: 'abc', mode: 'swap' }, field: 'mode', message: /replace or overlap/ },
    {
      input: { clientId: 'abc', mode: 'overlap', expiryTime: 'next week' },
      field: 'expiryTime',
      message: /date and time/,
    },
    {
      input: { clientId: 'abc', mode: 'overlap', description: 'x'.repeat(201) },
      field: 'description',
      message: /at most 200/,
    },
    { input: { clientId: 'abc', mode: 'overlap', value: 'chosen-secret' }, field: 'value', message: /not a field/ },
    { input: { mode: 'overlap' }, field: 'clientId', message: /App ID is required/ },
  ],
  listFederatedCredentials: [{ input: {}, field: 'clientId', message: /App ID is required/ }],
  createFederatedCredential: [
    { input: { clientId: 'abc', issuer: 'https://i', audience: 'a', subject: 's' }, field: 'name' },
    {
      input: { clientId: 'abc', name: 'n', issuer: 'https://i', audience: 'a', subject: 'x'.repeat(601) },
      field: 'subject',
      message: /at most 600/,
    },
  ],
  updateFederatedCredential: [
    { input: { clientId: 'abc', name: 'n', issuer: 'https://i', audience: 'a', subject: 's' }, field: 'id' },
  ],
  deleteFederatedCredential: [
    { input: { clientId: 'abc', id: '' }, field: 'id', message: /Credential ID is required/ },
  ],
  checkFederatedToken: [{ input: { clientId: 'abc', jwt: '   ' }, field: 'jwt', message: /Token is required/ }],
  deleteSecret: [
    { input: { clientId: 'abc' }, field: 'secretId', message: /Secret ID is required/ },
    { input: { clientId: 'abc', secretId: '' }, field: 'secretId', message: /Secret ID is required/ },
  ],
  copySecretToClipboard: [
    { input: { clientId: 'abc', secretId: 3 }, field: 'secretId', message: /Secret ID must be text/ },
    { input: { secretId: '5' }, field: 'clientId' },
    {
      input: { clientId: 'abc', secretId: '6f1c-uuid' },
      field: 'secretId',
      message: /Secret ID must be a whole number/,
    },
  ],
  copyNewSecretToClipboard: [
    { input: {}, field: 'secretId', message: /Name the secret to copy/ },
    { input: { clientId: 'abc' }, field: 'secretId', message: /Name the secret to copy/ },
    { input: { pendingId: '' }, field: 'pendingId', message: /Pending secret ID is required/ },
    { input: { pendingId: 'p', value: 'the secret' }, field: 'value', message: /not a field/ },
  ],
  rotateAdminSecret: [
    { input: {}, field: 'organisation', message: /Organisation is required/ },
    { input: { organisation: 'local', clientId: 'x' }, field: 'clientId', message: /not a field/ },
  ],
  openLink: [
    { input: {}, field: 'link', message: /Link must be documentation or portal/ },
    { input: { link: 'https://evil.example' }, field: 'link', message: /Link must be documentation or portal/ },
    { input: { link: 'portal', url: 'https://evil.example' }, field: 'url', message: /not a field/ },
  ],
  handoffApp: [
    { input: { clientId: 'abc', format: 'pdf' }, field: 'format', message: /md, json, env/ },
    { input: { format: 'md' }, field: 'clientId' },
  ],
  exportHandoff: [
    { input: { clientId: 'abc' }, field: 'format', message: /md, json, env/ },
    { input: { clientId: 'abc', format: 'age' }, field: 'recipient', message: /needs the developer's recipient/ },
    {
      input: { clientId: 'abc', format: 'age', recipient: 'ssh-ed25519 AAAAC3' },
      field: 'recipient',
      message: /age public key/,
    },
    {
      input: { clientId: 'abc', format: 'md', includeSecret: true },
      field: 'includeSecret',
      message: /Only a \.env export/,
    },
    {
      input: { clientId: 'abc', format: 'env', includeSecret: 'yes' },
      field: 'includeSecret',
      message: /true or false/,
    },
    { input: { clientId: 'abc', format: 'env', path: '' }, field: 'path', message: /Path must not be empty/ },
  ],
  listUsers: [{ input: { organisation: '' }, field: 'organisation', message: /Organisation is required/ }],
  createUser: [
    { input: { password: 'long enough' }, field: 'userName', message: /User name is required/ },
    { input: { userName: 'ada' }, field: 'password', message: /Password is required/ },
    { input: { userName: 'ada', password: 12345678 }, field: 'password', message: /Password is required/ },
    { input: { userName: 'ada', password: 'long enough', role: 'admin' }, field: 'role', message: /not a field/ },
  ],
  deleteUser: [{ input: {}, field: 'userName', message: /User name is required/ }],
  listActivity: [
    { input: { limit: 0 }, field: 'limit', message: /at least 1/ },
    { input: { limit: 5000 }, field: 'limit', message: /at most 1000/ },
    { input: { limit: 2.5 }, field: 'limit', message: /whole number/ },
  ],
  exportActivityFile: [
    { input: {}, field: 'path', message: /required/i },
    { input: { path: '' }, field: 'path', message: /must not be empty/ },
  ],
  addOrganisation: [
    { input: { ...newOrganisation, id: undefined }, field: 'id', message: /Organisation ID is required/ },
    { input: { ...newOrganisation, id: 'Acme Prod' }, field: 'id', message: /lower-case letters/ },
    { input: { ...newOrganisation, baseUrl: undefined }, field: 'baseUrl', message: /Base URL is required/ },
    { input: { ...newOrganisation, orgName: '' }, field: 'orgName', message: /Organisation name is required/ },
    { input: { ...newOrganisation, partitionGlobalId: 5 }, field: 'partitionGlobalId', message: /must be text/ },
    {
      input: { ...newOrganisation, signIn: { method: 'password' } },
      field: 'signIn.method',
      message: /admin application or your account/,
    },
    {
      input: { ...newOrganisation, signIn: { method: 'adminApp', clientId: 'a1' } },
      field: 'signIn.clientSecret',
      message: /App secret is required/,
    },
    {
      input: { ...newOrganisation, signIn: { method: 'account', clientId: '' } },
      field: 'signIn.clientId',
      message: /App ID is required/,
    },
    {
      input: { ...newOrganisation, signIn: { method: 'account', clientId: 'a1', clientSecret: 's' } },
      field: 'signIn.clientSecret',
      message: /not a field/,
    },
    { input: { ...newOrganisation, current: true }, field: 'current', message: /not a field/ },
  ],
  savePendingAppEdit: [{ input: { organisation: 'acme' }, field: 'clientId', message: /App ID is required/ }],
  getPendingAppEdit: [{ input: { organisation: 'acme' }, field: 'clientId', message: /App ID is required/ }],
  applyPendingAppEdit: [
    { input: { organisation: 'acme', clientId: 'x', name: 'n' }, field: 'name', message: /not a field/ },
  ],
  discardPendingAppEdit: [{ input: { organisation: 'acme' }, field: 'clientId', message: /App ID is required/ }],
  changeSignIn: [
    { input: { signIn: { method: 'account', clientId: 'abc' } }, field: 'organisation', message: /required/i },
    {
      input: { organisation: 'acme', signIn: { method: 'adminApp', clientId: 'abc', clientSecret: '' } },
      field: 'signIn.clientSecret',
      message: /App secret is required/,
    },
    { input: { organisation: 'acme', signIn: { method: 'magic', clientId: 'abc' } }, field: 'signIn.method' },
  ],
  testOrganisation: [
    { input: { organisation: '' }, field: 'organisation', message: /Organisation is required/ },
    { input: { organisation: 'acme', fix: true }, field: 'fix', message: /not a field/ },
  ],
  useOrganisation: [
    { input: {}, field: 'organisation', message: /Organisation is required/ },
    { input: { organisation: '' }, field: 'organisation', message: /Organisation is required/ },
  ],
  removeOrganisation: [
    { input: {}, field: 'organisation', message: /Organisation is required/ },
    { input: { organisation: 7 }, field: 'organisation', message: /Organisation must be text/ },
    { input: { organisation: 'acme', secrets: 'shred' }, field: 'secrets', message: /keep or delete/ },
  ],
  listKeptSecretsOfRemoved: [{ input: { organisation: 'acme' }, field: 'organisation', message: /not a field/ }],
  cancelAccountSignIn: [{ input: {}, field: 'id', message: /Sign-in ID is required/ }],
  reopenAccountSignIn: [{ input: { id: '' }, field: 'id', message: /Sign-in ID is required/ }],
  copyAccountSignInLink: [{ input: { id: 3 }, field: 'id' }],
  copyKeptSecretOfRemoved: [
    { input: {}, field: 'account', message: /Keychain entry is required/ },
    { input: { account: '' }, field: 'account', message: /Keychain entry is required/ },
  ],
  deleteKeptSecretOfRemoved: [{ input: { account: 3 }, field: 'account' }],
  organisationStatus: [{ input: { organisation: 3 }, field: 'organisation', message: /Organisation must be text/ }],
  syncOrganisation: [
    { input: { organisation: '' }, field: 'organisation', message: /Organisation is required/ },
    { input: { full: true }, field: 'full', message: /not a field/ },
  ],
  stopSync: [{ input: { organisation: null }, field: 'organisation' }],
  copyAppToOrganisation: [
    { input: { clientId: 'abc' }, field: 'to', message: /Target organisation is required/ },
    { input: { clientId: 'abc', to: '' }, field: 'to', message: /Target organisation is required/ },
    { input: { to: 'acme' }, field: 'clientId', message: /App ID is required/ },
    { input: { clientId: 'abc', to: 'acme', dryRun: 'yes' }, field: 'dryRun', message: /true or false/ },
    { input: { clientId: 'abc', to: 'acme', secret: 'x' }, field: 'secret', message: /not a field/ },
  ],
  listExpiringSecrets: [
    { input: { withinDays: 0 }, field: 'withinDays', message: /at least 1/ },
    { input: { withinDays: 400 }, field: 'withinDays', message: /at most 365/ },
    { input: { withinDays: 1.5 }, field: 'withinDays', message: /whole number/ },
  ],
  listScopeSets: [{ input: { organisation: 'local' }, field: 'organisation', message: /not a field/ }],
  getScopeSet: [{ input: {}, field: 'setId', message: /Scope set is required/ }],
  saveScopeSet: [
    { input: { scopes: [] }, field: 'name', message: /Scope set name is required/ },
    { input: { name: 'Monitoring', scopes: [{ name: 'OR.Jobs', type: 'both' }] }, field: 'scopes.0.type' },
  ],
  duplicateScopeSet: [{ input: { setId: '' }, field: 'setId', message: /Scope set is required/ }],
  deleteScopeSet: [{ input: {}, field: 'setId', message: /Scope set is required/ }],
  saveDraft: [
    { input: { name: 'Robot' }, field: 'isConfidential', message: /Confidential or Non-confidential/ },
    { input: { name: 'Robot', isConfidential: true, scopes: 'OR.Jobs' }, field: 'scopes', message: /list/ },
  ],
  listDrafts: [{ input: { organisation: '' }, field: 'organisation', message: /Organisation is required/ }],
  deleteDraft: [{ input: {}, field: 'draftId', message: /Draft ID is required/ }],
  registerDraft: [{ input: { draftId: '' }, field: 'draftId', message: /Draft ID is required/ }],
  previewScopeSet: [
    { input: { setId: 'Monitoring' }, field: 'clientIds', message: /some App IDs, or all/ },
    { input: { setId: 'Monitoring', all: true, clientIds: ['a'] }, field: 'clientIds', message: /not both/ },
    { input: { setId: 'Monitoring', all: true, mode: 'merge' }, field: 'mode', message: /add, remove or replace/ },
  ],
  applyScopeSet: [{ input: {}, field: 'previewId', message: /Preview ID is required/ }],
  applyStatus: [{ input: {}, field: 'runId', message: /Run ID is required/ }],
  stopApply: [{ input: { runId: '' }, field: 'runId', message: /Run ID is required/ }],
  savePendingChange: [{ input: {}, field: 'previewId', message: /Preview ID is required/ }],
  listPendingChanges: [{ input: { all: true }, field: 'all', message: /not a field/ }],
  previewPendingChange: [{ input: {}, field: 'changeId', message: /Pending change ID is required/ }],
  deletePendingChange: [{ input: {}, field: 'changeId', message: /Pending change ID is required/ }],
  exportRegistrations: [{ input: { format: 'yaml' }, field: 'format', message: /not a field/ }],
  exportRegistrationsFile: [{ input: { path: '' }, field: 'path', message: /Path must not be empty/ }],
  importRegistrations: [
    { input: { document: { format: 'other' } }, field: 'document.format', message: /oauth-desk-export/ },
    {
      input: {
        document: {
          format: 'oauth-desk-export',
          version: 1,
          exported_at: '2026-01-01T00:00:00Z',
          organisation: { id: 'local', org_name: 'local', base_url: 'http://127.0.0.1' },
          registrations: [
            {
              client_name: 'Robot',
              token_endpoint_auth_method: 'client_secret_basic',
              redirect_uris: [],
              resources: [],
              client_secret: 'x',
            },
          ],
          scope_sets: [],
        },
      },
      field: 'document.registrations.0.client_secret',
      message: /not a field/,
    },
  ],
};

function spyHandlers(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    operationNames.map((name) => [
      name,
      () => {
        calls.push(name);
        return Promise.resolve(null);
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

describe('dispatch', () => {
  it('has malformed cases for every operation of the contract', () => {
    expect(Object.keys(malformed).sort()).toEqual([...operationNames].sort());
  });

  for (const name of operationNames) {
    for (const { input, field, message } of malformed[name]) {
      it(`${name} refuses ${JSON.stringify(input)} naming ${field}, without calling the handler`, async () => {
        const { handlers, calls } = spyHandlers();
        const result = await createDispatch(handlers)(name, input);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('invalid_input');
        const issue = result.error.issues?.find((i) => i.field === field);
        expect(issue, JSON.stringify(result.error.issues)).toBeDefined();
        expect(issue!.message).not.toMatch(/^Invalid input/);
        if (message) expect(issue!.message).toMatch(message);
        expect(calls).toEqual([]);
      });
    }
  }

  // Each field's label travels with its schema (src/shared/contract/), so the same field name reads as its operation means it.
  const labelled: { operation: OperationName; input: unknown; field: string; message: string }[] = [
    {
      operation: 'duplicateScopeSet',
      input: { setId: 's', name: 5 },
      field: 'name',
      message: 'Scope set name must be text.',
    },
    {
      operation: 'saveScopeSet',
      input: { name: 'Monitoring\uD800', scopes: [] },
      field: 'name',
      message: 'Scope set name contains a character that is not valid text.',
    },
    {
      operation: 'saveDraft',
      input: { name: 'Robot\uD800', isConfidential: true },
      field: 'name',
      message: 'Application Name contains a character that is not valid text.',
    },
    {
      operation: 'createApp',
      input: { name: 'A', isConfidential: true, scopes: [{ name: 5, type: 'user' }] },
      field: 'scopes.0.name',
      message: 'Scope name must be text.',
    },
    {
      operation: 'createApp',
      input: { name: 'A', isConfidential: true, scopes: [5] },
      field: 'scopes.0',
      message: 'Scopes must be an object.',
    },
    {
      operation: 'listApps',
      input: { organisation: 'acme\uDC00' },
      field: 'organisation',
      message: 'Organisation contains a character that is not valid text.',
    },
    {
      operation: 'saveScopeSet',
      input: { id: '', name: 'M', scopes: [] },
      field: 'id',
      message: 'Scope set ID must not be empty.',
    },
    {
      operation: 'previewScopeSet',
      input: { setId: 's', clientIds: [7] },
      field: 'clientIds.0',
      message: 'App ID must be text.',
    },
    {
      operation: 'importRegistrations',
      input: {
        document: {
          format: 'oauth-desk-export',
          version: 1,
          exported_at: '2026-01-01T00:00:00Z',
          organisation: { id: 7 },
        },
      },
      field: 'document.organisation.id',
      message: 'id must be text.',
    },
    { operation: 'listActivity', input: 'all', field: 'input', message: 'The input must be an object.' },
  ];
  for (const { operation, input, field, message } of labelled)
    it(`${operation} names ${field} by the label its schema carries`, async () => {
      const result = await createDispatch(spyHandlers().handlers)(operation, input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.issues?.find((i) => i.field === field)?.message).toBe(message);
    });

  it('refuses an unknown operation', async () => {
    const { handlers, calls } = spyHandlers();
    const result = await createDispatch(handlers)('deleteEverything', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ field: 'operation' }] } });
    expect(calls).toEqual([]);
  });

  it('passes parsed input with defaults to the handler', async () => {
    const { handlers } = spyHandlers();
    let seen: unknown;
    handlers.listApps = (input) => {
      seen = input;
      return Promise.resolve([]);
    };
    const result = await createDispatch(handlers)('listApps', undefined);
    expect(result).toEqual({ ok: true, value: [] });
    expect(seen).toEqual({ organisation: 'local', refresh: false });
  });

  it('works on the current organisation when the input names no organisation, and only then', async () => {
    const { handlers } = spyHandlers();
    const seen: unknown[] = [];
    handlers.listApps = (input) => {
      seen.push(input);
      return Promise.resolve([]);
    };
    handlers.listActivity = (input) => {
      seen.push(input);
      return Promise.resolve([]);
    };
    const dispatch = createDispatch(handlers, { currentOrganisation: () => 'acme' });
    await dispatch('listApps', {});
    await dispatch('listApps', { organisation: 'local' });
    await dispatch('listActivity', {});
    expect(seen).toEqual([
      { organisation: 'acme', refresh: false },
      { organisation: 'local', refresh: false },
      { limit: 200 },
    ]);
  });

  it('answers an AppError as its typed envelope', async () => {
    const { handlers } = spyHandlers();
    handlers.getApp = () => Promise.reject(new AppError('not_found', 'No application with App ID x.'));
    expect(await createDispatch(handlers)('getApp', { clientId: 'x' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No application with App ID x.' },
    });
  });

  it('hides an unexpected error behind "internal" and logs it without the input', async () => {
    const { handlers } = spyHandlers();
    handlers.createApp = () => Promise.reject(new TypeError('boom'));
    const logged: string[] = [];
    const dispatch = createDispatch(handlers, { logError: (op, e) => logged.push(`${op}: ${String(e)}`) });
    const result = await dispatch('createApp', { name: 'S3cretName', isConfidential: true, scopes: [] });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!result.ok) expect(result.error.message).not.toContain('boom');
    expect(logged).toEqual(['createApp: TypeError: boom']);
    expect(logged.join()).not.toContain('S3cretName');
  });

  it('answers a 20 000-deep input with a refusal naming its field, not a RangeError, and calls nothing', async () => {
    const { handlers, calls } = spyHandlers();
    let deep: unknown = 'x';
    for (let level = 0; level < 20_000; level += 1) deep = { inner: deep };
    for (const [operation, input] of [
      ['createApp', { name: 'Deep', isConfidential: true, scopes: deep }],
      ['importRegistrations', { document: deep }],
    ] as const) {
      const result = await createDispatch(handlers)(operation, input);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', issues: [{ field: Object.keys(input).at(-1) }] },
      });
    }
    expect(calls).toEqual([]);
  });
});
