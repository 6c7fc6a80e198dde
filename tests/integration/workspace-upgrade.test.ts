// A data folder written before secret IDs were integers: its embedded server's secrets had UUIDs, and its workspace kept
// their keychain entries under those UUIDs (and its activity one detail per entry, organisation.* actions). Opening it now
// migrates both (each backed up first), and every secret still works: found in the keychain, copied, given a token,
// deleted.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { identityServerDataDir } from '../../src/main/context';
import { workspacePath } from '../../src/main/workspace/database';
import { memoryClipboard, oauthClient, useDeskHome } from './support';

const desk = useDeskHome();

/** Turns the data folder back into what the previous OAuth Desk left: UUID secret IDs on both sides. */
function toOldLayout(home: string): Map<string, string> {
  const uuidOf = new Map<string, string>();
  const server = new Database(join(identityServerDataDir(home), 'identity.db'));
  const secrets = server.prepare('SELECT id, creation_time FROM client_secret').all() as {
    id: number;
    creation_time: string;
  }[];
  for (const s of secrets) uuidOf.set(String(s.id), randomUUID());
  server.exec(`
    CREATE TABLE client_secret_text (
      id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES external_client (id) ON DELETE CASCADE,
      hash BLOB NOT NULL, description TEXT, creation_time TEXT NOT NULL, expiry_time TEXT, last_used_time TEXT);`);
  const copy = server.prepare(
    `INSERT INTO client_secret_text SELECT ?, client_id, hash, description, creation_time, expiry_time, last_used_time
     FROM client_secret WHERE id = ?`,
  );
  for (const s of secrets) copy.run(uuidOf.get(String(s.id)), s.id);
  server.exec(`DROP TABLE client_secret; ALTER TABLE client_secret_text RENAME TO client_secret;
    CREATE INDEX client_secret_client ON client_secret (client_id);
    DROP TABLE federated_assertion_use; DROP TABLE federated_credential; PRAGMA user_version = 6;`);
  const created = new Map(secrets.map((s) => [String(s.id), s.creation_time]));
  server.close();

  const workspace = new Database(workspacePath(home));
  // The previous version recorded the server's creation time with each kept secret, and cached the UUIDs.
  const rekey = workspace.prepare('UPDATE secrets SET secret_id = ?, created_at = ? WHERE secret_id = ?');
  for (const [id, uuid] of uuidOf) rekey.run(uuid, created.get(id), id);
  for (const row of workspace.prepare('SELECT tenant_id, client_id, json FROM registrations').all() as {
    tenant_id: string;
    client_id: string;
    json: string;
  }[]) {
    const app = JSON.parse(row.json) as { secrets: { id: string }[] };
    for (const secret of app.secrets) secret.id = uuidOf.get(secret.id) ?? secret.id;
    workspace
      .prepare('UPDATE registrations SET json = ? WHERE tenant_id = ? AND client_id = ?')
      .run(JSON.stringify(app), row.tenant_id, row.client_id);
  }
  // Its activity kept each entry's headline as the first line of the detail, and said organisation for organisation.
  workspace.exec(`
    UPDATE activity SET detail = CASE WHEN detail = '' THEN headline ELSE headline || char(10) || detail END;
    UPDATE activity SET action = 'tenant.' || substr(action, length('organisation.') + 1)
      WHERE action GLOB 'organisation.*';
    ALTER TABLE activity DROP COLUMN headline;`);
  // It knew nothing of federated credentials.
  workspace.exec('ALTER TABLE registrations DROP COLUMN federated_credential_count;');
  workspace.exec('DROP TABLE secrets_awaiting_id; PRAGMA user_version = 6;');
  workspace.close();
  return uuidOf;
}

describe('a data folder from before integer secret IDs', () => {
  it('is migrated with backups, and its kept secrets are found, copied, used and deleted by their new IDs', async () => {
    const first = await desk.open();
    const created = await first.call('createApp', {
      name: 'Invoice sync',
      isConfidential: true,
      scopes: [{ name: 'OR.Jobs', type: 'application' }],
    });
    const value = created.secret!.value;
    const account = created.secret!.keychain.account;
    await first.context.close();
    const uuids = toOldLayout(desk.home);
    expect(uuids.size).toBeGreaterThanOrEqual(2); // the admin application's secret and Invoice sync's

    const clipboard = memoryClipboard();
    const { context, call } = await desk.open({ clipboard });
    try {
      expect(existsSync(`${workspacePath(desk.home)}.before-0007_integer_secret_ids.bak`)).toBe(true);
      expect(existsSync(`${workspacePath(desk.home)}.before-0008_activity_headline.bak`)).toBe(true);
      // The activity reads as before, its headlines and details apart, organisation where it said organisation.
      const registered = (await call('listActivity', {})).find((entry) => entry.action === 'app.create');
      expect(registered?.kind).toBe('application');
      expect(registered?.headline).toMatch(/^Registered “Invoice sync”/);
      expect(registered?.detail).toMatch(/^Registered "Invoice sync" \(Confidential/);
      expect((await call('listActivity', {})).map((entry) => entry.action)).toContain('organisation.connect');
      // The admin secret, kept under its old ID, still signs OAuth Desk in: the list is read afresh.
      const rows = await call('listApps', {});
      expect(rows.map((r) => r.name)).toContain('Invoice sync');

      const [secret, ...others] = await call('listSecrets', { clientId: created.app.id });
      expect(others).toEqual([]);
      expect(secret!.id).toMatch(/^\d+$/);
      expect(secret).toMatchObject({ inKeychain: true, keychain: { account } });

      await call('copySecretToClipboard', { clientId: created.app.id, secretId: secret!.id });
      expect(clipboard.text).toBe(value);
      const organisation = await call('showOrganisation', {});
      const config = await oauthClient(organisation.issuer, created.app.id, value);
      expect((await oidc.clientCredentialsGrant(config, { scope: 'OR.Jobs' })).access_token).toBeTruthy();

      await call('deleteSecret', { clientId: created.app.id, secretId: secret!.id });
      expect(await call('listSecrets', { clientId: created.app.id })).toEqual([]);
      expect(await desk.keychain.get(desk.keychainService, account)).toBeNull();
    } finally {
      await context.close();
    }
  });
});
