// A full disk after the organisation committed loses nothing. The data folder is on a real, small tmpfs that is filled
// to its last byte while the background owner runs; the local Identity Server's own folder lives on another disk (a
// symbolic link), as a remote organisation's data does, so only the workspace runs out of space. `apps create` runs
// as a real process; the keychain is the real one, and for the second case the throw-away keyring of
// scripts/with-keyring.sh is really locked too.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliOf, freePort, keytar, stopBackgroundOwner, useDeskHome, type CliRun } from './support';

const throwAway = process.env.OAUTH_DESK_PRIVATE_KEYRING === '1';

function smallDisk(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-desk-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

/** Writes to `disk` until it has no byte left. */
function fill(disk: string): void {
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) appendFileSync(join(disk, 'filler'), block);
  } catch {
    // ENOSPC: full, as wanted.
  }
  try {
    for (;;) appendFileSync(join(disk, 'filler'), Buffer.alloc(512));
  } catch {
    // The last bytes too.
  }
}

function lockKeychain(): void {
  execFileSync('gdbus', [
    ...['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets'],
    ...['--method', 'org.freedesktop.Secret.Service.Lock', "[objectpath '/org/freedesktop/secrets/collection/login']"],
  ]);
}

function unlockKeychain(): void {
  execFileSync('gnome-keyring-daemon', ['--unlock', '--replace', '--components=secrets'], {
    input: 'oauth-desk-tests',
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}

/** The applications of that name on the Identity Server, with their secrets' IDs. */
function onServer(serverDir: string, name: string): { id: string; secrets: string[] }[] {
  const db = new Database(join(serverDir, 'identity.db'), { readonly: true });
  try {
    const apps = db.prepare('SELECT id FROM external_client WHERE name = ?').all(name) as { id: string }[];
    return apps.map(({ id }) => ({
      id,
      secrets: (db.prepare('SELECT id FROM client_secret WHERE client_id = ?').all(id) as { id: number }[]).map((s) =>
        String(s.id),
      ),
    }));
  } finally {
    db.close();
  }
}

function expectNoStackTrace(run: CliRun): void {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/\n\s+at |SqliteError/);
}

describe('a full disk under the workspace', { timeout: 180_000 }, () => {
  const desk = useDeskHome();

  it('keeps the secret in the keychain, exits 0 with a warning, and the next read rebuilds the record', async (context) => {
    const disk = smallDisk();
    if (!disk) return context.skip('no tmpfs can be mounted here (needs root with CAP_SYS_ADMIN)');
    const home = join(disk, 'home');
    const serverDir = desk.tempDir();
    try {
      mkdirSync(home, { mode: 0o700 });
      symlinkSync(serverDir, join(home, 'identity-server'));
      const cli = cliOf({ home, keychainService: desk.keychainService }, await freePort());
      expect((await cli(['apps', 'list'])).code).toBe(0);
      fill(disk);

      const created = await cli(['apps', 'create', 'Invoice sync', '--app-scope', 'OR.Jobs']);
      expectNoStackTrace(created);
      expect(created.stderr).toMatch(
        /warning: “Invoice sync” was created in Local Identity Server and its secret is in your keychain, but this workspace could not record it: the disk is full \(SQLITE_FULL\)/,
      );
      expect(created.code).toBe(0);
      const [app, ...others] = onServer(serverDir, 'Invoice sync');
      expect(others).toEqual([]);
      expect(app?.secrets).toHaveLength(1);
      const account = `local/${app!.id}/${app!.secrets[0]}`;
      expect(created.stdout).toContain(`App secret saved to your keychain as ${desk.keychainService} / ${account}`);

      if (throwAway) {
        // The keychain refuses too: the secret is printed once, with a warning, and the command still says it exists.
        lockKeychain();
        let locked: CliRun;
        try {
          locked = await cli(['apps', 'create', 'Payroll sync', '--app-scope', 'OR.Jobs']);
        } finally {
          unlockKeychain();
          // The unlocked keyring is a new daemon: the owner, connected to the old one, starts again.
          await stopBackgroundOwner(home);
        }
        expectNoStackTrace(locked);
        expect(locked.code).toBe(0);
        expect(locked.stderr).toMatch(/The secret could not be saved to your keychain: Your keychain is locked/);
        expect(locked.stderr).toMatch(
          /warning: “Payroll sync” was created in Local Identity Server, but this workspace could not/,
        );
        expect(locked.stdout).toMatch(/App secret: \S{20,}/);
        expect(onServer(serverDir, 'Payroll sync')).toHaveLength(1);
      }

      // Space again: the next read rebuilds the list from the organisation and the record from the keychain entry.
      rmSync(join(disk, 'filler'));
      const listed = await cli(['apps', 'list', '--json']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('Invoice sync');
      const secrets = await cli(['apps', 'secrets', app!.id]);
      expect(secrets.code).toBe(0);
      expect(secrets.stdout).toContain(`${desk.keychainService} / ${account}`);
      expect(await keytar.getPassword(desk.keychainService, account)).not.toBeNull();
    } finally {
      await stopBackgroundOwner(home);
      execFileSync('umount', ['-l', disk]);
      rmSync(disk, { recursive: true, force: true });
    }
  });
});
