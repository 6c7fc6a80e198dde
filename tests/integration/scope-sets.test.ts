// Scope sets, drafts and registrations as code against the real parts: the workspace's SQLite, the real keychain and
// embedded Identity Servers over HTTP. A second server plays the organisation "acme" and is stopped and started again
// to be offline; a third, with a low PUT limit, is the organisation an apply is stopped half-way in.
import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { scopesOf } from '../../src/shared/changes';
import { AppError } from '../../src/shared/errors';
import type { ApplyStatus, ExportDocument, ExternalClient, ScopeRequest } from '../../src/shared/model';
import { filesContaining, keytar, oauthClient, useDeskHome, type Call, type OpenedDesk } from './support';

const LIFTED = { get: 100_000, post: 100_000, put: 100_000, delete: 100_000 };
const desk = useDeskHome();
let opened: OpenedDesk;
let call: Call;

let acme: RunningIdentityServer | undefined;
const acmeDir = desk.tempDir();
let acmePort = 0;

async function startAcme(): Promise<RunningIdentityServer> {
  acme = await startIdentityServer({ dataDir: acmeDir, port: acmePort, orgName: 'acme', rateLimits: LIFTED });
  acmePort = Number(new URL(acme.baseUrl).port);
  return acme;
}

/** Every secret value the tests saw, to prove none reaches a file. */
const secretsSeen: string[] = [];

const QUEUE_WORKER: ScopeRequest[] = [
  { name: 'OR.Queues', type: 'application' },
  { name: 'OR.Jobs.Read', type: 'application' },
  { name: 'OR.Queues.Read', type: 'user' },
];

beforeAll(async () => {
  opened = await desk.open({ rateLimits: LIFTED });
  call = opened.call;
  const server = await startAcme();
  const admin = await server.ensureAdminClient();
  if (!admin.secret) throw new Error('acme issued no admin secret on its first start');
  secretsSeen.push(admin.secret.value);
  await call('addOrganisation', {
    id: 'acme',
    baseUrl: server.baseUrl,
    orgName: 'acme',
    signIn: { method: 'adminApp', clientId: admin.clientId, clientSecret: admin.secret.value },
  });
  await call('syncOrganisation', { organisation: 'acme' });
  await call('listCatalogue', { organisation: 'local' });
}, 60_000);

afterAll(async () => {
  await acme?.close();
});

/** The scopes of an access token the application gets with client credentials, or the server's refusal. */
async function tokenScopes(
  organisation: 'local' | 'acme',
  clientId: string,
  secret: string,
  scope: string,
): Promise<string[] | 'refused'> {
  const issuer = (await call('showOrganisation', { organisation })).issuer;
  const client = await oauthClient(issuer, clientId, secret);
  try {
    const token = await oidc.clientCredentialsGrant(client, { scope });
    return String(decodeJwt(token.access_token).scope).split(' ').sort();
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_scope') return 'refused';
    throw error;
  }
}

async function finished(runId: string): Promise<ApplyStatus> {
  for (;;) {
    const status = await call('applyStatus', { runId });
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const byType = (scopes: ScopeRequest[], type: ScopeRequest['type']) =>
  scopes
    .filter((s) => s.type === type)
    .map((s) => s.name)
    .sort();

describe('drafting offline, then registering and applying once the organisation answers', () => {
  let acmeRobot: ExternalClient;

  beforeAll(async () => {
    const created = await call('createApp', {
      organisation: 'acme',
      name: 'Acme robot',
      isConfidential: true,
      redirectUri: 'https://robot.acme.example/callback',
      scopes: [{ name: 'OR.Folders.Read', type: 'application' }],
    });
    acmeRobot = created.app;
    secretsSeen.push(created.secret!.value);
  });

  it('drafts a scope set, a registration and a pending change while acme is stopped, and they survive a restart', async () => {
    await acme?.close();
    acme = undefined;
    // acme is offline: a registration cannot be created there now.
    await expect(
      call('createApp', {
        organisation: 'acme',
        name: 'Offline robot',
        isConfidential: true,
        scopes: [{ name: 'OR.Folders.Read', type: 'application' }],
      }),
    ).rejects.toMatchObject({ code: 'organisation_unreachable' });

    const set = await call('saveScopeSet', {
      name: 'Queue worker',
      description: 'Works the invoice queues',
      scopes: QUEUE_WORKER,
    });
    expect(set.heldBy.sort()).toEqual(['acme', 'local']);
    const draft = await call('saveDraft', {
      organisation: 'acme',
      name: 'Offline robot',
      isConfidential: true,
      redirectUri: 'https://offline.acme.example/callback',
      scopes: [{ name: 'OR.Folders.Read', type: 'application' }],
    });
    expect(draft.problems).toEqual([]);
    const preview = await call('previewScopeSet', {
      organisation: 'acme',
      setId: 'Queue worker',
      all: true,
      refresh: true,
    });
    expect(preview.fromCache).toBe(true);
    expect(preview.apps.map((a) => [a.name, a.outcome])).toEqual([['Acme robot', 'change']]);
    await call('savePendingChange', { previewId: preview.previewId });

    await opened.context.close();
    opened = await desk.open({ rateLimits: LIFTED });
    call = opened.call;

    expect((await call('listScopeSets', {})).map((s) => [s.name, s.description, s.scopes])).toEqual([
      ['Queue worker', 'Works the invoice queues', QUEUE_WORKER],
    ]);
    expect((await call('listDrafts', { organisation: 'acme' })).map((d) => [d.id, d.name])).toEqual([
      [draft.id, 'Offline robot'],
    ]);
    expect(
      (await call('listPendingChanges', { organisation: 'acme' })).map((p) => [p.setName, p.mode, p.clientIds]),
    ).toEqual([['Queue worker', 'add', null]]);
  });

  it('registers the draft once acme answers: the app exists, its secret is in the keychain and gets a token', async () => {
    await startAcme();
    const [draft] = await call('listDrafts', { organisation: 'acme' });
    const registered = await call('registerDraft', { draftId: draft!.id });
    expect(registered.app.name).toBe('Offline robot');
    const secret = registered.secret!;
    secretsSeen.push(secret.value);
    expect(await keytar.getPassword(secret.keychain.service, secret.keychain.account)).toBe(secret.value);
    expect(await tokenScopes('acme', registered.app.id, secret.value, 'OR.Folders.Read')).toEqual(['OR.Folders.Read']);
    expect(await call('listDrafts', { organisation: 'acme' })).toEqual([]);
  });

  it('previews the pending change afresh after the sync and applies it', async () => {
    const [pending] = await call('listPendingChanges', { organisation: 'acme' });
    const fresh = await call('previewPendingChange', { changeId: pending!.id });
    expect(fresh.fromCache).toBe(false);
    // Fresh: the registered draft is one of the applications now.
    expect(fresh.apps.map((a) => a.name).sort()).toEqual(['Acme robot', 'Offline robot']);
    const run = await finished((await call('applyScopeSet', { previewId: fresh.previewId })).runId);
    expect(run.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(await call('listPendingChanges', { organisation: 'acme' })).toEqual([]);
    const app = await call('getApp', { organisation: 'acme', clientId: acmeRobot.id });
    expect(byType(scopesOf(app), 'application')).toEqual(['OR.Folders.Read', 'OR.Jobs.Read', 'OR.Queues']);
  });
});

describe('applying a scope set to 50 applications', () => {
  const confidential: { app: ExternalClient; secret: string }[] = [];
  const browserApps: ExternalClient[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 40; i++) {
      const created = await call('createApp', {
        name: `Worker ${String(i).padStart(2, '0')}`,
        isConfidential: true,
        redirectUri: `https://worker${i}.example.com/callback`,
        scopes: [{ name: 'OR.Folders.Read', type: 'application' }],
      });
      confidential.push({ app: created.app, secret: created.secret!.value });
      secretsSeen.push(created.secret!.value);
    }
    for (let i = 0; i < 10; i++)
      browserApps.push(
        (
          await call('createApp', {
            name: `Browser ${i}`,
            isConfidential: false,
            redirectUri: `https://browser${i}.example.com/callback`,
            scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
          })
        ).app,
      );
  }, 120_000);

  const clientIds = () => [...confidential.map((c) => c.app.id), ...browserApps.map((a) => a.id)];

  it('add: the preview lists what each app gains and what the rules refuse; tokens then carry the new scopes', async () => {
    const preview = await call('previewScopeSet', { setId: 'Queue worker', mode: 'add', clientIds: clientIds() });
    expect(preview.totals).toMatchObject({
      apps: 50,
      change: 50,
      refused: 0,
      applicationScopesAdded: 80,
      userScopesAdded: 50,
    });
    expect(preview.estimate).toMatchObject({ writes: 50, limitedBy: null, limitsOf: 'embedded' });
    const browser = preview.apps.find((a) => a.clientId === browserApps[0]!.id)!;
    expect(browser.added).toEqual({ user: ['OR.Queues.Read'], application: [] });
    expect(browser.refusals).toEqual([
      'A non-confidential application cannot have application scopes (OR.Queues, OR.Jobs.Read); they are left out.',
    ]);
    expect(preview.apps.find((a) => a.clientId === confidential[0]!.app.id)!.added).toEqual({
      user: ['OR.Queues.Read'],
      application: ['OR.Jobs.Read', 'OR.Queues'],
    });
    // The same preview as a plan, the one shape of every preview: each application an update, the left-out scopes said.
    expect(preview.plan.summary.counts).toEqual({ create: 0, update: 50, unchanged: 0, refused: 0 });
    expect(preview.plan.entries.find((e) => e.app.id === browserApps[0]!.id)).toMatchObject({
      action: 'update',
      changes: { added: browser.added, removed: browser.removed },
      refusals: browser.refusals,
    });

    const run = await finished((await call('applyScopeSet', { previewId: preview.previewId })).runId);
    expect(run).toMatchObject({ state: 'done', done: 50, total: 50, conflicts: [] });
    expect(new Set(run.results.map((r) => r.outcome))).toEqual(new Set(['applied']));
    const { app, secret } = confidential[7]!;
    expect(await tokenScopes('local', app.id, secret, 'OR.Queues OR.Jobs.Read')).toEqual(['OR.Jobs.Read', 'OR.Queues']);
    const onServer = await call('getApp', { clientId: browserApps[3]!.id });
    expect(scopesOf(onServer).filter((s) => s.type === 'application')).toEqual([]);
    expect(byType(scopesOf(onServer), 'user')).toEqual(['OR.Folders.Read', 'OR.Queues.Read']);
  });

  it('remove: the set’s scopes go, and a token for a removed scope is refused', async () => {
    const preview = await call('previewScopeSet', { setId: 'Queue worker', mode: 'remove', clientIds: clientIds() });
    expect(preview.totals).toMatchObject({ change: 50, applicationScopesRemoved: 80, userScopesRemoved: 50 });
    const run = await finished((await call('applyScopeSet', { previewId: preview.previewId })).runId);
    expect(run.results.every((r) => r.outcome === 'applied')).toBe(true);
    const { app, secret } = confidential[12]!;
    expect(await tokenScopes('local', app.id, secret, 'OR.Queues')).toBe('refused');
    expect(await tokenScopes('local', app.id, secret, 'OR.Folders.Read')).toEqual(['OR.Folders.Read']);
  });

  it("replace: each app holds exactly the set's scopes (a non-confidential one its user scopes only)", async () => {
    const preview = await call('previewScopeSet', { setId: 'Queue worker', mode: 'replace', clientIds: clientIds() });
    const run = await finished((await call('applyScopeSet', { previewId: preview.previewId })).runId);
    expect(run.results.every((r) => r.outcome === 'applied')).toBe(true);
    const { app, secret } = confidential[20]!;
    expect(await tokenScopes('local', app.id, secret, 'OR.Folders.Read')).toBe('refused');
    expect(await tokenScopes('local', app.id, secret, 'OR.Queues')).toEqual(['OR.Queues']);
    const worker = await call('getApp', { clientId: app.id });
    expect([byType(scopesOf(worker), 'user'), byType(scopesOf(worker), 'application')]).toEqual([
      ['OR.Queues.Read'],
      ['OR.Jobs.Read', 'OR.Queues'],
    ]);
    const browser = await call('getApp', { clientId: browserApps[5]!.id });
    expect(scopesOf(browser)).toEqual([{ name: 'OR.Queues.Read', type: 'user' }]);
  });

  it('an app changed on the server between preview and apply is held back as a conflict; the others go through', async () => {
    await call('saveScopeSet', {
      name: 'Monitoring',
      scopes: [{ name: 'OR.Monitoring.Read', type: 'application' }],
    });
    const ids = confidential.map((c) => c.app.id);
    const preview = await call('previewScopeSet', { setId: 'Monitoring', mode: 'add', clientIds: ids });
    expect(preview.totals.change).toBe(40);

    // Someone else (the portal, another admin) renames three of them through the server's API.
    const local = await call('showOrganisation', { organisation: 'local' });
    const adminSecret = (await keytar.getPassword(local.adminSecret.service, local.adminSecret.account))!;
    const tokenAnswer = await fetch(local.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: local.adminClientId,
        client_secret: adminSecret,
        scope: 'PM.OAuthApp',
      }),
    });
    const { access_token: adminToken } = (await tokenAnswer.json()) as { access_token: string };
    const changedElsewhere = ids.slice(0, 3);
    for (const clientId of changedElsewhere) {
      const app = await call('getApp', { clientId });
      const answer = await fetch(
        `${local.baseUrl}/${local.orgName}/identity_/api/ExternalClient/${local.partitionGlobalId}/${clientId}`,
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            name: `${app.name} (renamed elsewhere)`,
            redirectUri: app.redirectUri,
            scopes: scopesOf(app),
          }),
        },
      );
      expect(answer.status).toBe(200);
    }

    const run = await finished((await call('applyScopeSet', { previewId: preview.previewId })).runId);
    expect(run.conflicts.map((c) => c.clientId).sort()).toEqual([...changedElsewhere].sort());
    const conflict = run.conflicts[0]!;
    expect(conflict.current.name).toBe(`${conflict.previewed.name} (renamed elsewhere)`);
    expect(run.results.filter((r) => r.outcome === 'applied')).toHaveLength(37);
    for (const clientId of changedElsewhere) {
      const app = await call('getApp', { clientId });
      expect(app.name).toMatch(/renamed elsewhere/);
      expect(byType(scopesOf(app), 'application')).not.toContain('OR.Monitoring.Read');
    }
    expect(byType(scopesOf(await call('getApp', { clientId: ids[10]! })), 'application')).toContain(
      'OR.Monitoring.Read',
    );
  });
});

describe('stopping an apply half-way', () => {
  it('reports what was applied, and the server holds exactly that: nothing half-written', async () => {
    // An organisation that lets 10 PUTs through every 2 s: the run waits on its limit, and Stop lands in the wait.
    const slow = await desk.open({
      home: desk.tempDir(),
      rateLimits: { get: 100_000, post: 100_000, put: 10, windowSeconds: 2 },
    });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(
        (
          await slow.call('createApp', {
            name: `Slow ${i}`,
            isConfidential: false,
            redirectUri: 'https://slow.example.com/callback',
            scopes: [{ name: 'OR.Folders.Read', type: 'user' }],
          })
        ).app.id,
      );
    await slow.call('saveScopeSet', { name: 'Readers', scopes: [{ name: 'OR.Jobs.Read', type: 'user' }] });
    const preview = await slow.call('previewScopeSet', { setId: 'Readers', all: true });
    expect(preview.estimate).toMatchObject({ writes: 30, limitedBy: 'put', seconds: 5 });
    const started = await slow.call('applyScopeSet', { previewId: preview.previewId });
    let status = started;
    while (status.done < 10) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await slow.call('applyStatus', { runId: started.runId });
    }
    expect(await slow.call('stopApply', { runId: started.runId })).toEqual({ stopped: true });
    for (; status.state === 'running'; await new Promise((resolve) => setTimeout(resolve, 50)))
      status = await slow.call('applyStatus', { runId: started.runId });

    expect(status.state).toBe('stopped');
    const applied = status.results.filter((r) => r.outcome === 'applied').map((r) => r.clientId);
    const notRun = status.results.filter((r) => r.outcome === 'notRun').map((r) => r.clientId);
    expect(applied.length).toBeGreaterThanOrEqual(10);
    expect(notRun.length).toBeGreaterThan(0);
    expect(applied.length + notRun.length).toBe(30);
    for (const clientId of ids) {
      const app = await slow.call('getApp', { clientId });
      expect(byType(scopesOf(app), 'user')).toEqual(
        applied.includes(clientId) ? ['OR.Folders.Read', 'OR.Jobs.Read'] : ['OR.Folders.Read'],
      );
    }
    await slow.context.close();
  }, 60_000);
});

describe('registrations as code', () => {
  let document: ExportDocument;
  let file: string;

  it('exports the registrations and scope sets to a file that holds no secret', async () => {
    file = join(desk.tempDir(), 'local.json');
    expect(await call('exportRegistrationsFile', { path: file })).toEqual({ path: file });
    document = JSON.parse(readFileSync(file, 'utf8')) as ExportDocument;
    expect(document.registrations).toHaveLength(50);
    expect(document.scope_sets.map((s) => s.name)).toEqual(['Monitoring', 'Queue worker']);
    expect(filesContaining(join(file, '..'), secretsSeen)).toEqual([]);
    expect(await call('exportRegistrations', {})).toMatchObject({ registrations: document.registrations });
  });

  it('writes the export as the handoff is written: 0600 over an existing file, never through a symbolic link', async () => {
    const dir = desk.tempDir();
    const target = join(dir, 'registrations.json');
    writeFileSync(target, 'old');
    chmodSync(target, 0o644);
    expect(await call('exportRegistrationsFile', { path: target })).toEqual({ path: target });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['registrations.json']);

    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(dir, 'link.json'));
    await expect(call('exportRegistrationsFile', { path: join(dir, 'link.json') })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/symbolic link/) as unknown,
    });
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'registrations.json', 'victim.txt']);
  });

  it('imports into acme: a dry run changes nothing, the real run creates them as they were', async () => {
    const withBad: ExportDocument = {
      ...document,
      registrations: [
        ...document.registrations,
        {
          client_name: 'Bad',
          token_endpoint_auth_method: 'none',
          redirect_uris: [],
          resources: [{ name: 'Nowhere', user_scopes: ['Nope.Read'], application_scopes: [] }],
        },
      ],
    };
    const before = await call('listApps', { organisation: 'acme', refresh: true });
    const dry = await call('importRegistrations', { organisation: 'acme', document: withBad, dryRun: true });
    expect(dry.registrations.filter((r) => r.action === 'create')).toHaveLength(50);
    expect(dry.registrations.find((r) => r.name === 'Bad')).toMatchObject({
      action: 'refused',
      messages: [
        'Scope Nope.Read does not exist in the resource catalogue.',
        'Redirect URL is required when the application has user scopes.',
      ],
    });
    expect(dry.scopeSets.map((s) => s.action)).toEqual(['unchanged', 'unchanged']);
    // Its plan: the same judgement per application, a create with no App ID yet, the refused one with its messages.
    expect(dry.plan.entries.map((e) => e.action)).toEqual(dry.registrations.map((r) => r.action));
    expect(dry.plan.summary).toMatchObject({ organisation: { id: 'acme' }, counts: { create: 50, refused: 1 } });
    expect(dry.plan.entries.find((e) => e.app.name === 'Bad')).toMatchObject({
      app: { id: null },
      refusals: dry.registrations.find((r) => r.name === 'Bad')!.messages,
    });
    expect(await call('listApps', { organisation: 'acme', refresh: true })).toEqual(before);

    const real = await call('importRegistrations', { organisation: 'acme', document, dryRun: false });
    expect(real.registrations.every((r) => r.action === 'create' && r.applied)).toBe(true);
    for (const r of real.registrations) if (r.secret) secretsSeen.push(r.secret.value);
    const again = await call('importRegistrations', { organisation: 'acme', document, dryRun: true });
    expect(new Set(again.registrations.map((r) => r.action))).toEqual(new Set(['unchanged']));

    const exportedFromAcme = await call('exportRegistrations', { organisation: 'acme' });
    const shape = (d: ExportDocument) =>
      d.registrations
        .map(({ client_id: _id, ...rest }) => rest)
        .filter((r) => r.client_name.startsWith('Worker') || r.client_name.startsWith('Browser'));
    expect(shape(exportedFromAcme)).toEqual(shape(document));
  });

  it('refuses a document that is not an export, naming the field, and changes nothing', async () => {
    await expect(
      call('importRegistrations', {
        organisation: 'acme',
        document: { ...document, version: 2 } as unknown as ExportDocument,
      }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ field: 'document.version', message: 'version must be 1.' }],
    });
    await expect(call('getScopeSet', { setId: 'No such set' })).rejects.toBeInstanceOf(AppError);
  });
});
