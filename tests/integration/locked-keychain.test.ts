// A locked keychain never mints a credential. The keychain is the real one, really locked: the throw-away login
// keyring of scripts/with-keyring.sh locked through the Secret Service's own Lock call, and unlocked again with its
// throw-away password. A locked Secret Service answers every read with "no entry", so a start that trusted reads
// alone issued a new admin secret at each command. Runs only inside that throw-away keyring, never the user's own.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openIdentityDatabase } from '../../src/identity-server/store/database';
import { ClientStore } from '../../src/identity-server/store/clients';
import { cliOf, freePort, keytar, stopBackgroundOwner, useDeskHome, type CliRun } from './support';

const throwAway = process.env.OAUTH_DESK_PRIVATE_KEYRING === '1';
const LOGIN = '/org/freedesktop/secrets/collection/login';

function lockKeychain(): void {
  execFileSync('gdbus', [
    'call',
    '--session',
    '--dest',
    'org.freedesktop.secrets',
    '--object-path',
    '/org/freedesktop/secrets',
    '--method',
    'org.freedesktop.Secret.Service.Lock',
    `[objectpath '${LOGIN}']`,
  ]);
}

/** Unlocks the login keyring with the password scripts/with-keyring.sh gave it. */
function unlockKeychain(): void {
  execFileSync('gnome-keyring-daemon', ['--unlock', '--replace', '--components=secrets'], {
    input: 'oauth-desk-tests',
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}

/** The admin application's secrets as the local Identity Server keeps them: their IDs, oldest first. */
function adminSecrets(home: string): string[] {
  const db = new Database(join(home, 'identity-server', 'identity.db'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT s.id FROM client_secret s JOIN organization o ON s.client_id = o.admin_client_id ORDER BY s.id')
      .all() as { id: number }[];
    return rows.map((r) => String(r.id));
  } finally {
    db.close();
  }
}

function expectKeychainNamed(run: CliRun): void {
  expect(run.code).not.toBe(0);
  expect(run.stderr).toMatch(/Your keychain is locked\. Unlock it and try again\./);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe.skipIf(!throwAway)('a locked keychain', { timeout: 180_000 }, () => {
  const desk = useDeskHome();

  it('mints no admin secret, says the keychain is locked, and after unlocking works and deletes an orphan', async () => {
    const home = desk.tempDir();
    const cli = cliOf({ home, keychainService: desk.keychainService }, await freePort());
    const alone = { OAUTH_DESK_NO_DAEMON: '1' };
    expect((await cli(['apps', 'list'], alone)).code).toBe(0);
    const first = adminSecrets(home);
    expect(first).toHaveLength(1);

    lockKeychain();
    try {
      for (let i = 0; i < 3; i++) expectKeychainNamed(await cli(['apps', 'list'], alone));
      // Through the background owner too: its start mints nothing either.
      for (let i = 0; i < 2; i++) expectKeychainNamed(await cli(['apps', 'list']));
      await stopBackgroundOwner(home);
      expect(adminSecrets(home)).toEqual(first);

      // A folder never set up: nothing is created until the keychain takes a write.
      const fresh = desk.tempDir();
      const freshCli = cliOf({ home: fresh, keychainService: desk.keychainService }, await freePort());
      expectKeychainNamed(await freshCli(['apps', 'list'], alone));
      expect(adminSecrets(fresh)).toEqual([]);
    } finally {
      unlockKeychain();
    }

    // An admin secret an earlier start issued while the keychain refused it: on the server, in no keychain entry.
    const server = openIdentityDatabase(join(home, 'identity-server'));
    const adminId = (server.prepare('SELECT admin_client_id AS id FROM organization').get() as { id: string }).id;
    new ClientStore(server).addSecret(adminId, { description: 'OAuth Desk admin secret', expiryTime: null });
    server.close();
    expect(adminSecrets(home)).toHaveLength(2);

    const unlocked = await cli(['apps', 'list'], alone);
    expect(unlocked.stderr).toBe('');
    expect(unlocked.code).toBe(0);
    expect(adminSecrets(home)).toEqual(first);
    expect(await keytar.getPassword(desk.keychainService, `local/${adminId}/${first[0]}`)).not.toBeNull();
    const activity = await cli(['activity', '--json'], alone);
    expect(activity.stdout).toContain('Deleted an admin secret no keychain entry held');
  });
});
