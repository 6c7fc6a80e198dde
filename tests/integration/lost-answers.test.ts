// An answer lost after the organisation committed never doubles an application: a fault proxy of our own forwards a
// create to a real second server, and drops the connection once that server has answered (or answers 502, or drops
// it before forwarding). OAuth Desk reads back before it says anything, and says what is true; running the command
// again does not make a second application unless asked for by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { faultProxy, isCreate, isGenerateSecret, isList, isUpdate, type Fault, type FaultProxy } from './faultProxy';
import { cliOf, freePort, useDeskHome, type OpenedDesk } from './support';

const desk = useDeskHome();
const cli = cliOf(desk, await freePort());

describe('a create whose answer is lost', { timeout: 120_000 }, () => {
  let acme: RunningIdentityServer;
  let proxy: FaultProxy;
  let fault: Fault = 'none';
  let opened: OpenedDesk;

  beforeAll(async () => {
    acme = await startIdentityServer({ dataDir: desk.tempDir(), port: 0, orgName: 'acme' });
    proxy = await faultProxy(acme.baseUrl, (asked) => (isCreate(asked) ? fault : 'none'));
    opened = await desk.open();
    const admin = await acme.ensureAdminClient();
    await opened.call('addOrganisation', {
      id: 'acme',
      baseUrl: proxy.url,
      orgName: 'acme',
      signIn: { method: 'adminApp', clientId: admin.clientId, clientSecret: admin.secret?.value ?? '' },
    });
  });
  afterAll(async () => {
    await opened.context.close();
    await proxy.close();
    await acme.close();
  });

  const named = async (name: string) =>
    (await opened.call('listApps', { organisation: 'acme', refresh: true })).filter((a) => a.name === name);

  it('after the organisation committed: says it was created, lists it once, and asks before a second', async () => {
    fault = 'drop-after-commit';
    const lost = await cli(['apps', 'create', 'Invoice sync', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    fault = 'none';
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(/“Invoice sync” was created in acme, but its answer was lost/);
    expect(lost.stderr).toContain('generate a new one');
    // The dropped connection in words, its code beside them.
    expect(lost.stderr).toMatch(
      /the connection (closed before the answer came \(UND_ERR_SOCKET\)|was reset \(ECONNRESET\))/,
    );
    expect(await named('Invoice sync')).toHaveLength(1);

    const again = await cli(['apps', 'create', 'Invoice sync', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists here');
    expect(await named('Invoice sync')).toHaveLength(1);

    const meant = await cli([
      'apps',
      'create',
      'Invoice sync',
      '--org',
      'acme',
      '--app-scope',
      'OR.Jobs',
      '--allow-duplicate-name',
    ]);
    expect(meant.code).toBe(0);
    expect(await named('Invoice sync')).toHaveLength(2);
  });

  it('after a 502 from a gateway that had forwarded it: the same truth', async () => {
    fault = '502-after-commit';
    const run = await cli(['apps', 'create', 'Payroll export', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    fault = 'none';
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/“Payroll export” was created in acme, but its answer was lost \(acme answered 502/);
    expect(await named('Payroll export')).toHaveLength(1);
  });

  it('before it reached the organisation: says nothing was created, and running it again works', async () => {
    fault = 'drop-before';
    const run = await cli(['apps', 'create', 'Never sent', '--org', 'acme', '--app-scope', 'OR.Jobs']);
    fault = 'none';
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('so nothing was created. Run it again.');
    expect(await named('Never sent')).toHaveLength(0);
    expect((await cli(['apps', 'create', 'Never sent', '--org', 'acme', '--app-scope', 'OR.Jobs'])).code).toBe(0);
    expect(await named('Never sent')).toHaveLength(1);
  });
});

describe('a new secret or an update whose answer is lost', { timeout: 180_000 }, () => {
  let acme: RunningIdentityServer;
  let proxy: FaultProxy;
  let secretFault: Fault = 'none';
  /** The fault of the n-th PUT (0-based) while it is set. */
  let updateFault: ((n: number) => Fault) | null = null;
  let puts = 0;
  let listFault: Fault | null = null;
  let opened: OpenedDesk;

  beforeAll(async () => {
    acme = await startIdentityServer({
      dataDir: desk.tempDir(),
      port: 0,
      orgName: 'acme2',
      rateLimits: { get: 1e6, post: 1e6, put: 1e6, patch: 1e6, delete: 1e6 },
    });
    proxy = await faultProxy(acme.baseUrl, (asked) => {
      if (isGenerateSecret(asked)) return secretFault;
      if (isList(asked) && listFault) return listFault;
      if (isUpdate(asked) && updateFault) return updateFault(puts++);
      return 'none';
    });
    opened = await desk.open();
    const admin = await acme.ensureAdminClient();
    await opened.call('addOrganisation', {
      id: 'acme2',
      baseUrl: proxy.url,
      orgName: 'acme2',
      signIn: { method: 'adminApp', clientId: admin.clientId, clientSecret: admin.secret?.value ?? '' },
    });
  });
  afterAll(async () => {
    await opened.context.close();
    await proxy.close();
    await acme.close();
  });

  const create = async (name: string) =>
    (
      await opened.call('createApp', {
        organisation: 'acme2',
        name,
        isConfidential: true,
        redirectUri: null,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      })
    ).app;
  const serverSecrets = async (clientId: string) =>
    (await opened.call('getApp', { organisation: 'acme2', clientId })).secrets.map((s) => s.id);

  it('GenerateSecret answered after the organisation made it: the secret no one holds is deleted, and said so', async () => {
    const app = await create('Invoice sync');
    const before = await serverSecrets(app.id);
    for (const mode of ['drop-after-commit', '502-after-commit'] as const) {
      secretFault = mode;
      const run = await cli(['apps', 'generate-secret', app.id, '--org', 'acme2', '--description', `lost ${mode}`]);
      secretFault = 'none';
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'A secret was generated for “Invoice sync” in acme2, but its value could not be read',
      );
      expect(run.stderr).toMatch(/No one holds its value, so OAuth Desk deleted it \(secret \d+\); generate another\./);
      expect(run.stderr).not.toMatch(/at .*\.(ts|js|mjs):\d+/);
      // Nothing is left that no one holds: the organisation has the secrets it had.
      expect(await serverSecrets(app.id)).toEqual(before);
    }
    // Then generating another works.
    expect((await cli(['apps', 'generate-secret', app.id, '--org', 'acme2'])).code).toBe(0);
    expect(await serverSecrets(app.id)).toHaveLength(before.length + 1);
  });

  it('GenerateSecret that never reached the organisation: says none was generated', async () => {
    const app = await create('Never generated');
    const before = await serverSecrets(app.id);
    secretFault = 'drop-before';
    const run = await cli(['apps', 'generate-secret', app.id, '--org', 'acme2']);
    secretFault = 'none';
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has no new secret, so none was generated. Run it again.');
    expect(await serverSecrets(app.id)).toEqual(before);
  });

  it('apps update answered 502 after the organisation applied it: reported applied, exit 0', async () => {
    const app = await create('Payroll export');
    updateFault = () => '502-after-commit';
    const run = await cli(['apps', 'update', app.id, '--org', 'acme2', '--name', 'Payroll export v2']);
    updateFault = null;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await opened.call('getApp', { organisation: 'acme2', clientId: app.id })).name).toBe('Payroll export v2');
  });

  it('apps update dropped before it reached the organisation: says it was not applied', async () => {
    const app = await create('Unchanged one');
    updateFault = () => 'drop-before';
    const run = await cli(['apps', 'update', app.id, '--org', 'acme2', '--name', 'Renamed one']);
    updateFault = null;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not hold the change, so it was not applied. Run it again.');
    expect((await opened.call('getApp', { organisation: 'acme2', clientId: app.id })).name).toBe('Unchanged one');
  });

  it('a sync racing a delete and a create: once it ends, the deleted one is gone and the created one there', async () => {
    const doomed = await create('Doomed during sync');
    let held: () => void = () => undefined;
    const wasHeld = new Promise<void>((resolve) => (held = resolve));
    let release: () => void = () => undefined;
    listFault = { hold: new Promise<void>((resolve) => (release = resolve)), held: () => held() };
    const syncing = opened.call('syncOrganisation', { organisation: 'acme2' });
    // The organisation has answered the list with the doomed application in it; the answer is on its way.
    await wasHeld;
    listFault = null;
    await opened.call('deleteApp', { organisation: 'acme2', clientId: doomed.id });
    const born = await create('Born during sync');
    release();
    expect((await syncing).stopped).toBe(false);
    const cached = (await opened.call('listApps', { organisation: 'acme2' })).map((a) => a.id);
    expect(cached).not.toContain(doomed.id);
    expect(cached).toContain(born.id);
    const viaCli = await cli(['apps', 'list', '--org', 'acme2', '--cached']);
    expect(viaCli.stdout).not.toContain('Doomed during sync');
    expect(viaCli.stdout).toContain('Born during sync');
  });

  it("Stop ends a sync's rate-limit wait at once, and the cache keeps what it held", async () => {
    const before = (await opened.call('listApps', { organisation: 'acme2' })).length;
    listFault = { rateLimitSeconds: 120 };
    const started = Date.now();
    const syncing = opened.call('syncOrganisation', { organisation: 'acme2' });
    while ((await opened.call('organisationStatus', { organisation: 'acme2' })).rateLimitedUntil === null)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await opened.call('stopSync', { organisation: 'acme2' })).toEqual({ stopped: true });
    expect((await syncing).stopped).toBe(true);
    listFault = null;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await opened.call('organisationStatus', { organisation: 'acme2' })).rateLimitedUntil).toBeNull();
    expect(await opened.call('listApps', { organisation: 'acme2' })).toHaveLength(before);
  });

  it('a pending change stays, narrowed to what remains, until each of its applications is applied or refused', async () => {
    const apps = [];
    for (let i = 0; i < 6; i++) apps.push(await create(`Pending ${i}`));
    const set = await opened.call('saveScopeSet', {
      name: 'Queues',
      scopes: [{ name: 'OR.Queues', type: 'application' }],
    });
    const preview = await opened.call('previewScopeSet', {
      organisation: 'acme2',
      setId: set.id,
      mode: 'add',
      clientIds: apps.map((a) => a.id),
    });
    const change = await opened.call('savePendingChange', { previewId: preview.previewId });
    const applyChange = async () => {
      const fresh = await opened.call('previewPendingChange', { changeId: change.id });
      let status = await opened.call('applyScopeSet', { previewId: fresh.previewId });
      while (status.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = await opened.call('applyStatus', { runId: status.runId });
      }
      return status;
    };
    // Half the writes never reach the organisation: the run ends, and the change keeps those three.
    puts = 0;
    updateFault = (n) => (n % 2 === 0 ? 'drop-before' : 'none');
    const first = await applyChange();
    updateFault = null;
    const failed = first.results.filter((r) => r.outcome === 'failed').map((r) => r.clientId);
    expect(failed).toHaveLength(3);
    const [left] = await opened.call('listPendingChanges', { organisation: 'acme2' });
    expect(left?.id).toBe(change.id);
    expect([...(left?.clientIds ?? [])].sort()).toEqual([...failed].sort());
    expect(left?.totals.change).toBe(3);
    // Retried: only the three are previewed and written, and then the change is done.
    const second = await applyChange();
    expect(second.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
    expect(await opened.call('listPendingChanges', { organisation: 'acme2' })).toEqual([]);
  });

  it('scope-sets apply over 24 applications, every other PUT answered 502 after the commit: each reported truthfully', async () => {
    const apps = [];
    for (let i = 0; i < 24; i++) apps.push(await create(`Bulk ${String(i).padStart(2, '0')}`));
    await opened.call('saveScopeSet', {
      name: 'Assets read',
      scopes: [{ name: 'OR.Assets.Read', type: 'application' }],
    });
    puts = 0;
    // Half the PUTs are applied and answered 502; a quarter never reach the organisation.
    updateFault = (n) => (n % 2 === 0 ? '502-after-commit' : n % 4 === 1 ? 'drop-before' : 'none');
    const run = await cli([
      'scope-sets',
      'apply',
      'Assets read',
      '--org',
      'acme2',
      '--json',
      ...apps.flatMap((a) => ['--app', a.id]),
    ]);
    updateFault = null;
    const status = JSON.parse(run.stdout) as {
      results: { clientId: string; outcome: string; message: string | null }[];
    };
    const holds = new Map<string, boolean>();
    for (const app of apps) {
      const now = await opened.call('getApp', { organisation: 'acme2', clientId: app.id });
      holds.set(
        app.id,
        now.resources.some((r) => r.scopes.some((s) => s.name === 'OR.Assets.Read')),
      );
    }
    // Every application the organisation holds the change in is reported applied, every other one failed: 0 wrongly.
    for (const r of status.results) expect(r.outcome).toBe(holds.get(r.clientId) ? 'applied' : 'failed');
    const applied = status.results.filter((r) => r.outcome === 'applied');
    expect(applied).toHaveLength(18);
    expect(applied.filter((r) => r.message?.includes('answer was lost')).length).toBe(12);
    expect(status.results.filter((r) => r.outcome === 'failed').every((r) => r.message?.includes('not applied'))).toBe(
      true,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('6 of 24 applications were not applied (failed).');
  });
});
