// Hardening II: a compromised window cannot mint an organisation-admin credential. Granting PM.OAuthApp*,
// PM.OAuthAppSecret.Write or PM.User* as application scopes needs main's own confirmation (a stand-in records the
// question the native dialog would ask), such an application's secrets are answered without their value, and the
// admin application is never copied.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import type { ConfirmRequest } from '../../src/main/ports';
import { useDesk } from './support';

const asked: ConfirmRequest[] = [];
const answer = { yes: false };
const desk = useDesk({
  confirm: {
    confirm: (request) => {
      asked.push(request);
      return Promise.resolve(answer.yes);
    },
  },
});

const adminGrade = [
  { name: 'PM.OAuthApp', type: 'application' as const },
  { name: 'PM.OAuthAppSecret.Write', type: 'application' as const },
];

async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('a compromised window minting an organisation-admin credential', { timeout: 60_000 }, () => {
  it('createApp with PM.OAuthApp as application scopes is refused when main is not given a yes', async () => {
    answer.yes = false;
    asked.length = 0;
    const refused = await refusalOf(
      desk.call('createApp', { name: 'Minted admin', isConfidential: true, scopes: adminGrade }),
    );
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toMatch(/PM\.OAuthApp, PM\.OAuthAppSecret\.Write as application scopes in local/);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.message).toContain('PM.OAuthApp, PM.OAuthAppSecret.Write');
    expect(asked[0]?.message).toContain('in local');
    const names = (await desk.call('listApps', { refresh: true })).map((a) => a.name);
    expect(names).not.toContain('Minted admin');
  });

  it('updateApp adding PM.User as an application scope is refused when declined, and nothing changes', async () => {
    answer.yes = false;
    const plain = await desk.call('createApp', {
      name: 'Plain service',
      isConfidential: true,
      redirectUri: 'http://localhost:8080/callback',
      scopes: [{ name: 'PM.OAuthApp.Read', type: 'user' }],
    });
    asked.length = 0;
    const refused = await refusalOf(
      desk.call('updateApp', { clientId: plain.app.id, scopes: [{ name: 'PM.User', type: 'application' }] }),
    );
    expect(refused.message).toMatch(/PM\.User/);
    expect(asked).toHaveLength(1);
    const after = await desk.call('getApp', { clientId: plain.app.id });
    expect(after.resources.flatMap((r) => r.scopes).map((s) => s.name)).toEqual(['PM.OAuthApp.Read']);
  });

  it('a confirmed admin-grade application: its secrets go to the keychain and are never answered', async () => {
    answer.yes = true;
    const created = await desk.call('createApp', { name: 'Confirmed admin', isConfidential: true, scopes: adminGrade });
    expect(created.secret?.value).toBe('');
    const ref = created.secret?.keychain;
    expect(ref && (await keytar.getPassword(ref.service, ref.account))).toMatch(/.{16,}/);
    const generated = await desk.call('generateSecret', { clientId: created.app.id, mode: 'overlap' });
    expect(generated.secret.value).toBe('');
    const kept = await keytar.getPassword(generated.secret.keychain.service, generated.secret.keychain.account);
    expect(kept).toMatch(/.{16,}/);
  });

  it('copyAppToOrganisation refuses the admin application', async () => {
    const { adminClientId } = await desk.call('showOrganisation', {});
    const refused = await refusalOf(
      desk.call('copyAppToOrganisation', { clientId: adminClientId, to: 'elsewhere', dryRun: true }),
    );
    expect(refused.message).toMatch(/admin application OAuth Desk manages local through, so it is not copied/);
  });
});

describe('a hostile organisation answering an endless list', { timeout: 120_000 }, () => {
  it('Test connection reads at most 64 MB of it, says so in a sentence, and memory stays within its budget', async () => {
    answer.yes = true;
    const served = { bytes: 0 };
    const hostile = createServer((request, response) => {
      const base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
      if (request.url?.endsWith('/.well-known/openid-configuration'))
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ issuer: `${base}/identity_`, token_endpoint: `${base}/identity_/connect/token` }));
      if (request.url?.endsWith('/connect/token'))
        return void response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"access_token":"opaque","token_type":"Bearer","expires_in":3600}');
      if (!request.url?.includes('/ExternalClient/')) return void response.writeHead(404).end();
      // The list never ends: an opening bracket, then blank space forever.
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const more = () => {
        while (!response.destroyed && response.write(chunk)) served.bytes += chunk.length;
      };
      response.write('[');
      response.on('drain', more);
      more();
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      global.gc?.();
      const before = process.memoryUsage().rss;
      const { checks } = await desk.call('addOrganisation', {
        id: 'endless',
        baseUrl: `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`,
        orgName: 'endless',
        partitionGlobalId: '8f7c8d5e-1a2b-4c3d-9e8f-001122334455',
        signIn: { method: 'adminApp', clientId: 'admin', clientSecret: 'secret-of-the-hostile-one' },
      });
      const list = checks.find((c) => c.check === 'listApps');
      expect(list?.ok).toBe(false);
      expect(list?.detail).toMatch(/more than 64 MB/);
      // The reading stopped near the cap; the process never held the answer whole.
      expect(served.bytes).toBeLessThan(256 * 1024 * 1024);
      expect(process.memoryUsage().rss - before).toBeLessThan(160 * 1024 * 1024);
    } finally {
      hostile.closeAllConnections();
      await new Promise<void>((resolve) => hostile.close(() => resolve()));
    }
  });
});
