// The oauth-desk CLI as a script would use it: real processes, a real data folder, the real keychain and server.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityServer, type RunningIdentityServer } from '../../src/identity-server/server';
import type {
  ConnectionCheck,
  ExternalClient,
  Handoff,
  KeychainRef,
  OrganisationSummary,
} from '../../src/shared/model';
import { cliOf, filesContaining, freePort, keytar, useDeskHome } from './support';

const desk = useDeskHome();
const { home, keychainService: service } = desk;
const exports = desk.tempDir();
/** A fixed port for the whole file, as a user has (43110 by default), so URLs stay the same between commands. */
const port = await freePort();
const cli = cliOf(desk, port);

const secrets: string[] = [];

// Each command is a process that starts the app (and often the server): give a test of many commands room.
describe('oauth-desk', { timeout: 120_000 }, () => {
  let organisation: {
    baseUrl: string;
    tokenUrl: string;
    adminClientId: string;
    adminSecret: { service: string; account: string };
  };

  beforeAll(async () => {
    const run = await cli(['tenants', 'show', 'local', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    organisation = JSON.parse(run.stdout) as typeof organisation;
  }, 60_000);

  it('shows the local organisation with its admin application, whose secret is in the keychain', async () => {
    expect(organisation.tokenUrl).toBe(`${organisation.baseUrl}/identity_/connect/token`);
    expect(organisation.adminSecret.service).toBe(service);
    const adminSecret = await keytar.getPassword(organisation.adminSecret.service, organisation.adminSecret.account);
    expect(adminSecret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    secrets.push(adminSecret!);
    const list = await cli(['tenants', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^local\s+local\s+http:\/\/127\.0\.0\.1:\d+\s+embedded Identity Server\s+\*$/m);
  });

  it('registers a confidential app: the secret goes to the keychain and is printed only when asked', async () => {
    const quiet = await cli([
      'apps',
      'create',
      'Nightly jobs',
      '--app-scope',
      'OR.Jobs',
      '--app-scope',
      'OR.Queues.Read',
      '--json',
    ]);
    expect(quiet.code).toBe(0);
    const created = JSON.parse(quiet.stdout) as {
      app: ExternalClient;
      secret: { value?: string; stored: boolean; keychain: KeychainRef };
    };
    expect(created.secret.value).toBeUndefined();
    expect(created.secret.stored).toBe(true);
    const kept = await keytar.getPassword(created.secret.keychain.service, created.secret.keychain.account);
    expect(kept).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    secrets.push(kept!);
    expect(quiet.stdout).not.toContain(kept!);

    const shown = await cli(['apps', 'create', 'Reporting', '--app-scope', 'OR.Jobs.Read', '--show-secret']);
    expect(shown.code).toBe(0);
    const printed = /App secret: (\S+)/.exec(shown.stdout)?.[1];
    const account = /saved to your keychain as \S+ \/ (\S+)/.exec(shown.stdout)?.[1];
    expect(printed).toBeDefined();
    expect(await keytar.getPassword(service, account!)).toBe(printed);
    secrets.push(printed!);

    const got = await cli(['apps', 'get', created.app.id]);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/Application scopes:\s+OR\.Jobs OR\.Queues\.Read/);
  });

  it('registers a non-confidential app with user scopes and lists both kinds', async () => {
    const run = await cli([
      'apps',
      'create',
      'Browser portal',
      '--non-confidential',
      '--user-scope',
      'OR.Jobs',
      '--redirect-uri',
      'http://127.0.0.1:5173/callback',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/App secret/);
    const list = await cli(['apps', 'list', '--json']);
    const names = (JSON.parse(list.stdout) as { name: string; isConfidential: boolean }[]).map((a) => [
      a.name,
      a.isConfidential,
    ]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['Nightly jobs', true],
        ['Browser portal', false],
      ]),
    );
  });

  it('refuses bad input with exit code 2, a message naming the field, and creates nothing', async () => {
    const before = (JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as unknown[]).length;
    const noName = await cli(['apps', 'create', '  ', '--app-scope', 'OR.Jobs']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('name: Application Name is required.');
    const badRedirect = await cli([
      'apps',
      'create',
      'Portal',
      '--non-confidential',
      '--user-scope',
      'OR.Jobs',
      '--redirect-uri',
      'http://example.com/cb',
    ]);
    expect(badRedirect.code).toBe(2);
    expect(badRedirect.stderr).toContain('redirectUri: http is allowed only on a loopback host');
    const appScopeOnPublic = await cli(['apps', 'create', 'Portal', '--non-confidential', '--app-scope', 'OR.Jobs']);
    expect(appScopeOnPublic.code).toBe(2);
    expect(appScopeOnPublic.stderr).toContain(
      'scopes: A non-confidential application cannot have application scopes (OR.Jobs).',
    );
    const unknownOption = await cli(['apps', 'create', 'Portal', '--colour', 'red']);
    expect(unknownOption.code).toBe(2);
    expect(JSON.parse((await cli(['apps', 'list', '--json'])).stdout)).toHaveLength(before);
  });

  it('hands over an application without its secret', async () => {
    const list = JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as { id: string; name: string }[];
    const app = list.find((a) => a.name === 'Nightly jobs')!;
    const md = await cli(['apps', 'handoff', app.id]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(app.id);
    expect(md.stdout).toContain(organisation.tokenUrl);
    expect(md.stdout).toContain(service);
    const json = JSON.parse((await cli(['apps', 'handoff', app.id, '--format', 'json'])).stdout) as Handoff;
    expect(json.applicationScopes).toEqual(['OR.Jobs', 'OR.Queues.Read']);
    for (const secret of secrets) {
      expect(md.stdout).not.toContain(secret);
      expect(JSON.stringify(json)).not.toContain(secret);
    }
  });

  it('works through a running `oauth-desk server`, which took the folder over from the background owner', async () => {
    const server = spawn(process.execPath, ['bin/oauth-desk.mjs', 'server', '--port', String(port)], {
      env: { ...process.env, OAUTH_DESK_HOME: home, OAUTH_DESK_KEYCHAIN_SERVICE: service },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const shown = JSON.parse((await cli(['tenants', 'show', 'local', '--json'])).stdout) as { baseUrl: string };
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(shown.baseUrl).toBe(url);
      const second = await cli(['server', '--port', String(port)]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('is in use by `oauth-desk server` (process');
      expect(JSON.parse((await cli(['owner', 'status', '--json'])).stdout)).toMatchObject({
        owner: { kind: 'server', pid: server.pid, localBaseUrl: url },
      });
      const discovery = await fetch(`${url}/identity_/.well-known/openid-configuration`);
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(`${url}/identity_`);
    } finally {
      server.kill('SIGINT');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }, 60_000);

  it('changes scopes with a preview first, and the change shows in the app', async () => {
    const list = JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as { id: string; name: string }[];
    const app = list.find((a) => a.name === 'Nightly jobs')!;
    const preview = await cli([
      'apps',
      'update',
      app.id,
      '--app-scope',
      'OR.Jobs',
      '--app-scope',
      'OR.Assets',
      '--dry-run',
    ]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('Add application scopes: OR.Assets');
    expect(preview.stdout).toContain('Remove application scopes: OR.Queues.Read');
    expect((await cli(['apps', 'get', app.id])).stdout).toMatch(/Application scopes:\s+OR\.Jobs OR\.Queues\.Read/);

    const applied = await cli([
      'apps',
      'update',
      app.id,
      '--name',
      'Nightly jobs v2',
      '--app-scope',
      'OR.Jobs',
      '--app-scope',
      'OR.Assets',
    ]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Name: "Nightly jobs" → "Nightly jobs v2"');
    const after = JSON.parse((await cli(['apps', 'get', app.id, '--json'])).stdout) as {
      name: string;
      resources: { scopes: { name: string }[] }[];
    };
    expect(after.name).toBe('Nightly jobs v2');
    expect(after.resources.flatMap((r) => r.scopes.map((x) => x.name)).sort()).toEqual(['OR.Assets', 'OR.Jobs']);

    const bad = await cli(['apps', 'update', app.id, '--redirect-uri', 'http://example.com/cb']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('redirectUri: http is allowed only on a loopback host');
  });

  it('rotates with overlap by default, replaces on --replace, and deletes one secret', async () => {
    const list = JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as { id: string; name: string }[];
    const app = list.find((a) => a.name === 'Reporting')!;
    const before = JSON.parse((await cli(['apps', 'secrets', app.id, '--json'])).stdout) as { id: string }[];
    expect(before).toHaveLength(1);

    const overlap = await cli([
      'apps',
      'generate-secret',
      app.id,
      '--description',
      'rotation 2027',
      '--expiration',
      '2027-06-30',
      '--json',
    ]);
    expect(overlap.code).toBe(0);
    const generated = JSON.parse(overlap.stdout) as {
      secret: { id: string; value?: string; keychain: { account: string } };
      replaced: string[];
    };
    expect(generated.secret.value).toBeUndefined();
    expect(generated.replaced).toEqual([]);
    const kept = await keytar.getPassword(service, generated.secret.keychain.account);
    expect(kept).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    secrets.push(kept!);
    const both = await cli(['apps', 'secrets', app.id]);
    expect(both.stdout).toContain('rotation 2027');
    expect(both.stdout).toContain('2027-06-30T23:59:59.000Z');
    expect(JSON.parse((await cli(['apps', 'secrets', app.id, '--json'])).stdout)).toHaveLength(2);

    const replace = await cli(['apps', 'generate-secret', app.id, '--replace', '--show-secret']);
    expect(replace.code).toBe(0);
    const value = /App secret: (\S+)/.exec(replace.stdout)?.[1];
    secrets.push(value!);
    expect(replace.stdout).toContain('Deleted the replaced secrets');
    const left = JSON.parse((await cli(['apps', 'secrets', app.id, '--json'])).stdout) as {
      id: string;
      keychain: { account: string };
    }[];
    expect(left).toHaveLength(1);
    expect(await keytar.getPassword(service, left[0]!.keychain.account)).toBe(value);
    expect(await keytar.getPassword(service, generated.secret.keychain.account)).toBeNull();

    const another = JSON.parse((await cli(['apps', 'generate-secret', app.id, '--json'])).stdout) as {
      secret: { id: string };
    };
    const removed = await cli(['apps', 'delete-secret', app.id, another.secret.id]);
    expect(removed.code).toBe(0);
    expect(JSON.parse((await cli(['apps', 'secrets', app.id, '--json'])).stdout)).toHaveLength(1);

    const badDate = await cli(['apps', 'generate-secret', app.id, '--expiration', 'next year']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('expiration');
  });

  it('writes a .env handoff, with the secret only when asked and only into a file', async () => {
    const list = JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as { id: string; name: string }[];
    const app = list.find((a) => a.name === 'Reporting')!;
    const printed = await cli(['apps', 'handoff', app.id, '--format', 'env']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`OAUTH_CLIENT_ID="${app.id}"`);
    expect(printed.stdout).toMatch(/^OAUTH_CLIENT_SECRET=$/m);
    for (const secret of secrets) expect(printed.stdout).not.toContain(secret);

    const refused = await cli(['apps', 'handoff', app.id, '--format', 'env', '--include-secret']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--include-secret needs --output FILE');

    const file = join(exports, 'reporting.env');
    const written = await cli(['apps', 'handoff', app.id, '--format', 'env', '--output', file, '--include-secret']);
    expect(written.code).toBe(0);
    const current = JSON.parse((await cli(['apps', 'secrets', app.id, '--json'])).stdout) as {
      keychain: { account: string };
    }[];
    const secret = await keytar.getPassword(service, current[0]!.keychain.account);
    expect(readFileSync(file, 'utf8')).toContain(`OAUTH_CLIENT_SECRET="${secret}"`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('adds users with the password from standard input, lists and deletes them', async () => {
    const weak = await cli(['users', 'create', 'ana.lopez'], {}, 'short\n');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('password: Password must be at least 8 characters.');
    const created = await cli(
      ['users', 'create', 'ana.lopez', '--display-name', 'Ana López'],
      {},
      'correct horse battery\n',
    );
    expect(created.code).toBe(0);
    const users = JSON.parse((await cli(['users', 'list', '--json'])).stdout) as {
      userName: string;
      displayName: string;
    }[];
    expect(users).toEqual([expect.objectContaining({ userName: 'ana.lopez', displayName: 'Ana López' })]);
    expect(JSON.stringify(users)).not.toContain('correct horse');
    expect((await cli(['users', 'delete', 'ana.lopez'])).code).toBe(0);
    expect((await cli(['users', 'list'])).stdout).toContain('No users yet');
    expect(filesContaining(home, ['correct horse battery'])).toEqual([]);
  });

  it('deletes an application and its keychain entries', async () => {
    const list = JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as { id: string; name: string }[];
    const app = list.find((a) => a.name === 'Reporting')!;
    const accounts = (
      JSON.parse((await cli(['apps', 'secrets', app.id, '--json'])).stdout) as { keychain: { account: string } }[]
    ).map((s) => s.keychain.account);
    const deleted = await cli(['apps', 'delete', app.id]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('1 keychain entry removed');
    for (const account of accounts) expect(await keytar.getPassword(service, account)).toBeNull();
    expect((await cli(['apps', 'get', app.id])).code).toBe(1);
  });

  it('leaves no secret value in any file of the data folder', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    expect(filesContaining(home, secrets)).toEqual([]);
  });

  it('exits 0 for --help and 2 for an invalid port', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('apps');
    const port = await cli(['server', '--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('port');
  });
});

// A second embedded Identity Server plays the organisation "acme", run by the test; the CLI's processes reach it over HTTP.
describe('oauth-desk with another organisation', { timeout: 120_000 }, () => {
  let acme: RunningIdentityServer;
  let admin: { clientId: string; secret: string };

  beforeAll(async () => {
    acme = await startIdentityServer({ dataDir: desk.tempDir(), port: 0, orgName: 'acme' });
    const ensured = await acme.ensureAdminClient();
    admin = { clientId: ensured.clientId, secret: ensured.secret?.value ?? '' };
  });
  afterAll(() => acme.close());

  const add = (id: string, clientId: string, secret: string, extra: string[] = []) =>
    cli(
      ['tenants', 'add', id, '--base-url', acme.baseUrl, '--org', 'acme', '--client-id', clientId, ...extra],
      {},
      `${secret}\n`,
    );

  it('adds an organisation with the admin secret from standard input, straight into the keychain', async () => {
    const neither = await cli([
      'tenants',
      'add',
      'acme',
      '--base-url',
      acme.baseUrl,
      '--org',
      'acme',
      '--client-id',
      'x',
    ]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--client-secret-stdin.*--interactive/);
    const added = await add('acme', admin.clientId, admin.secret, ['--client-secret-stdin']);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added acme \(acme, http:\/\/127\.0\.0\.1:\d+\)$/m);
    expect(added.stdout.match(/^✓ /gm)).toHaveLength(5);
    expect(added.stdout).not.toContain(admin.secret);
    expect(await keytar.getPassword(service, `acme/admin/${admin.clientId}`)).toBe(admin.secret);

    const again = await add('acme', admin.clientId, admin.secret, ['--client-secret-stdin', '--json']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already known/);
  });

  it('tests the connection: exit 0 only when every check passes', async () => {
    const passing = await cli(['tenants', 'test', 'acme', '--json']);
    expect(passing.code).toBe(0);
    expect((JSON.parse(passing.stdout) as ConnectionCheck[]).every((c) => c.ok)).toBe(true);

    const readOnly = JSON.parse(
      (
        await cli([
          'apps',
          'create',
          'Read only',
          '--tenant',
          'acme',
          '--app-scope',
          'PM.OAuthApp.Read',
          '--show-secret',
          '--yes',
          '--json',
        ])
      ).stdout,
    ) as { app: ExternalClient; secret: { value: string; keychain: { service: string; account: string } } };
    // An application with an organisation-admin scope never has its secret answered, even with --show-secret: it is in
    // the keychain only, where the admin (here the test) reads it.
    expect(readOnly.secret.value).toBe('');
    const readOnlySecret = await keytar.getPassword(readOnly.secret.keychain.service, readOnly.secret.keychain.account);
    expect(readOnlySecret).toBeTruthy();
    expect((await add('acme-ro', readOnly.app.id, readOnlySecret!, ['--client-secret-stdin'])).code).toBe(0);
    const failing = await cli(['tenants', 'test', 'acme-ro']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      '✗ secret management: the token lacks PM.OAuthAppSecret.Write: generating secrets will fail',
    );
    expect(failing.stderr).toContain('1 of 5 checks failed: secretManagement.');
    expect((await cli(['tenants', 'remove', 'acme-ro'])).code).toBe(0);
    expect((await cli(['apps', 'delete', readOnly.app.id, '--tenant', 'acme'])).code).toBe(0);
  });

  it('lists apps of a named organisation, and of the current one once chosen', async () => {
    const named = JSON.parse((await cli(['apps', 'list', '--tenant', 'acme', '--json'])).stdout) as { id: string }[];
    expect(named.map((a) => a.id)).toEqual([admin.clientId]);
    const used = await cli(['tenants', 'use', 'acme']);
    expect(used.code).toBe(0);
    expect(used.stdout).toBe('Now working on acme.\n');
    const current = JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as { id: string }[];
    expect(current.map((a) => a.id)).toEqual([admin.clientId]);
    const organisations = JSON.parse((await cli(['tenants', 'list', '--json'])).stdout) as OrganisationSummary[];
    expect(organisations.map((t) => [t.id, t.signIn, t.isCurrent])).toEqual([
      ['local', 'embedded', false],
      ['acme', 'adminApp', true],
    ]);
    expect((await cli(['tenants', 'use', 'nowhere'])).code).toBe(1);
  });

  it('syncs the current organisation or a named one into the cache', async () => {
    const synced = await cli(['sync', '--json']);
    expect(synced.code).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({ synced: 1, stopped: false });
    const local = await cli(['sync', '--tenant', 'local']);
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/^Synced \d+ applications at /);
  });

  it('removes the organisation: its keychain entries go, and the embedded organisation is current again', async () => {
    const removed = await cli(['tenants', 'remove', 'acme']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed acme (1 keychain entry removed); nothing changed on the server.');
    expect(await keytar.getPassword(service, `acme/admin/${admin.clientId}`)).toBeNull();
    expect((await cli(['tenants', 'list'])).stdout).toMatch(/^local\s.*\*$/m);
    expect((await cli(['apps', 'list', '--tenant', 'acme'])).code).toBe(1);
    expect((await cli(['tenants', 'remove', 'local'])).code).toBe(2);
    expect(filesContaining(home, [admin.secret])).toEqual([]);
  });
});
