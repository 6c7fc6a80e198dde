// Faults, with nothing lost: a keychain that is locked or absent, a process SIGKILLed between the server's answer and
// the keychain write or in the middle of a workspace write, a workspace file that cannot be used, a disk that fills up
// while exporting. Real processes, real SQLite files, the real keychain and the real Identity Server.
// Not done: stopping the private gnome-keyring of scripts/with-keyring.sh in the middle of a test. D-Bus activation
// (org.freedesktop.secrets.service) starts a new daemon on the next call, with the login keyring locked and no way
// to unlock it without a prompt, so the rest of the run would hang or fail; the absent keychain is proven instead by
// a real process whose session bus has no Secret Service at all.
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { createKeytarKeychain } from '../../src/main/keychain/keytar';
import { openDatabase, workspacePath } from '../../src/main/workspace/database';
import { migrations } from '../../src/main/workspace/migrations/index';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { callerOf } from '../../src/shared/api';
import { openAppContext } from '../../src/main/context';
import { cliOf, filesContaining, oauthClient, useDeskHome, type CliRun } from './support';

const desk = useDeskHome();
/** Every data folder this file made, to be searched for secrets at the end. */
const homes: string[] = [desk.home];
function newHome(): string {
  const home = desk.tempDir();
  homes.push(home);
  return home;
}
/** Every secret value this file saw, and every output its processes printed (none asked for --show-secret). */
const secretValues: string[] = [];
const outputs: string[] = [];

/**
 * The CLI as a user runs it, on `home` (any free port); its output is kept for the check at the end. These faults
 * happen to the process that owns the data folder (its keychain session, a kill mid-write), so each command runs as
 * its own owner (--no-daemon), as a script without a background process would.
 */
async function cli(home: string, ...command: Parameters<ReturnType<typeof cliOf>>): Promise<CliRun> {
  const [args, env = {}, ...rest] = command;
  const run = await cliOf({ home, keychainService: desk.keychainService }, 0)(
    args,
    { OAUTH_DESK_NO_DAEMON: '1', ...env },
    ...rest,
  );
  outputs.push(run.stdout, run.stderr);
  return run;
}

async function tokenWith(issuer: string, clientId: string, secret: string): Promise<string> {
  const config = await oauthClient(issuer, clientId, secret);
  return (await oidc.clientCredentialsGrant(config, { scope: 'OR.Jobs' })).access_token;
}

describe('the keychain failing', { timeout: 120_000 }, () => {
  it('keeps a generated secret when the keychain is locked: shown, old one working, Retry stores it', async () => {
    const real = createKeytarKeychain();
    let locked = false;
    // The real keychain, refusing as a locked one does: a locked login keyring cannot be caused without a prompt.
    const keychain = {
      set: (service: string, account: string, value: string) =>
        locked
          ? Promise.reject(new Error('Cannot create an item in a locked collection'))
          : real.set(service, account, value),
      get: (service: string, account: string) => real.get(service, account),
      delete: (service: string, account: string) => real.delete(service, account),
    };
    const home = newHome();
    const context = await openAppContext({ home, port: 0, keychain, keychainService: desk.keychainService });
    try {
      const call = callerOf(context.dispatch);
      const created = await call('createApp', {
        name: 'Locked keychain',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      secretValues.push(created.secret!.value);
      const { issuer } = await call('showOrganisation', {});
      locked = true;
      const rotated = await call('generateSecret', { clientId: created.app.id, mode: 'replace' });
      locked = false;
      secretValues.push(rotated.secret.value);
      expect(rotated.secret).toMatchObject({ stored: false, pendingId: expect.any(String) as unknown });
      expect(rotated.secret.keychainError).toMatch(/locked/i);
      expect(rotated.replaced).toEqual([]);
      expect(await tokenWith(issuer, created.app.id, created.secret!.value)).toBeTruthy();

      const retried = await call('retrySecretStore', { pendingId: rotated.secret.pendingId! });
      expect(retried.replaced).toEqual([created.secret!.id]);
      expect(await real.get(retried.keychain.service, retried.keychain.account)).toBe(rotated.secret.value);
      expect(await tokenWith(issuer, created.app.id, rotated.secret.value)).toBeTruthy();
      expect(filesContaining(home, secretValues)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('creates nothing and mints no credential, naming the keychain, when the process’s session has no Secret Service at all', async () => {
    const home = newHome();
    expect((await cli(home, ['apps', 'list', '--json'])).code).toBe(0);
    const before = JSON.parse((await cli(home, ['apps', 'list', '--json'])).stdout) as { id: string }[];
    const run = await cli(home, ['apps', 'create', 'No keychain', '--app-scope', 'OR.Jobs'], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    });
    // The admin credential lives in the keychain: without one, nothing is asked of the organisation, and no new admin
    // secret is minted in its place (the next start that reaches the keychain would find the old one).
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/keychain/i);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const { context, call } = await desk.open({ home });
    try {
      const apps = await call('listApps', { refresh: true });
      expect(apps.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
      const admin = apps.find((a) => a.name === 'OAuth Desk admin')!;
      expect(await call('listSecrets', { clientId: admin.id })).toHaveLength(1);
    } finally {
      await context.close();
    }
  });
});

describe('a process killed between the server’s answer and the keychain write', { timeout: 120_000 }, () => {
  it('shows the secret as not in the keychain after a restart, and Generate new then Delete clears it', async () => {
    const home = newHome();
    // The first start keeps the embedded organisation's admin secret; the pause is for the application's.
    expect((await cli(home, ['apps', 'list', '--json'])).code).toBe(0);
    const run = await cli(
      home,
      ['apps', 'create', 'Killed mid-create', '--app-scope', 'OR.Jobs'],
      { OAUTH_DESK_TEST_PAUSE_AFTER_CREATE: '1' },
      '',
      /paused after the server answered/,
    );
    expect(run.signal).toBe('SIGKILL');

    const { context, call } = await desk.open({ home });
    try {
      const app = (await call('listApps', { refresh: true })).find((a) => a.name === 'Killed mid-create');
      expect(app).toBeDefined();
      const [lost] = await call('listSecrets', { clientId: app!.id });
      expect(lost).toMatchObject({ keychain: null, inKeychain: false });

      const fresh = await call('generateSecret', { clientId: app!.id, mode: 'overlap' });
      secretValues.push(fresh.secret.value);
      await call('deleteSecret', { clientId: app!.id, secretId: lost!.id });
      const listed = await call('listSecrets', { clientId: app!.id });
      expect(listed).toEqual([expect.objectContaining({ id: fresh.secret.id, inKeychain: true })]);
    } finally {
      await context.close();
    }
  });

  it('marks a recorded secret whose keychain entry was removed outside OAuth Desk', async () => {
    const { context, call } = await desk.open({ home: newHome() });
    try {
      const created = await call('createApp', {
        name: 'Entry removed',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      secretValues.push(created.secret!.value);
      await createKeytarKeychain().delete(created.secret!.keychain.service, created.secret!.keychain.account);
      const [secret] = await call('listSecrets', { clientId: created.app.id });
      expect(secret).toMatchObject({ keychain: created.secret!.keychain, inKeychain: false });
    } finally {
      await context.close();
    }
  });
});

describe('SIGKILL in the middle of workspace writes', { timeout: 180_000 }, () => {
  it('loses nothing committed, and the database passes integrity_check', async () => {
    const home = newHome();
    openWorkspace(home).close();
    // A writer that commits one activity row per transaction and says so after each commit.
    const writer = `
      import { openWorkspace } from ${JSON.stringify(join(process.cwd(), 'src/main/workspace/workspace.ts'))};
      const workspace = openWorkspace(${JSON.stringify(home)});
      for (let i = 1; ; i++) {
        workspace.activity.record({ organisation: 'local', action: 'app.create', target: 'fault-' + i, headline: 'x', detail: 'x'.repeat(2000) });
        process.stdout.write(i + '\\n');
      }
    `;
    const committed = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer]);
      let last = 0;
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        const lines = d.toString().trim().split('\n');
        last = Number(lines.at(-1));
        // Killed in the middle of a steady stream of commits (each one synced to disk, so a busy disk makes it slow).
        if (last >= 500) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (_code, signal) =>
        signal === 'SIGKILL' ? resolve(last) : reject(new Error(`The writer ended by itself: ${stderr}`)),
      );
    });
    const db = new Database(workspacePath(home));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare("SELECT count(*) AS n FROM activity WHERE target GLOB 'fault-*'").get() as { n: number };
      expect(rows.n).toBeGreaterThanOrEqual(committed);
    } finally {
      db.close();
    }
  });
});

describe('a workspace file that cannot be used', { timeout: 60_000 }, () => {
  const cases: [string, (path: string) => void, RegExp][] = [
    ['a corrupt file', (path) => writeFileSync(path, Buffer.alloc(8192, 0xa5)), /damaged/],
    [
      'another program’s database',
      (path) => {
        const db = new Database(path);
        db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);');
        db.close();
      },
      /written by another program/,
    ],
    [
      'a newer OAuth Desk’s workspace',
      (path) => {
        const db = openDatabase(join(path, '..'));
        db.pragma(`user_version = ${migrations.length + 5}`);
        db.close();
      },
      /newer OAuth Desk/,
    ],
  ];
  for (const [what, write, message] of cases)
    it(`moves ${what} aside as a backup, says so, and the app starts on a new workspace`, async () => {
      const home = newHome();
      write(workspacePath(home));
      const original = readFileSync(workspacePath(home));
      const { context, call } = await desk.open({ home });
      expect(context.workspaceRecovered).toMatch(message);
      expect(context.workspaceRecovered).toMatch(/moved aside to .*workspace\.db\.unusable-.*\.bak/);
      const backup = readdirSync(home).find((f) => /^workspace\.db\.unusable-.*\.bak$/.test(f));
      expect(readFileSync(join(home, backup!)).equals(original)).toBe(true);
      expect((await call('listOrganisations', {})).map((t) => t.id)).toContain('local');
      await context.close();
    });

  it('tells the CLI user on stderr and goes on', async () => {
    const home = newHome();
    writeFileSync(workspacePath(home), 'not a database at all, but long enough to look like one '.repeat(200));
    const run = await cli(home, ['apps', 'list', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^oauth-desk: The workspace file is damaged .* moved aside to /m);
  });

  it('backs the database up before each migration', () => {
    const home = newHome();
    const old = openDatabase(home, migrations.slice(0, 1));
    old
      .prepare(
        "INSERT INTO tenants (id, display_name, base_url, org_name, partition_global_id, admin_client_id, is_local, created_at, updated_at) VALUES ('t', 'T', 'https://x', 'x', 'p', 'a', 0, 'now', 'now')",
      )
      .run();
    old.close();
    openDatabase(home).close();
    for (const migration of migrations.slice(1)) {
      const backup = join(home, `workspace.db.before-${migration.name}.bak`);
      expect(existsSync(backup), backup).toBe(true);
      const copy = new Database(backup, { readonly: true });
      expect(copy.prepare('SELECT id FROM tenants').pluck().all()).toEqual(['t']);
      expect(copy.pragma('user_version', { simple: true })).toBe(migrations.indexOf(migration));
      copy.close();
    }
  });
});

describe('the disk full while exporting', { timeout: 60_000 }, () => {
  /** A tiny tmpfs, where this process may mount one (root in a container with CAP_SYS_ADMIN); else null. */
  function tinyDisk(): string | null {
    const dir = join(desk.tempDir(), 'tiny');
    mkdirSync(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
      return dir;
    } catch {
      return null;
    }
  }

  it('answers a clear error and leaves no partial file', async (context) => {
    const disk = tinyDisk();
    if (!disk) return context.skip('no tmpfs can be mounted here (needs root with CAP_SYS_ADMIN)');
    try {
      const { call } = await desk.open({ home: newHome() });
      const created = await call('createApp', {
        name: 'Export to a full disk',
        isConfidential: true,
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      });
      secretValues.push(created.secret!.value);
      // Fill the disk to the last byte.
      try {
        writeFileSync(join(disk, 'filler'), Buffer.alloc(64 * 1024));
      } catch {
        // ENOSPC: full, as wanted.
      }
      await expect(
        call('exportHandoff', { clientId: created.app.id, format: 'md', path: join(disk, 'handoff.md') }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
        issues: [{ field: 'path' }],
        message: expect.stringMatching(/\(the disk is full; ENOSPC\)/) as unknown,
      });
      expect(readdirSync(disk)).toEqual(['filler']);
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});

describe('after all of it', () => {
  it('no secret value is in any file of the data folders, nor in any output of the processes', () => {
    for (const folder of homes) expect(filesContaining(folder, secretValues)).toEqual([]);
    for (const output of outputs) for (const value of secretValues) expect(output).not.toContain(value);
  });
});
