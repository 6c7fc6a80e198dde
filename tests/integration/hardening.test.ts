// The fixes of the security review, proven against the real parts (workspace, keychain, Identity Servers over HTTP):
// the admin application is managed only by its own flow, a new secret's Copy goes through main, links are built in
// main, names with control characters are refused at every door, exports are private files that never follow a link,
// and the data folder is its owner's only at every start.
import {
  chmodSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityServerDataDir } from '../../src/main/context';
import { DOCUMENTATION_URL } from '../../src/main/services/links';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { AppError } from '../../src/shared/errors';
import { keytar, memoryClipboard, oauthClient, useDesk } from './support';

/** Electron's clipboard and shell.openExternal cannot exist here: a memory clipboard and a recording opener stand in. */
const clipboard = memoryClipboard();
const opened: string[] = [];
const desk = useDesk({
  rateLimits: { get: 10_000, post: 10_000, put: 10_000, delete: 10_000 },
  clipboard,
  openBrowser: {
    open: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  },
});
const { call, home, keychain } = desk;
const exportDir = desk.tempDir();
const acmeDataDir = desk.tempDir();
let acme: RunningIdentityServer;
let acmeAdmin: { clientId: string; secret: string };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** Whether a client-credentials token can be had with this secret: what an integration holding it can do. */
async function secretWorks(issuer: string, clientId: string, secret: string): Promise<boolean> {
  return oidc.clientCredentialsGrant(await oauthClient(issuer, clientId, secret), { scope: 'PM.OAuthApp' }).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  acme = await startIdentityServer({ dataDir: acmeDataDir, port: 0, orgName: 'acme' });
  const admin = await acme.ensureAdminClient();
  if (!admin.secret) throw new Error('acme issued no admin secret on its first start');
  acmeAdmin = { clientId: admin.clientId, secret: admin.secret.value };
  await call('addOrganisation', {
    id: 'acme',
    baseUrl: acme.baseUrl,
    orgName: 'acme',
    signIn: { method: 'adminApp', clientId: acmeAdmin.clientId, clientSecret: acmeAdmin.secret },
  });
});

afterAll(async () => {
  await acme.close();
});

describe('the admin application', { timeout: 60_000 }, () => {
  it('is refused by every ordinary operation, with the reason, and nothing changes', async () => {
    const organisation = await call('showOrganisation', {});
    const clientId = organisation.adminClientId;
    const before = await call('listSecrets', { clientId });
    const [current] = before;
    if (!current) throw new Error('the admin application has no secret');
    const attempts = [
      () => call('generateSecret', { clientId, mode: 'overlap' }),
      () => call('deleteSecret', { clientId, secretId: current.id }),
      () => call('copySecretToClipboard', { clientId, secretId: current.id }),
      () => call('copyNewSecretToClipboard', { clientId, secretId: current.id }),
      () => call('deleteApp', { clientId }),
      () => call('updateApp', { clientId, name: 'Renamed admin' }),
      () => call('exportHandoff', { clientId, format: 'env', includeSecret: true, path: join(exportDir, 'admin.env') }),
    ];
    for (const attempt of attempts) {
      const refused = await refusal(attempt());
      expect(refused).toMatchObject({ code: 'invalid_input', issues: [{ field: 'clientId' }] });
      expect(refused.message).toMatch(/admin application OAuth Desk manages Local Identity Server/);
    }
    expect(await call('listSecrets', { clientId })).toEqual(before);
    expect((await call('getApp', { clientId })).name).not.toBe('Renamed admin');
    expect(clipboard.text).toBe('');
    expect(existsSync(join(exportDir, 'admin.env'))).toBe(false);
  });

  it('of the embedded organisation gets a new secret straight into the keychain, never answered, and the old ones go', async () => {
    const organisation = await call('showOrganisation', {});
    const oldValue = await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account);
    const oldIds = (await call('listSecrets', { clientId: organisation.adminClientId })).map((s) => s.id);

    const rotated = await call('rotateAdminSecret', { organisation: 'local' });

    const after = await call('showOrganisation', {});
    const newValue = await keytar.getPassword(after.adminSecret.service, after.adminSecret.account);
    expect(newValue).toBeTruthy();
    expect(newValue).not.toBe(oldValue);
    expect(JSON.stringify(rotated)).not.toContain(newValue);
    expect(rotated).toEqual({
      rotated: true,
      secretId: expect.any(String) as unknown,
      keychain: after.adminSecret,
      deleted: oldIds,
    });
    expect((await call('listSecrets', { clientId: organisation.adminClientId })).map((s) => s.id)).toEqual([
      rotated.secretId,
    ]);
    // The old keychain entries went with their secrets; the new one works and the old one no longer does.
    expect(await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account)).toBeNull();
    expect(await secretWorks(organisation.issuer, organisation.adminClientId, newValue ?? '')).toBe(true);
    expect(await secretWorks(organisation.issuer, organisation.adminClientId, oldValue ?? '')).toBe(false);
    // OAuth Desk keeps managing the organisation with it.
    expect((await call('listApps', { refresh: true })).some((a) => a.id === organisation.adminClientId)).toBe(true);
    const activity = await call('listActivity', { limit: 5 });
    expect(JSON.stringify(activity)).not.toContain(newValue);
  });

  it('of an organisation added with one gets a new secret in its keychain entry, and the pasted one stops working', async () => {
    const account = `acme/admin/${acmeAdmin.clientId}`;
    const rotated = await call('rotateAdminSecret', { organisation: 'acme' });
    expect(rotated.keychain.account).toBe(account);
    const newValue = await keytar.getPassword(desk.keychainService, account);
    expect(newValue).not.toBe(acmeAdmin.secret);
    expect(await secretWorks(acme.issuer, acmeAdmin.clientId, acmeAdmin.secret)).toBe(false);
    expect(await secretWorks(acme.issuer, acmeAdmin.clientId, newValue ?? '')).toBe(true);
    expect((await call('testOrganisation', { organisation: 'acme' })).every((check) => check.ok)).toBe(true);
  });

  it('keeps its old secret when the keychain refuses the new one, and leaves no new one behind', async () => {
    const organisation = await call('showOrganisation', {});
    const before = (await call('listSecrets', { clientId: organisation.adminClientId })).map((s) => s.id);
    keychain.refusing = true;
    try {
      expect(await refusal(call('rotateAdminSecret', { organisation: 'local' }))).toMatchObject({
        code: 'keychain_unavailable',
      });
    } finally {
      keychain.refusing = false;
    }
    expect((await call('listSecrets', { clientId: organisation.adminClientId })).map((s) => s.id)).toEqual(before);
    expect((await call('listApps', { refresh: true })).length).toBeGreaterThan(0);
  });
});

describe("a new secret's Copy", { timeout: 60_000 }, () => {
  it('goes through main from the keychain, or from the in-memory hold while the keychain refuses it', async () => {
    const scopes = [{ name: 'OR.Jobs', type: 'application' as const }];
    const stored = await call('createApp', { name: 'Copied once', isConfidential: true, scopes });
    const secret = stored.secret!;
    expect(await call('copyNewSecretToClipboard', { clientId: stored.app.id, secretId: secret.id })).toEqual({
      copied: true,
      clearAfterSeconds: 60,
    });
    expect(clipboard.text).toBe(secret.value);

    keychain.refusing = true;
    const held = await call('createApp', { name: 'Copied while refused', isConfidential: true, scopes }).finally(() => {
      keychain.refusing = false;
    });
    expect(held.secret?.stored).toBe(false);
    await call('copyNewSecretToClipboard', { pendingId: held.secret!.pendingId! });
    expect(clipboard.text).toBe(held.secret!.value);
    expect(await refusal(call('copyNewSecretToClipboard', { pendingId: 'no-such-id' }))).toMatchObject({
      issues: [{ field: 'pendingId' }],
    });
  });
});

describe('links', () => {
  it('open only addresses main builds: the documentation, and an organisation’s portal from its record', async () => {
    opened.length = 0;
    expect(await call('openLink', { link: 'documentation' })).toEqual({ opened: true, url: DOCUMENTATION_URL });
    const portal = await call('openLink', { link: 'portal', organisation: 'acme' });
    expect(portal.url).toBe(`${acme.baseUrl}/acme/portal_/admin/external-apps/oauth`);
    expect(await refusal(call('openLink', { link: 'portal', organisation: 'local' }))).toMatchObject({
      issues: [{ field: 'link' }],
    });
    const fromPage = await desk.context.dispatch('openLink', { link: 'portal', url: 'https://evil.example' });
    expect(fromPage).toMatchObject({ ok: false, error: { issues: [{ field: 'url' }] } });
    expect(opened).toEqual([DOCUMENTATION_URL, portal.url]);
  });
});

describe('control characters', () => {
  const hostile = [
    'Line\nbreak',
    'Tab\there',
    'Nul\u0000',
    'Del\u007f',
    'C1\u0085',
    'Sep\u2028arator',
    'Para\u2029graph',
  ];

  it('in names, descriptions and display names are refused by main, naming the field', async () => {
    const before = await call('listApps', {});
    for (const name of hostile) {
      const refused = await refusal(
        call('createApp', { name, isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'application' }] }),
      );
      expect(refused.issues).toEqual([
        { field: 'name', message: expect.stringMatching(/control characters/) as unknown },
      ]);
    }
    const app = before.find((a) => a.name === 'Copied once')!;
    expect((await refusal(call('updateApp', { clientId: app.id, name: 'Two\nlines' }))).issues?.[0]?.field).toBe(
      'name',
    );
    expect(
      (await refusal(call('generateSecret', { clientId: app.id, mode: 'overlap', description: 'x\u2028y' }))).issues,
    ).toEqual([{ field: 'description', message: expect.stringMatching(/control characters/) as unknown }]);
    expect(
      (await refusal(call('createUser', { userName: 'mallory', displayName: 'Mal\nlory', password: 'long enough' })))
        .issues?.[0]?.field,
    ).toBe('displayName');
    expect(await call('listApps', {})).toEqual(before);
  });

  it('are refused by the server too', async () => {
    const config = await oauthClient(
      acme.issuer,
      acmeAdmin.clientId,
      (await keytar.getPassword(desk.keychainService, `acme/admin/${acmeAdmin.clientId}`)) ?? '',
    );
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: 'PM.OAuthApp' });
    const response = await fetch(`${acme.baseUrl}/acme/identity_/api/ExternalClient`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        partitionGlobalId: acme.partitionGlobalId,
        name: 'Injected\n# heading',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/control characters/);
  });
});

describe('exports', () => {
  it('are new private files renamed into place, refuse a symbolic link, and leave nothing half-written', async () => {
    const { app } = await call('createApp', {
      name: 'Exported',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    const existing = join(exportDir, 'existing.md');
    writeFileSync(existing, 'old', { mode: 0o644 });
    chmodSync(existing, 0o644);
    await call('exportHandoff', { clientId: app.id, format: 'md', path: existing });
    expect(statSync(existing).mode & 0o777).toBe(0o600);
    expect(readFileSync(existing, 'utf8')).toMatch(/^# Exported$/m);

    const victim = join(exportDir, 'bashrc');
    writeFileSync(victim, 'untouched');
    const link = join(exportDir, 'link.env');
    symlinkSync(victim, link);
    expect(
      (await refusal(call('exportHandoff', { clientId: app.id, format: 'env', path: link }))).issues?.[0],
    ).toMatchObject({ field: 'path', message: expect.stringMatching(/symbolic link/) as unknown });
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);

    const missingFolder = join(exportDir, 'no-such-folder', 'x.md');
    expect(
      (await refusal(call('exportHandoff', { clientId: app.id, format: 'md', path: missingFolder }))).issues?.[0]
        ?.field,
    ).toBe('path');
    expect(readdirSync(exportDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the data folder', () => {
  it('is tightened at every start: folders 0700, databases and their -wal/-shm 0600', async () => {
    const serverDir = identityServerDataDir(home);
    const files = [
      join(home, 'workspace.db'),
      join(home, 'workspace.db-wal'),
      join(serverDir, 'identity.db'),
      join(serverDir, 'identity.db-wal'),
    ];
    chmodSync(home, 0o755);
    chmodSync(serverDir, 0o755);
    for (const file of files) if (existsSync(file)) chmodSync(file, 0o644);

    // The next start: the process that owned the folder closes first.
    await desk.context.close();
    const second = await desk.open({ home });
    await second.context.close();

    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(serverDir).mode & 0o777).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm']) {
      for (const db of [join(home, 'workspace.db'), join(serverDir, 'identity.db')]) {
        if (existsSync(db + suffix))
          expect({ file: db + suffix, mode: statSync(db + suffix).mode & 0o777 }).toEqual({
            file: db + suffix,
            mode: 0o600,
          });
      }
    }
  });
});
