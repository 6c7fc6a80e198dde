// One owner per data folder, as a user sees it from the terminal: real oauth-desk processes, a real background
// owner, the real keychain. Who may reach the owner's socket, who takes the folder over, what a crash or an older
// version leaves behind, and many commands at once.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { AppContextOptions } from '../../src/main/context';
import { callerOf } from '../../src/shared/api';
import { ownerPaths } from '../../src/node/ownerDoor';
import { connectToOwner } from '../../src/node/ownerClient';
import { cliOf, filesContaining, freePort, keytar, useDeskHome, type CliRun } from './support';

const root = join(import.meta.dirname, '..', '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
/** The user every other user is here: the tests run as root, so "another user" is nobody. */
const NOBODY = 65534;

const desk = useDeskHome();

/** A data folder of a test's own, with its own keychain service, so that its counts are its own. */
interface Place {
  home: string;
  keychainService: string;
  sock: string;
  log: string;
}
const places: Place[] = [];
function place(): Place {
  const home = desk.tempDir();
  const made = { home, keychainService: `${desk.keychainService}-${places.length + 1}`, ...pathsOf(home) };
  places.push(made);
  return made;
}
function pathsOf(home: string) {
  const { socket, log } = ownerPaths(home);
  return { sock: socket, log };
}

/** Stops the background owner of `home`, if one runs, and waits until its process has ended (its files closed). */
async function stopOwnerOf(home: string): Promise<void> {
  const owner = await connectToOwner(ownerPaths(home), home).catch(() => null);
  if (!owner) return;
  if (owner.hello.kind !== 'background') {
    owner.close();
    return;
  }
  await owner.handOver();
  await waitEnded(owner.hello.pid);
}

// Runs before the desk's own cleanup (hooks run in stack order): the places' owners leave, no keychain value is in
// any of their files, and their keychain entries go.
afterAll(async () => {
  const leaks: string[] = [];
  for (const { home, keychainService } of places) {
    if (existsSync(home)) await stopOwnerOf(home);
    const kept = await keytar.findCredentials(keychainService);
    if (existsSync(home))
      leaks.push(
        ...filesContaining(
          home,
          kept.map((c) => c.password),
        ),
      );
    for (const { account } of kept) await keytar.deletePassword(keychainService, account);
  }
  expect(leaks).toEqual([]);
});

interface Status {
  owner: { kind: string; pid: number; version: string; localBaseUrl: string } | null;
}

type Cli = ReturnType<typeof cliOf>;

async function statusOf(cli: Cli): Promise<Status> {
  const run = await cli(['owner', 'status', '--json']);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Status;
}

function ok(run: CliRun): CliRun {
  expect(run.stderr, `exit ${run.code}`).toBe('');
  expect(run.code).toBe(0);
  return run;
}

/** Whether process `pid` has ended (a zombie no one reaps has ended too). */
function ended(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The arguments that add organisation `id` at `baseUrl` with an admin application whose secret comes on stdin:
 * `orgs add … --org-name`, or `tenants add … --org` in a CLI from before the organisations rename.
 */
async function addOrganisation(cli: Cli, id: string, baseUrl: string): Promise<string[]> {
  const renamed = /^\s+orgs\s/m.test(ok(await cli(['--help'])).stdout);
  return [
    ...(renamed ? ['orgs', 'add', id, '--org-name', id] : ['tenants', 'add', id, '--org', id]),
    ...['--base-url', baseUrl, '--client-id', 'admin-app', '--client-secret-stdin'],
  ];
}

const waitEnded = (pid: number, ms = 10_000) => until(() => ended(pid), ms, `process ${pid} to end`);

/** A Unix socket someone else listens on, counting the connections it gets. */
async function listeningSocket(path: string): Promise<{ server: Server; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, connections: () => connections };
}

const closed = (server: { close(done: () => void): unknown }) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
  });

describe('the owner of a data folder', { timeout: 60_000 }, () => {
  describe('socket walls', () => {
    it('another user cannot connect to the running owner, even with the folder opened up', async () => {
      const p = place();
      const cli = cliOf(p, 0);
      ok(await cli(['apps', 'list']));
      const owner = (await statusOf(cli)).owner;
      expect(owner).toMatchObject({ kind: 'background' });
      expect(lstatSync(p.home).mode & 0o777).toBe(0o700);
      expect(lstatSync(p.sock).mode & 0o777).toBe(0o600);

      // What nobody gets: the connection's error code, or "hello" if the owner ever spoke to it.
      const asNobody = () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '-e',
              `const s = require('node:net').connect(process.argv[1]);
               s.on('data', () => { console.log('hello'); process.exit(0); });
               s.on('error', (e) => { console.log(e.code); process.exit(0); });
               setTimeout(() => { console.log('silence'); process.exit(0); }, 3000);`,
              p.sock,
            ],
            { uid: NOBODY, gid: NOBODY, cwd: '/', env: {} },
          );
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('error', reject);
          child.on('close', () => resolve(out.trim()));
        });
      expect(await asNobody()).toBe('EACCES');
      // The folder's 0700 is the first wall; the socket's own 0600 is the second.
      chmodSync(p.home, 0o711);
      try {
        expect(await asNobody()).toBe('EACCES');
      } finally {
        chmodSync(p.home, 0o700);
      }
      expect((await statusOf(cli)).owner?.pid).toBe(owner?.pid);
    });

    it("refuses a socket of another user in the owner's place, and never connects to it", async () => {
      const p = place();
      const cli = cliOf(p, 0);
      const fake = await listeningSocket(p.sock);
      try {
        chownSync(p.sock, NOBODY, NOBODY);
        const run = await cli(['apps', 'list']);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(`${p.sock} belongs to another user`);
        expect(fake.connections()).toBe(0);
        expect(lstatSync(p.sock).isSocket()).toBe(true);
        expect(existsSync(p.log)).toBe(false);
      } finally {
        await closed(fake.server);
      }
    });

    it('refuses a symbolic link to a socket, and a plain file, in its place', async () => {
      const p = place();
      const cli = cliOf(p, 0);
      const elsewhere = join(desk.tempDir(), 'real.sock');
      const fake = await listeningSocket(elsewhere);
      try {
        symlinkSync(elsewhere, p.sock);
        const linked = await cli(['apps', 'list']);
        expect(linked.code).toBe(1);
        expect(linked.stderr).toContain(`${p.sock} is a symbolic link, not OAuth Desk's socket`);
        expect(fake.connections()).toBe(0);
        expect(lstatSync(p.sock).isSymbolicLink()).toBe(true);
      } finally {
        await closed(fake.server);
      }
      rmSync(p.sock);
      writeFileSync(p.sock, 'not a socket');
      const file = await cli(['apps', 'list']);
      expect(file.code).toBe(1);
      expect(file.stderr).toContain(`${p.sock} is not a socket`);
      expect(readFileSync(p.sock, 'utf8')).toBe('not a socket');
      expect(existsSync(p.log)).toBe(false);
    });
  });

  it('the desktop app takes the folder over from a background owner, and commands go through the app', async () => {
    const cli = cliOf(desk, 0);
    ok(await cli(['apps', 'list']));
    const background = (await statusOf(cli)).owner;
    expect(background).toMatchObject({ kind: 'background', version });
    const { call, context } = await desk.open({ ownerKind: 'desktop' });
    try {
      await waitEnded(background!.pid);
      expect((await statusOf(cli)).owner).toMatchObject({
        kind: 'desktop',
        pid: process.pid,
        localBaseUrl: context.local.baseUrl,
      });
      const created = JSON.parse(
        ok(await cli(['apps', 'create', 'Made through the app', '--app-scope', 'OR.Jobs', '--json'])).stdout,
      ) as { app: { id: string } };
      const listed = await call('listApps', { refresh: false });
      expect(listed.map((a) => a.id)).toContain(created.app.id);
      // The app is stopped by its own means, never by `owner stop`.
      const stop = await cli(['owner', 'stop']);
      expect(stop.code).toBe(2);
      expect(stop.stderr).toContain(`is owned by the OAuth Desk app (process ${process.pid})`);
    } finally {
      await context.close();
    }
    expect((await statusOf(cli)).owner).toBeNull();
  });

  describe('an owner of another version', () => {
    const old = `cli-old-${process.pid}`;
    const oldBin = join(root, 'out', old, 'index.js');
    beforeAll(buildOld);
    afterAll(() => {
      rmSync(join(root, 'out', old), { recursive: true, force: true });
    });

    /** A copy of the CLI's build that says it is 0.0.9 (inside the checkout, so node_modules resolves). */
    function buildOld(): void {
      const built = join(root, 'out', 'cli');
      if (!existsSync(join(built, 'index.js'))) throw new Error('No CLI build in out/cli: run `npm run build:cli`.');
      cpSync(built, join(root, 'out', old), { recursive: true });
      const chunks = join(root, 'out', old, 'chunks');
      const marker = '// src/node/version.ts';
      const file = readdirSync(chunks)
        .map((name) => join(chunks, name))
        .find((path) => readFileSync(path, 'utf8').includes(marker));
      if (!file) throw new Error('The built CLI has no src/node/version.ts in its chunks');
      const text = readFileSync(file, 'utf8');
      const at = text.indexOf(marker);
      const patched = text.slice(at).replace(`version: "${version}"`, 'version: "0.0.9"');
      expect(patched).not.toBe(text.slice(at));
      writeFileSync(file, text.slice(0, at) + patched);
    }

    it('a background owner of an older build is replaced by the next command', async () => {
      const p = place();
      const cli = cliOf(p, 0);
      const oldCli = cliOf(p, 0, oldBin);
      ok(await oldCli(['apps', 'list']));
      const older = (await statusOf(cli)).owner;
      expect(older).toMatchObject({ kind: 'background', version: '0.0.9' });

      ok(await cli(['apps', 'list']));
      const newer = (await statusOf(cli)).owner;
      expect(newer).toMatchObject({ kind: 'background', version });
      expect(newer!.pid).not.toBe(older!.pid);
      await waitEnded(older!.pid);
      expect(readFileSync(p.log, 'utf8').match(/ owner of /g)).toHaveLength(2);
    });

    it('`oauth-desk server` of an older build is named, not replaced', async () => {
      const p = place();
      const cli = cliOf(p, 0);
      const server = spawn(process.execPath, [oldBin, 'server', '--port', '0'], {
        env: { ...process.env, OAUTH_DESK_HOME: p.home, OAUTH_DESK_KEYCHAIN_SERVICE: p.keychainService },
      });
      try {
        await new Promise<void>((resolve, reject) => {
          let out = '';
          server.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('listening on')) resolve();
          });
          server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
        });
        const run = await cli(['apps', 'list']);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(
          `\`oauth-desk server\` (process ${server.pid}) is version 0.0.9 and this oauth-desk is version ${version}`,
        );
        expect((await statusOf(cli)).owner).toMatchObject({ kind: 'server', pid: server.pid, version: '0.0.9' });
      } finally {
        server.kill('SIGINT');
        await new Promise((resolve) => server.once('exit', resolve));
      }
    });

    it('the desktop app of another version is named, not replaced', async () => {
      // The app's version is the package's; a module mock is the only way to start an app of another version here.
      vi.resetModules();
      vi.doMock('../../src/node/version', () => ({ OAUTH_DESK_VERSION: '0.0.9' }));
      const { openAppContext } = await import('../../src/main/context');
      vi.doUnmock('../../src/node/version');
      const p = place();
      const options: AppContextOptions = {
        home: p.home,
        port: 0,
        ownerKind: 'desktop',
        keychain: desk.keychain,
        keychainService: p.keychainService,
      };
      const context = await openAppContext(options);
      try {
        const cli = cliOf(p, 0);
        const run = await cli(['apps', 'list']);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(
          `The OAuth Desk app (process ${process.pid}) is version 0.0.9 and this oauth-desk is version ${version}`,
        );
        expect(await callerOf(context.dispatch)('listApps', { refresh: false })).toHaveLength(1);
      } finally {
        await context.close();
      }
    });
  });

  it('a command whose owner is killed mid-call says so, and the next command starts a new owner', async () => {
    const p = place();
    const cli = cliOf(p, 0);
    // An organisation that accepts every connection and never answers.
    const requests: string[] = [];
    const silent = createHttpServer((req) => {
      requests.push(`${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const adding = cli(await addOrganisation(cli, 'acme', `http://127.0.0.1:${port}`), {}, 'never-sent-elsewhere\n');
      let early: CliRun | null = null;
      void adding.then((run) => (early = run));
      await until(() => requests.length > 0 || early !== null, 30_000, 'the owner to ask the silent organisation');
      expect(early, 'adding the organisation ended before it reached it').toBeNull();
      const owner = (await statusOf(cli)).owner!;
      expect(owner.kind).toBe('background');
      process.kill(owner.pid, 'SIGKILL');
      const added = await adding;
      expect(added.code).toBe(1);
      expect(added.stderr).toContain('The OAuth Desk process that owns this data folder stopped before it answered');
      expect(added.stderr).toContain('Whether the command took effect is unknown');

      ok(await cli(['apps', 'list']));
      const next = (await statusOf(cli)).owner!;
      expect(next.pid).not.toBe(owner.pid);
      expect(readFileSync(p.log, 'utf8').match(/ owner of /g)).toHaveLength(2);
    } finally {
      silent.closeAllConnections();
      await closed(silent);
    }
  });

  // 16 × 4 rounds: a round asks the organisation 4 GETs (apps update reads the app, updateApp reads it before and
  // after), and the embedded server enforces UiPath's 300 GETs per 5 minutes; a fifth round would wait out a 429.
  it('16 processes × 4 rounds of create, update, generate-secret, delete: no failure, one owner, nothing left over', async () => {
    const p = place();
    const cli = cliOf(p, 0);
    const failures: string[] = [];
    // A test that timed out must not leave its workers starting commands (and owners) in a folder being removed.
    let over = false;
    onTestFinished(() => {
      over = true;
    });
    const step = async (args: string[], check: (run: CliRun) => string | null = () => null) => {
      if (over) return null;
      const run = await cli(args);
      const wrong = run.code !== 0 || run.stderr !== '' ? `exit ${run.code}: ${run.stderr.trim()}` : check(run);
      if (wrong) failures.push(`oauth-desk ${args.join(' ')} → ${wrong}`);
      return wrong ? null : run;
    };
    const worker = async (w: number) => {
      for (let round = 0; round < 4; round += 1) {
        const created = await step([
          'apps',
          'create',
          `Worker ${w} round ${round}`,
          '--app-scope',
          'OR.Jobs',
          '--json',
        ]);
        if (!created) continue;
        const id = (JSON.parse(created.stdout) as { app: { id: string } }).app.id;
        await step(['apps', 'update', id, '--app-scope', 'OR.Queues', '--json'], (run) => {
          const scopes = (
            JSON.parse(run.stdout) as { app: { resources: { scopes: { name: string }[] }[] } }
          ).app.resources.flatMap((r) => r.scopes.map((s) => s.name));
          return scopes.join() === 'OR.Queues' ? null : `scopes ${scopes.join()}`;
        });
        await step(['apps', 'generate-secret', id, '--json'], (run) =>
          (JSON.parse(run.stdout) as { secret: { stored: boolean } }).secret.stored ? null : 'secret not stored',
        );
        await step(['apps', 'delete', id], (run) =>
          run.stdout.includes('2 keychain entries removed') ? null : run.stdout.trim(),
        );
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    const seconds = (Date.now() - started) / 1000;
    console.log(`256 commands in ${seconds.toFixed(1)} s`);
    expect(failures, failures.join('\n')).toEqual([]);

    // Exactly one owner was started; the processes that lost the race to start one left without a word.
    const log = readFileSync(p.log, 'utf8');
    expect(log.match(/ owner of /g), log).toHaveLength(1);
    expect(log).not.toMatch(/could not start/);

    // Left: the local organisation's admin application alone, with one secret, on the server, in the workspace's
    // cache and in the keychain alike.
    const onServer = JSON.parse(ok(await cli(['apps', 'list', '--json'])).stdout) as { id: string; name: string }[];
    expect(onServer.map((a) => a.name)).toEqual(['OAuth Desk admin']);
    const adminId = onServer[0]!.id;
    const inWorkspace = JSON.parse(ok(await cli(['apps', 'list', '--json', '--cached'])).stdout) as { id: string }[];
    expect(inWorkspace.map((a) => a.id)).toEqual([adminId]);
    const adminSecrets = JSON.parse(ok(await cli(['apps', 'secrets', adminId, '--json'])).stdout) as unknown[];
    expect(adminSecrets).toHaveLength(1);
    const inKeychain = (await keytar.findCredentials(p.keychainService)).map((c) => c.account);
    expect(inKeychain).toHaveLength(1);
    expect(inKeychain[0]!.startsWith(`local/${adminId}/`)).toBe(true);
  }, 300_000);

  it('a program on the port the local server had gets no credential, and a command on that port is refused', async () => {
    const p = place();
    const port = await freePort();
    const onPort = cliOf(p, port);
    const apps = JSON.parse(ok(await onPort(['apps', 'list', '--json'])).stdout) as { id: string }[];
    const first = (await statusOf(onPort)).owner!;
    expect(first.localBaseUrl).toBe(`http://127.0.0.1:${port}`);
    // The admin application's secret, the one credential the owner holds for the local organisation.
    const kept = await keytar.findCredentials(p.keychainService);
    expect(kept).toHaveLength(1);
    const adminSecret = kept[0]!.password;
    expect(ok(await onPort(['owner', 'stop'])).stdout).toContain(`(process ${first.pid})`);
    await waitEnded(first.pid);

    // Another program now listens where the local server was, and plays it.
    const base = `http://127.0.0.1:${port}`;
    const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const impostor = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.setHeader('content-type', 'application/json');
        if (req.url?.endsWith('/.well-known/openid-configuration'))
          res.end(
            JSON.stringify({
              issuer: `${base}/identity_`,
              token_endpoint: `${base}/identity_/connect/token`,
              authorization_endpoint: `${base}/identity_/connect/authorize`,
              jwks_uri: `${base}/identity_/.well-known/openid-configuration/jwks`,
            }),
          );
        else if (req.url?.endsWith('/connect/token'))
          res.end(JSON.stringify({ access_token: 'impostor', token_type: 'Bearer', expires_in: 3600 }));
        else res.end('[]');
      });
    });
    await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
    // What an older version left behind: a server.json naming a live process (this one) at that address.
    writeFileSync(
      join(p.home, 'server.json'),
      JSON.stringify({ pid: process.pid, baseUrl: base, orgName: 'local', partitionGlobalId: randomUUID() }),
    );
    try {
      const refused = await onPort(['apps', 'list']);
      expect(refused.code).toBe(1);
      // At once: the background owner that could not start says so by its exit code, and the command tells why.
      expect(refused.stderr).toContain('The background OAuth Desk process could not start');
      expect(refused.stderr).toContain(`Port ${port} is already used by another program`);
      expect((await statusOf(onPort)).owner).toBeNull();

      const elsewhere = cliOf(p, 0);
      const listed = JSON.parse(ok(await elsewhere(['apps', 'list', '--json'])).stdout) as { id: string }[];
      expect(listed.map((a) => a.id)).toEqual(apps.map((a) => a.id));
      expect((await statusOf(elsewhere)).owner?.localBaseUrl).not.toBe(base);

      const credentials = seen.filter(
        (r) =>
          r.headers.authorization !== undefined ||
          /client_secret|password|assertion/i.test(r.body) ||
          r.body.includes(adminSecret),
      );
      expect(credentials).toEqual([]);
      expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    } finally {
      impostor.closeAllConnections();
      await closed(impostor);
    }
  });

  describe('--no-daemon', () => {
    it('with no owner, the command runs in its own process and leaves no owner behind', async () => {
      const p = place();
      const cli = cliOf(p, 0);
      const run = ok(await cli(['apps', 'list'], { OAUTH_DESK_NO_DAEMON: '1' }));
      expect(run.stdout).toContain('OAuth Desk admin');
      expect(ok(await cli(['owner', 'status'])).stdout).toContain(`No OAuth Desk process owns ${p.home}`);
      expect(existsSync(p.sock)).toBe(false);
      expect(existsSync(p.log)).toBe(false);
    });

    it('with an owner running, the command goes through it', async () => {
      const p = place();
      const cli = cliOf(p, 0);
      ok(await cli(['apps', 'list']));
      const owner = (await statusOf(cli)).owner!;
      const run = ok(await cli(['--no-daemon', 'apps', 'list']));
      expect(run.stdout).toContain('OAuth Desk admin');
      expect((await statusOf(cli)).owner).toMatchObject({ kind: 'background', pid: owner.pid });
    });
  });

  it('a background owner left idle leaves by itself', async () => {
    const p = place();
    const cli = cliOf(p, 0);
    ok(await cli(['apps', 'list'], { OAUTH_DESK_OWNER_IDLE_SECONDS: '1' }));
    const owner = (await statusOf(cli)).owner!;
    await waitEnded(owner.pid, 8_000);
    expect(readFileSync(p.log, 'utf8')).toMatch(/ left: idle for 1 s\n$/);
    expect(existsSync(p.sock)).toBe(false);
    expect((await statusOf(cli)).owner).toBeNull();
  });
});
