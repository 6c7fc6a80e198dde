// The local organisation across starts: its bootstrap, its admin secret in the keychain (and a new one when the keychain
// lost it), and a second process of the same data folder refused while the first owns it.
import { rmSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { identityServerDataDir } from '../../src/main/context';
import { keytar, useDeskHome } from './support';

const desk = useDeskHome();
const { home, keychainService } = desk;
const start = () => desk.open();

describe('the local organisation', () => {
  let adminClientId: string;
  let partition: string;

  it('is bootstrapped at first start, with the admin secret in the keychain', async () => {
    const { context, call } = await start();
    expect(await call('listOrganisations', {})).toEqual([
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
    const organisation = await call('showOrganisation', { organisation: 'local' });
    expect(organisation).toMatchObject({
      issuer: `${context.local.baseUrl}/identity_`,
      tokenUrl: `${context.local.baseUrl}/identity_/connect/token`,
      authorizeUrl: `${context.local.baseUrl}/identity_/connect/authorize`,
      adminSecret: { service: keychainService },
    });
    expect(organisation.partitionGlobalId).toMatch(/^[0-9a-f-]{36}$/i);
    expect(await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account)).toBeTruthy();
    adminClientId = organisation.adminClientId;
    partition = organisation.partitionGlobalId;
    expect((await call('listActivity', {})).map((a) => a.action)).toEqual(['organisation.connect']);
    await call('createApp', {
      name: 'Survives restarts',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    await context.close();
  });

  it('keeps its admin application and partition on the next start, without a new secret', async () => {
    const { context, call } = await start();
    const organisation = await call('showOrganisation', {});
    expect(organisation.adminClientId).toBe(adminClientId);
    expect(organisation.partitionGlobalId).toBe(partition);
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
    const organisation = await call('showOrganisation', {});
    expect(organisation.adminClientId).toBe(adminClientId);
    expect(await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account)).toBeTruthy();
    const activity = await call('listActivity', {});
    expect(activity).toContainEqual(
      expect.objectContaining({ action: 'organisation.admin_secret_reissued', target: adminClientId }),
    );
    // The old secret, which no keychain entry holds any more, is deleted on the server: one admin secret is left.
    expect(activity[0]).toMatchObject({ action: 'secret.delete', target: adminClientId });
    expect((await call('listApps', { refresh: true })).map((a) => a.name)).toContain('Survives restarts');
    await context.close();
  });

  it('gets a new admin secret when the keychain holds one the server no longer accepts', async () => {
    const before = await (async () => {
      const { context, call } = await start();
      const organisation = await call('showOrganisation', {});
      await context.close();
      return organisation;
    })();
    await keytar.setPassword(before.adminSecret.service, before.adminSecret.account, 'not-the-secret');

    const { context, call } = await start();
    const after = await call('showOrganisation', {});
    expect(after.adminSecret.account).not.toBe(before.adminSecret.account);
    expect((await call('listApps', { refresh: true })).map((a) => a.name)).toContain('Survives restarts');
    await context.close();
  });

  it('answers not_found naming the field for a organisation it does not know', async () => {
    const { context } = await start();
    const result = await context.dispatch('showOrganisation', { organisation: 'acme' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found', issues: [{ field: 'organisation' }] } });
    await context.close();
  });

  it('answers a call that arrives while it closes, without running it or logging a failure', async () => {
    const { context } = await start();
    const logged = vi.spyOn(console, 'error');
    const closed = context.close();
    // A window's status poll at quit: it reaches a context whose workspace is being closed.
    const answer = await context.dispatch('organisationStatus', {});
    await closed;
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'OAuth Desk is closing.' } });
    expect(await context.dispatch('listApps', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });
});

describe('a second process of the same data folder', () => {
  it('is refused with a sentence naming the owner, and the folder is free again once the owner closes', async () => {
    const owner = await start();
    await expect(start()).rejects.toThrow(/in use by another oauth-desk command \(process \d+, version /);
    // The refused open changed nothing: the owner still answers.
    expect((await owner.call('listApps', {})).length).toBeGreaterThan(0);
    await owner.context.close();
    const next = await start();
    expect((await next.call('listApps', {})).map((a) => a.name)).toContain('Survives restarts');
    await next.context.close();
  });
});

describe('a reset local server', () => {
  it('drops the cached applications of the old server and lists the new one', async () => {
    rmSync(identityServerDataDir(home), { recursive: true, force: true });
    const { context, call } = await start();
    const rows = await call('listApps', {});
    expect(rows.map((r) => r.name)).toEqual(['OAuth Desk admin']);
    expect((await call('listActivity', { limit: 1 }))[0]).toMatchObject({ action: 'organisation.connect' });
    await context.close();
  });
});
