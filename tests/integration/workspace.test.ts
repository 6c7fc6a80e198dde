// The workspace database on a real SQLite file: migrations, pragmas, repositories, and no place for a secret value.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExternalClient } from '../../src/shared/model';
import { migrations } from '../../src/main/workspace/migrations/index';
import Database from 'better-sqlite3';
import { openDatabase, workspacePath } from '../../src/main/workspace/database';
import { fingerprintOf } from '../../src/main/workspace/secrets';
import { openWorkspace, type Workspace } from '../../src/main/workspace/workspace';
import { useDeskHome } from './support';

/** Gives each test a fresh data folder, and removes them all after the file. */
const desk = useDeskHome();
let home: string;
let workspace: Workspace;

beforeEach(() => {
  home = desk.tempDir();
  workspace = openWorkspace(home);
  workspace.organisations.save({
    id: 'local',
    displayName: 'Local',
    baseUrl: 'http://127.0.0.1:1',
    orgName: 'local',
    partitionGlobalId: 'p',
    adminClientId: 'admin',
    isLocal: true,
  });
});
afterEach(() => {
  workspace.close();
});

function appNo(i: number): ExternalClient {
  return {
    id: `client-${i}`,
    name: `App ${String(i).padStart(5, '0')}`,
    isConfidential: i % 2 === 0,
    redirectUri: i % 2 === 0 ? null : 'https://app.example.com/cb',
    resources: [
      {
        name: 'OrchestratorApiUserAccess',
        displayName: 'Orchestrator API Access',
        description: '',
        scopes: [
          { name: 'OR.Jobs', displayName: 'OR.Jobs', description: '', type: 'user' },
          { name: 'OR.Queues', displayName: 'OR.Queues', description: '', type: 'application' },
          { name: 'OR.Assets', displayName: 'OR.Assets', description: '', type: 'application' },
        ],
      },
    ],
    secrets: [{ id: `s-${i}`, description: null, creationTime: '2025-01-01T00:00:00Z', expiryTime: null }],
  };
}

describe('workspace', () => {
  it('applies every migration once, with WAL and foreign keys on', () => {
    expect(workspace.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(workspace.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(workspace.db.pragma('foreign_keys', { simple: true })).toBe(1);
    workspace.close();
    workspace = openWorkspace(home); // reopening applies nothing twice
    expect(workspace.organisations.get('local')?.adminClientId).toBe('admin');
  });

  it('refuses a workspace written by a newer version', () => {
    workspace.db.pragma(`user_version = ${migrations.length + 1}`);
    workspace.close();
    expect(() => openDatabase(home)).toThrow(/newer OAuth Desk/);
    const raw = new Database(workspacePath(home));
    raw.pragma(`user_version = ${migrations.length}`);
    raw.close();
    workspace = openWorkspace(home);
  });

  it('rolls back a failing migration as a whole', () => {
    const other = desk.tempDir();
    const broken = [
      ...migrations,
      { name: '9999_broken', sql: 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => openDatabase(other, broken)).toThrow();
    const db = openDatabase(other);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('caches 10 000 registrations and lists their summaries', () => {
    const apps = Array.from({ length: 10_000 }, (_, i) => appNo(i));
    workspace.registrations.replaceAll('local', apps);
    const rows = workspace.registrations.listSummaries('local');
    expect(rows).toHaveLength(10_000);
    expect(rows[0]).toEqual({
      id: 'client-0',
      name: 'App 00000',
      isConfidential: true,
      redirectUri: null,
      resources: ['Orchestrator API Access'],
      userScopeCount: 1,
      applicationScopeCount: 2,
      secretCount: 1,
      nextSecretExpiry: null,
      federatedCredentialCount: null,
    });
    expect(workspace.registrations.get('local', 'client-42')).toEqual(appNo(42));
    workspace.registrations.replaceAll('local', apps.slice(0, 3));
    expect(workspace.registrations.listSummaries('local')).toHaveLength(3);
  });

  it('shows the old list while a new one is written in batches, and the new one whole once committed', () => {
    const ids = () => workspace.registrations.listSummaries('local').map((row) => row.id);
    workspace.registrations.replaceAll('local', [appNo(1), appNo(2)]);

    const abandoned = workspace.registrations.beginReplace('local');
    abandoned.add([appNo(3), appNo(4)]);
    expect(ids()).toEqual(['client-1', 'client-2']);
    abandoned.discard();
    expect(ids()).toEqual(['client-1', 'client-2']);

    const replacing = workspace.registrations.beginReplace('local');
    replacing.add([appNo(5), appNo(6)]);
    replacing.add([{ ...appNo(5), name: 'App 00005, as sent last' }, appNo(7)]);
    expect(ids()).toEqual(['client-1', 'client-2']);
    replacing.commit();
    expect(ids()).toEqual(['client-5', 'client-6', 'client-7']);
    expect(workspace.registrations.get('local', 'client-5')?.name).toBe('App 00005, as sent last');
    // Nothing written aside is left over for a later list.
    workspace.registrations.replaceAll('local', [appNo(8)]);
    expect(ids()).toEqual(['client-8']);
  });

  it('pages the table in name order, each row once, names alike in case and duplicate names included', () => {
    // Names that sort together whatever their case, and the same name twice: a page may end between any of them.
    const names = ['beta', 'Alpha', 'alpha', 'Beta', 'gamma', 'Alpha', 'delta', 'DELTA', 'epsilon'];
    const apps = names.map((name, i) => ({ ...appNo(i), name }));
    workspace.registrations.replaceAll('local', apps);
    const whole = workspace.registrations.listSummaries('local');
    for (const size of [1, 2, 4]) {
      const paged: typeof whole = [];
      for (;;) {
        const last = paged.at(-1);
        const page = workspace.registrations.listSummaries('local', {
          limit: size,
          after: last && { name: last.name, id: last.id },
        });
        paged.push(...page);
        if (page.length < size) break;
      }
      expect(paged.map((row) => row.id)).toEqual(whole.map((row) => row.id));
    }
    expect(whole.map((row) => row.name.toLowerCase())).toEqual([...names].map((name) => name.toLowerCase()).sort());
    // Another organisation's rows never appear in this one's pages.
    expect(workspace.registrations.listSummaries('elsewhere', { limit: 5, after: { name: 'a', id: '' } })).toEqual([]);
  });

  it('reads only the applications with a secret expiring by a date, through their index', () => {
    const expiring = (i: number, expiryTime: string | null): ExternalClient => ({
      ...appNo(i),
      secrets: [{ id: `s-${i}`, description: null, creationTime: '2025-01-01T00:00:00Z', expiryTime }],
    });
    workspace.registrations.replaceAll('local', [
      ...Array.from({ length: 500 }, (_, i) => expiring(i, null)),
      expiring(1001, '2026-12-01T00:00:00Z'),
      expiring(1002, '2026-12-05T12:00:00.000Z'),
      expiring(1003, '2027-06-01T00:00:00Z'),
    ]);
    const ids = (by: string) =>
      workspace.registrations
        .withSecretsExpiringBy('local', by)
        .map((app) => app.id)
        .sort();
    expect(ids('2026-12-05T12:00:00.000Z')).toEqual(['client-1001', 'client-1002']);
    expect(ids('2026-12-04T00:00:00.000Z')).toEqual(['client-1001']);
    expect(workspace.registrations.withSecretsExpiringBy('elsewhere', '2030-01-01T00:00:00Z')).toEqual([]);
    // Whatever the number of applications without an expiring secret, they are not read.
    const plan = workspace.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT json FROM registrations
         WHERE tenant_id = ? AND next_secret_expiry IS NOT NULL AND next_secret_expiry <= ?`,
      )
      .all('local', '2026-12-05') as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toContain('registrations_by_expiry');
  });

  it('keeps secret records with a fingerprint, never a value', () => {
    workspace.secrets.save({
      organisationId: 'local',
      clientId: 'c',
      secretId: '7',
      keychain: { service: 'oauth-desk', account: 'local/c/7' },
      createdAt: '2025-01-01T00:00:00Z',
      expiresAt: null,
      fingerprint: fingerprintOf('the-value'),
    });
    expect(workspace.secrets.listForClient('local', 'c')[0]?.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    const columns = workspace.db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('secrets')").all();
    expect(columns.map((c) => c.name)).not.toContain('value');
  });

  it('refuses rows of an unknown organisation (foreign keys)', () => {
    expect(() => workspace.catalogue.save('nowhere', [])).toThrow(/FOREIGN KEY/);
  });

  it('lists activity newest first', () => {
    workspace.activity.record({
      organisation: 'local',
      action: 'app.create',
      target: 'a',
      headline: 'first',
      detail: '',
    });
    workspace.activity.record({
      organisation: 'local',
      action: 'user.create',
      target: 'b',
      headline: 'second',
      detail: 'all',
    });
    expect(workspace.activity.list(10).map((a) => [a.headline, a.detail, a.kind])).toEqual([
      ['second', 'all', 'user'],
      ['first', '', 'application'],
    ]);
  });
});

describe('migration 0002', () => {
  it('fills the soonest secret expiry of applications cached before it', () => {
    const dir = desk.tempDir();
    const old = openDatabase(dir, migrations.slice(0, 1));
    old
      .prepare(
        "INSERT INTO tenants (id, display_name, base_url, org_name, partition_global_id, admin_client_id, created_at, updated_at) VALUES ('local', 'L', 'http://x', 'o', 'p', 'a', '', '')",
      )
      .run();
    const app: ExternalClient = {
      ...appNo(1),
      secrets: [
        { id: '1', description: null, creationTime: '2025-01-01T00:00:00Z', expiryTime: '2027-05-01T00:00:00.000Z' },
        { id: '2', description: null, creationTime: '2025-01-02T00:00:00Z', expiryTime: '2026-03-01T00:00:00.000Z' },
        { id: '3', description: null, creationTime: '2025-01-03T00:00:00Z', expiryTime: null },
      ],
    };
    old
      .prepare(
        `INSERT INTO registrations (tenant_id, client_id, name, is_confidential, resource_names, user_scope_count,
         application_scope_count, secret_count, json, fetched_at) VALUES ('local', ?, 'A', 1, '[]', 0, 0, 3, ?, '')`,
      )
      .run(app.id, JSON.stringify(app));
    old.close();

    const upgraded = openWorkspace(dir);
    try {
      expect(upgraded.registrations.listSummaries('local')[0]?.nextSecretExpiry).toBe('2026-03-01T00:00:00.000Z');
    } finally {
      upgraded.close();
    }
  });
});

describe('migration 0008', () => {
  it('splits each activity entry into its headline and detail, and says organisation where it said organisation', () => {
    const dir = desk.tempDir();
    const old = openDatabase(dir, migrations.slice(0, 7));
    const insert = old.prepare(
      "INSERT INTO activity (at, tenant_id, action, target, subject, detail) VALUES ('2026-01-01T00:00:00Z', 'local', ?, ?, NULL, ?)",
    );
    insert.run('tenant.add', 'acme', 'Added Acme\nSigned in with its admin application.\nSecond line.');
    insert.run('app.create', 'a1', 'Registered “A” as a confidential application');
    insert.run('tenant.admin_secret_rotated', 'admin', 'Rotated the admin secret of local\n');
    old.close();

    const upgraded = openWorkspace(dir);
    try {
      expect(upgraded.activity.list(10).map((a) => [a.action, a.kind, a.headline, a.detail])).toEqual([
        ['organisation.admin_secret_rotated', 'organisation', 'Rotated the admin secret of local', ''],
        ['app.create', 'application', 'Registered “A” as a confidential application', ''],
        ['organisation.add', 'organisation', 'Added Acme', 'Signed in with its admin application.\nSecond line.'],
      ]);
    } finally {
      upgraded.close();
    }
  });
});
