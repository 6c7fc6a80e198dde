// The oauth-desk CLI as a script would use it: real processes, a real data folder, the real keychain and server.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearKeychainService, filesContaining, keytar, removeHome, tempHome, testKeychainService } from './support';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const home = tempHome();
const service = testKeychainService();
/** A fixed port for the whole file, as a user has (43110 by default), so URLs stay the same between commands. */
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/oauth-desk.mjs', ...args], {
      env: { ...process.env, OAUTH_DESK_HOME: home, OAUTH_DESK_PORT: String(port), OAUTH_DESK_KEYCHAIN_SERVICE: service, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const secrets: string[] = [];

afterAll(async () => {
  await clearKeychainService(service);
  removeHome(home);
});

describe('oauth-desk', () => {
  let tenant: { baseUrl: string; tokenUrl: string; adminClientId: string; adminSecret: { service: string; account: string } };

  beforeAll(async () => {
    const run = await cli(['tenants', 'show', 'local', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    tenant = JSON.parse(run.stdout);
  }, 60_000);

  it('shows the local tenant with its admin application, whose secret is in the keychain', async () => {
    expect(tenant.tokenUrl).toBe(`${tenant.baseUrl}/identity_/connect/token`);
    expect(tenant.adminSecret.service).toBe(service);
    const adminSecret = await keytar.getPassword(tenant.adminSecret.service, tenant.adminSecret.account);
    expect(adminSecret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    secrets.push(adminSecret!);
    const list = await cli(['tenants', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^local\s+local\s+http:\/\/127\.0\.0\.1:\d+\s+embedded Identity Server$/m);
  });

  it('registers a confidential app: the secret goes to the keychain and is printed only when asked', async () => {
    const quiet = await cli(['apps', 'create', 'Nightly jobs', '--app-scope', 'OR.Jobs', '--app-scope', 'OR.Queues.Read', '--json']);
    expect(quiet.code).toBe(0);
    const created = JSON.parse(quiet.stdout);
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
      'apps', 'create', 'Browser portal', '--non-confidential', '--user-scope', 'OR.Jobs', '--redirect-uri', 'http://127.0.0.1:5173/callback',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/App secret/);
    const list = await cli(['apps', 'list', '--json']);
    const names = (JSON.parse(list.stdout) as Array<{ name: string; isConfidential: boolean }>).map((a) => [a.name, a.isConfidential]);
    expect(names).toEqual(expect.arrayContaining([['Nightly jobs', true], ['Browser portal', false]]));
  });

  it('refuses bad input with exit code 2, a message naming the field, and creates nothing', async () => {
    const before = JSON.parse((await cli(['apps', 'list', '--json'])).stdout).length;
    const noName = await cli(['apps', 'create', '  ', '--app-scope', 'OR.Jobs']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('name: Application Name is required.');
    const badRedirect = await cli(['apps', 'create', 'Portal', '--non-confidential', '--user-scope', 'OR.Jobs', '--redirect-uri', 'http://example.com/cb']);
    expect(badRedirect.code).toBe(2);
    expect(badRedirect.stderr).toContain('redirectUri: http is allowed only on a loopback host');
    const appScopeOnPublic = await cli(['apps', 'create', 'Portal', '--non-confidential', '--app-scope', 'OR.Jobs']);
    expect(appScopeOnPublic.code).toBe(2);
    expect(appScopeOnPublic.stderr).toContain('scopes: A non-confidential application cannot have application scopes (OR.Jobs).');
    const unknownOption = await cli(['apps', 'create', 'Portal', '--colour', 'red']);
    expect(unknownOption.code).toBe(2);
    expect(JSON.parse((await cli(['apps', 'list', '--json'])).stdout)).toHaveLength(before);
  });

  it('hands over an application without its secret', async () => {
    const list = JSON.parse((await cli(['apps', 'list', '--json'])).stdout) as Array<{ id: string; name: string }>;
    const app = list.find((a) => a.name === 'Nightly jobs')!;
    const md = await cli(['apps', 'handoff', app.id]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(app.id);
    expect(md.stdout).toContain(tenant.tokenUrl);
    expect(md.stdout).toContain(service);
    const json = JSON.parse((await cli(['apps', 'handoff', app.id, '--format', 'json'])).stdout);
    expect(json.applicationScopes).toEqual(['OR.Jobs', 'OR.Queues.Read']);
    for (const secret of secrets) {
      expect(md.stdout).not.toContain(secret);
      expect(JSON.stringify(json)).not.toContain(secret);
    }
  });

  it('uses a running `oauth-desk server` of the same data folder', async () => {
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
      const shown = JSON.parse((await cli(['tenants', 'show', 'local', '--json'])).stdout);
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(shown.baseUrl).toBe(url);
      const second = await cli(['server', '--port', String(port)]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`already running at ${url}`);
      const discovery = await fetch(`${url}/identity_/.well-known/openid-configuration`);
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(`${url}/identity_`);
    } finally {
      server.kill('SIGINT');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }, 60_000);

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
