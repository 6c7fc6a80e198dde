// Hardening II: a compromised window cannot mint an organisation-admin credential. Granting PM.OAuthApp*,
// PM.OAuthAppSecret.Write or PM.User* as application scopes needs main's own confirmation (a stand-in records the
// question the native dialog would ask), such an application's secrets are answered without their value, and the
// admin application is never copied.
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import type { ConfirmRequest } from '../../src/main/ports';
import { useDesk } from './support';

const asked: ConfirmRequest[] = [];
const answer = { yes: false };
const opened: string[] = [];
const desk = useDesk({
  openBrowser: {
    open: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  },
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
    expect(refused.message).toMatch(
      /PM\.OAuthApp, PM\.OAuthAppSecret\.Write as application scopes in Local Identity Server/,
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]?.message).toContain('PM.OAuthApp, PM.OAuthAppSecret.Write');
    expect(asked[0]?.message).toContain('in Local Identity Server');
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

  it('a scope set applying PM.OAuthApp as an application scope to many applications asks main once, naming them', async () => {
    answer.yes = true;
    const apps: { id: string }[] = [];
    for (const name of ['Bulk one', 'Bulk two', 'Bulk three'])
      apps.push(
        (
          await desk.call('createApp', {
            name,
            isConfidential: true,
            scopes: [{ name: 'OR.Queues', type: 'application' }],
          })
        ).app,
      );
    const set = await desk.call('saveScopeSet', { name: 'Admin grade', scopes: [adminGrade[0]!] });
    const run = async () => {
      const preview = await desk.call('previewScopeSet', { setId: set.id, clientIds: apps.map((a) => a.id) });
      let status = await desk.call('applyScopeSet', { previewId: preview.previewId });
      while (status.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = await desk.call('applyStatus', { runId: status.runId });
      }
      return status;
    };
    const granted = async () => {
      let count = 0;
      for (const app of apps) {
        const now = await desk.call('getApp', { clientId: app.id });
        if (now.resources.some((r) => r.scopes.some((s) => s.name === 'PM.OAuthApp'))) count++;
      }
      return count;
    };

    answer.yes = false;
    asked.length = 0;
    const refused = await refusalOf(run());
    expect(refused.message).toMatch(
      /Granting PM\.OAuthApp as application scopes in Local Identity Server needs your confirmation/,
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]?.message).toMatch(
      /3 applications \(“Bulk one”, “Bulk two”, “Bulk three”\) PM\.OAuthApp .* in Local Identity Server/,
    );
    expect(await granted()).toBe(0);

    answer.yes = true;
    asked.length = 0;
    const status = await run();
    expect(asked).toHaveLength(1);
    expect(status.results.filter((r) => r.outcome === 'applied')).toHaveLength(3);
    expect(await granted()).toBe(3);
  });

  it('copyAppToOrganisation refuses the admin application', async () => {
    const { adminClientId } = await desk.call('showOrganisation', {});
    const refused = await refusalOf(
      desk.call('copyAppToOrganisation', { clientId: adminClientId, to: 'elsewhere', dryRun: true }),
    );
    expect(refused.message).toMatch(
      /admin application OAuth Desk manages Local Identity Server through, so it is not copied/,
    );
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

/** A loopback organisation counting every request it receives; `discovery` adds to its discovery document. */
async function countingOrganisation(
  discovery: (base: string) => Record<string, string> = () => ({}),
  apps: () => unknown[] = () => [],
) {
  const seen = { requests: 0 };
  const server = createServer((request, response) => {
    seen.requests++;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.url?.endsWith('/.well-known/openid-configuration'))
      json({ issuer: `${base}/identity_`, token_endpoint: `${base}/identity_/connect/token`, ...discovery(base) });
    else if (request.url?.endsWith('/connect/token'))
      json({ access_token: 'opaque', token_type: 'Bearer', expires_in: 3600 });
    else if (request.url?.includes('/ExternalClient')) json(apps());
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    seen,
    baseUrl: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a compromised window adding an organisation to exfiltrate or open the browser', { timeout: 60_000 }, () => {
  it('addOrganisation to a host main was not given a yes for sends that host no request at all', async () => {
    const organisation = await countingOrganisation();
    try {
      const input = {
        id: 'exfiltration',
        baseUrl: organisation.baseUrl,
        orgName: 'exfiltration',
        partitionGlobalId: '8f7c8d5e-1a2b-4c3d-9e8f-001122334455',
        signIn: { method: 'adminApp' as const, clientId: 'admin', clientSecret: 'a-value-the-page-wants-sent' },
      };
      answer.yes = false;
      asked.length = 0;
      const refused = await refusalOf(desk.call('addOrganisation', input));
      expect(refused.message).toBe(
        `Adding an organisation at ${organisation.host} needs your confirmation, which was not given; nothing was sent to ${organisation.host}.`,
      );
      expect(organisation.seen.requests).toBe(0);
      expect(asked).toHaveLength(1);
      expect(asked[0]?.host).toBe(organisation.host);
      expect(asked[0]?.message).toBe(`Add the organisation exfiltration at ${organisation.host}?`);
      expect(asked[0]?.detail).toMatch(/has not contacted 127\.0\.0\.1:\d+ before.*admin application's secret is sent/);
      expect((await desk.call('listOrganisations', {})).map((o) => o.id)).not.toContain('exfiltration');

      answer.yes = true;
      const added = await desk.call('addOrganisation', input);
      expect(added.organisation.id).toBe('exfiltration');
      expect(organisation.seen.requests).toBeGreaterThan(0);
    } finally {
      await organisation.close();
    }
  });

  it("an account sign-in opens no page the confirmed host's discovery puts on another host", async () => {
    const organisation = await countingOrganisation(() => ({
      authorization_endpoint: 'https://sign-in.attacker.example/authorize',
    }));
    try {
      answer.yes = true;
      opened.length = 0;
      const refused = await refusalOf(
        desk.call('addOrganisation', {
          id: 'elsewhere-sign-in',
          baseUrl: organisation.baseUrl,
          orgName: 'elsewhere',
          signIn: { method: 'account', clientId: 'desk' },
        }),
      );
      expect(refused.message).toBe(
        `${organisation.baseUrl}'s discovery document puts its sign-in page on https://sign-in.attacker.example, not on ${organisation.baseUrl}, so OAuth Desk opens no sign-in page for it; check the base URL.`,
      );
      expect(opened).toEqual([]);
    } finally {
      await organisation.close();
    }
  });
});

/** An application as UiPath answers it, with `scopes` scopes whose descriptions are `description`. */
function appDto(id: string, scopes: number, description = '') {
  return {
    id,
    name: id,
    isConfidential: true,
    redirectUri: null,
    resources: [
      {
        name: 'OR',
        displayName: 'Orchestrator',
        scopes: Array.from({ length: scopes }, (_, i) => ({ name: `OR.S${i}`, type: 'application', description })),
      },
    ],
    secrets: [],
  };
}

async function addCounting(id: string, organisation: { baseUrl: string }) {
  answer.yes = true;
  await desk.call('addOrganisation', {
    id,
    baseUrl: organisation.baseUrl,
    orgName: id,
    partitionGlobalId: '8f7c8d5e-1a2b-4c3d-9e8f-001122334455',
    signIn: { method: 'adminApp', clientId: 'admin', clientSecret: `secret-of-${id}` },
  });
}

describe('a hostile organisation making OAuth Desk hold or keep more than it should', { timeout: 120_000 }, () => {
  it('an application of 2 500 scopes, or of over 1 MB of JSON, is refused by name, not held', async () => {
    const shape = { huge: 'scopes' as 'scopes' | 'bytes' };
    const organisation = await countingOrganisation(undefined, () => [
      appDto('Ordinary', 3),
      shape.huge === 'scopes' ? appDto('Huge', 2500) : appDto('Huge', 3, 'x'.repeat(600 * 1024)),
    ]);
    try {
      await addCounting('oversized', organisation);
      const byScopes = await refusalOf(desk.call('listApps', { organisation: 'oversized', refresh: true }));
      expect(byScopes.message).toBe(
        'oversized answered “Huge” (App ID Huge) with 2,500 scopes, more than the 2,000 OAuth Desk reads for one application; nothing of the answer was kept. Check that application in the organisation.',
      );
      shape.huge = 'bytes';
      const byBytes = await refusalOf(desk.call('listApps', { organisation: 'oversized', refresh: true }));
      expect(byBytes.message).toMatch(
        /^oversized answered “Huge” \(App ID Huge\) with 1\.8 MB of JSON, more than the 1 MB/,
      );
    } finally {
      await organisation.close();
    }
  });

  it('an input of more than 2 000 scopes is refused at the door, naming the field', async () => {
    const scopes = Array.from({ length: 2001 }, (_, i) => ({ name: `OR.S${i}`, type: 'application' as const }));
    const refused = await refusalOf(desk.call('createApp', { name: 'Too many', isConfidential: true, scopes }));
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toMatch(/Scopes must be at most 2,000/);
  });

  it("removing an organisation with a large cache gives workspace.db's space back", async () => {
    const apps = Array.from({ length: 3000 }, (_, i) => appDto(`Cached ${i}`, 5, 'd'.repeat(400)));
    const organisation = await countingOrganisation(undefined, () => apps);
    const sizeOf = () =>
      ['workspace.db', 'workspace.db-wal']
        .map((name) => join(desk.home, name))
        .reduce((sum, path) => sum + (existsSync(path) ? statSync(path).size : 0), 0);
    try {
      await addCounting('large-cache', organisation);
      expect(await desk.call('listApps', { organisation: 'large-cache', refresh: true })).toHaveLength(3000);
      const before = sizeOf();
      expect(before).toBeGreaterThan(8 * 1024 * 1024);
      await desk.call('removeOrganisation', { organisation: 'large-cache' });
      const after = sizeOf();
      expect(after).toBeLessThan(before / 4);
    } finally {
      await organisation.close();
    }
  });
});
