// The local tenant across starts: its bootstrap, its admin secret in the keychain (and a new one when the keychain
// lost it), a second process of the same data folder using the running server, and offline browsing once it stops.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { identityServerDataDir, serverFilePath } from '../../src/main/context';
import { keytar, useDeskHome } from './support';

const desk = useDeskHome();
const { home, keychainService } = desk;
const start = (reuseRunningServer = false) => desk.open({ reuseRunningServer });

describe('the local tenant', () => {
  let adminClientId: string;
  let partition: string;

  it('is bootstrapped at first start, with the admin secret in the keychain', async () => {
    const { context, call } = await start();
    expect(await call('listTenants', {})).toEqual([
      {
        id: 'local',
        displayName: 'Local Identity Server',
        baseUrl: context.local.baseUrl,
        orgName: 'local',
        isLocal: true,
        signIn: 'embedded',
        isCurrent: true,
      },
    ]);
    const tenant = await call('showTenant', { tenant: 'local' });
    expect(tenant).toMatchObject({
      issuer: `${context.local.baseUrl}/identity_`,
      tokenUrl: `${context.local.baseUrl}/identity_/connect/token`,
      authorizeUrl: `${context.local.baseUrl}/identity_/connect/authorize`,
      adminSecret: { service: keychainService },
    });
    expect(tenant.partitionGlobalId).toMatch(/^[0-9a-f-]{36}$/i);
    expect(await keytar.getPassword(tenant.adminSecret.service, tenant.adminSecret.account)).toBeTruthy();
    adminClientId = tenant.adminClientId;
    partition = tenant.partitionGlobalId;
    expect((await call('listActivity', {})).map((a) => a.action)).toEqual(['tenant.connect']);
    await call('createApp', {
      name: 'Survives restarts',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    await context.close();
    expect(existsSync(serverFilePath(home))).toBe(false);
  });

  it('keeps its admin application and partition on the next start, without a new secret', async () => {
    const { context, call } = await start();
    const tenant = await call('showTenant', {});
    expect(tenant.adminClientId).toBe(adminClientId);
    expect(tenant.partitionGlobalId).toBe(partition);
    expect(
      (await keytar.findCredentials(keychainService)).filter((c) => c.account.includes(adminClientId)),
    ).toHaveLength(1);
    expect((await call('listApps', { refresh: true })).map((a) => a.name)).toContain('Survives restarts');
    await context.close();
  });

  it('gets a new admin secret when the keychain lost the old one', async () => {
    for (const { account } of await keytar.findCredentials(keychainService))
      if (account.includes(adminClientId)) await keytar.deletePassword(keychainService, account);
    const { context, call } = await start();
    const tenant = await call('showTenant', {});
    expect(tenant.adminClientId).toBe(adminClientId);
    expect(await keytar.getPassword(tenant.adminSecret.service, tenant.adminSecret.account)).toBeTruthy();
    expect((await call('listActivity', {}))[0]).toMatchObject({
      action: 'tenant.admin_secret_reissued',
      target: adminClientId,
    });
    expect((await call('listApps', { refresh: true })).map((a) => a.name)).toContain('Survives restarts');
    await context.close();
  });

  it('gets a new admin secret when the keychain holds one the server no longer accepts', async () => {
    const before = await (async () => {
      const { context, call } = await start();
      const tenant = await call('showTenant', {});
      await context.close();
      return tenant;
    })();
    await keytar.setPassword(before.adminSecret.service, before.adminSecret.account, 'not-the-secret');

    const { context, call } = await start();
    const after = await call('showTenant', {});
    expect(after.adminSecret.account).not.toBe(before.adminSecret.account);
    expect((await call('listApps', { refresh: true })).map((a) => a.name)).toContain('Survives restarts');
    await context.close();
  });

  it('answers not_found naming the field for a tenant it does not know', async () => {
    const { context } = await start();
    const result = await context.dispatch('showTenant', { tenant: 'acme' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found', issues: [{ field: 'tenant' }] } });
    await context.close();
  });

  it('answers a call that arrives while it closes, without running it or logging a failure', async () => {
    const { context } = await start();
    const logged = vi.spyOn(console, 'error');
    const closed = context.close();
    // A window's status poll at quit: it reaches a context whose workspace is being closed.
    const answer = await context.dispatch('tenantStatus', {});
    await closed;
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'OAuth Desk is closing.' } });
    expect(await context.dispatch('listApps', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });

  it('starts its own server when server.json names a process that is gone', async () => {
    writeFileSync(
      serverFilePath(home),
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        baseUrl: 'http://127.0.0.1:9',
        orgName: 'local',
        partitionGlobalId: partition,
      }),
    );
    const { context } = await start(true);
    expect(context.local.reused).toBe(false);
    expect(JSON.parse(readFileSync(serverFilePath(home), 'utf8'))).toMatchObject({
      pid: process.pid,
      baseUrl: context.local.baseUrl,
    });
    await context.close();
  });
});

describe('a second process of the same data folder', () => {
  it('uses the running server, and browses from the cache once it stops', async () => {
    const serving = await start();
    const client = await start(true);
    expect(client.context.local).toEqual({ baseUrl: serving.context.local.baseUrl, reused: true });

    const created = await client.call('createApp', {
      name: 'Made through the running server',
      isConfidential: true,
      scopes: [{ name: 'OR.Queues', type: 'application' }],
    });
    expect((await serving.call('listApps', { refresh: true })).map((a) => a.id)).toContain(created.app.id);
    await client.call('listCatalogue', {});

    await serving.context.close();
    expect(existsSync(serverFilePath(home))).toBe(false);

    // Offline: the table, an application and the catalogue come from the workspace cache.
    const rows = await client.call('listApps', {});
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['Survives restarts', 'Made through the running server']),
    );
    expect((await client.call('listApps', { refresh: true })).length).toBe(rows.length);
    expect(await client.call('getApp', { clientId: created.app.id })).toMatchObject({
      name: 'Made through the running server',
    });
    expect((await client.call('listCatalogue', { refresh: true })).length).toBeGreaterThan(0);

    const refused = await client.context.dispatch('createApp', {
      name: 'Offline',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'tenant_unreachable', message: /connection refused/ } });
  });
});

describe('a reset local server', () => {
  it('drops the cached applications of the old server and lists the new one', async () => {
    rmSync(identityServerDataDir(home), { recursive: true, force: true });
    const { context, call } = await start();
    const rows = await call('listApps', {});
    expect(rows.map((r) => r.name)).toEqual(['OAuth Desk admin']);
    expect((await call('listActivity', { limit: 1 }))[0]).toMatchObject({ action: 'tenant.connect' });
    await context.close();
  });
});
