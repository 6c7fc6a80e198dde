// `oauth-desk orgs sign-in`: a new admin secret read from standard input replaces the organisation's sign-in only once
// it gets a token and passes every check; a refused one leaves the old one in the keychain and says so.
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import { cliOf, freePort, useDeskHome } from './support';

const desk = useDeskHome();
const cli = cliOf(desk, await freePort());
let acme: RunningIdentityServer;
let admin: { clientId: string; secret: string };

/** An admin application made on acme through its own API, as the portal would. */
async function newAdminApplication(): Promise<{ id: string; secret: string }> {
  const token = await fetch(`${acme.issuer}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: admin.clientId,
      client_secret: admin.secret,
      scope: 'PM.OAuthApp',
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const created = await fetch(`${acme.baseUrl}/acme/identity_/api/ExternalClient`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      partitionGlobalId: acme.partitionGlobalId,
      name: 'New admin',
      isConfidential: true,
      redirectUri: null,
      scopes: ['PM.OAuthApp', 'PM.OAuthAppSecret.Write'].map((name) => ({ name, type: 'application' })),
    }),
  });
  const answer = (await created.json()) as { id: string; secret: string };
  return { id: answer.id, secret: answer.secret };
}

describe('oauth-desk orgs sign-in', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    acme = await startIdentityServer({ dataDir: desk.tempDir(), port: 0, orgName: 'acme' });
    const issued = await acme.ensureAdminClient();
    admin = { clientId: issued.clientId, secret: issued.secret?.value ?? '' };
    const added = await cli(
      ['orgs', 'add', 'acme', '--base-url', acme.baseUrl, '--org-name', 'acme', '--display-name', 'Acme'].concat([
        '--client-id',
        admin.clientId,
        '--client-secret-stdin',
      ]),
      {},
      `${admin.secret}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
  }, 90_000);
  afterAll(async () => {
    await acme.close();
  });

  it('keeps the old sign-in when the organisation refuses the new secret, and says so', async () => {
    const refused = await cli(['orgs', 'sign-in', 'acme', '--client-secret-stdin'], {}, 'not-the-secret\n');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Acme refused this secret');
    expect(await keytar.getPassword(desk.keychainService, `acme/admin/${admin.clientId}`)).toBe(admin.secret);
  });

  it('replaces the sign-in with a proven one: the old keychain entry goes, and every check passes', async () => {
    const next = await newAdminApplication();
    const changed = await cli(
      ['orgs', 'sign-in', 'acme', '--client-id', next.id, '--client-secret-stdin'],
      {},
      `${next.secret}\n`,
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('acme now signs in with the new sign-in');
    expect(await keytar.getPassword(desk.keychainService, `acme/admin/${next.id}`)).toBe(next.secret);
    expect(await keytar.getPassword(desk.keychainService, `acme/admin/${admin.clientId}`)).toBeNull();
    const tested = await cli(['orgs', 'test', 'acme']);
    expect(tested.code, tested.stderr).toBe(0);
  });

  it('refuses both ways at once, before anything is asked', async () => {
    const both = await cli(['orgs', 'sign-in', 'acme', '--client-secret-stdin', '--interactive'], {}, 'x\n');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Choose one way to sign in');
  });
});
