// Every CLI command against a Prism mock of our description of UiPath's Identity Server API
// (schemas/uipath-external-applications.openapi.yaml), as real processes on a real keychain: in static mode (the
// description's examples), in dynamic mode (answers made up from the schemas, full of nulls), and on answers that are
// valid but hostile (an int64 secret ID past 2^53, a negative one, null resources, a userAndApplication scope, an
// application without a name). Each command either works or refuses in a sentence; no secret is ever lost; every
// request the CLI sends is one the description allows.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import type { ActivityEntry } from '../../src/shared/model';
import { CONTRACT_PATH, loadContract, type Contract, type Exchange } from '../contract/openapiContract';
import { documentForMock, freePort, startPrism, type PrismMock } from '../contract/prism';
import { cliOf, keytar, useDeskHome, type CliRun, type DeskHome } from './support';

const PARTITION = '8e3b2f6a-5c1d-4e7b-9a10-3f2d4c6b7a81';
const ADMIN = '6b1c7f3e-2d4a-4f8e-b9c0-1a2b3c4d5e6f';
const INVOICES = 'c4e8a1d2-9f3b-4a67-b5e0-2d7f1c8a9b34';
const CREATED = '3f9a2c71-8b4e-4d06-a5f2-7c1e9b0d4a38';
const CREATED_SECRET = 'ExAmPlE-v4lue-Kq7wR2mN9pX4tB6yH1jL8cF3dZ5sG0';
const GENERATED_SECRET = 'ExAmPlE-v4lue-Tz3vB8nQ1wE6rY9uI2oP5aS7dF4gH0';
const INT64_MAX = '9223372036854775807';
/** The federated credential of the description's examples, and the fields the commands send. */
const FEDERATED_ID = '3c1f7a2e-9b4d-4e6a-8f21-5d7c9e0b1a34';
const FEDERATED_FIELDS = [
  ...['--name', 'GitHub production', '--issuer', 'https://token.actions.githubusercontent.com'],
  ...['--audience', 'https://github.com/acme', '--subject', 'repo:acme/robots:environment:prod'],
];

type Cli = ReturnType<typeof cliOf>;

/** A command that did not work said why in words: no stack trace, no JavaScript error leaking through. */
function expectNoCrash(run: CliRun, what: string): void {
  const said = `${what}\nexit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  expect(run.signal, said).toBeNull();
  expect([0, 1, 2], said).toContain(run.code);
  expect(run.stderr, said).not.toMatch(/\n\s+at /);
  expect(`${run.stdout}${run.stderr}`, said).not.toMatch(/TypeError|ReferenceError|Cannot read properties|undefined/);
  if (run.code !== 0) expect(run.stderr, said).toMatch(/^oauth-desk: \S.*[.:)]$/m);
}

/** A command that must work. */
function expectOk(run: CliRun, what: string): string {
  expectNoCrash(run, what);
  expect(run.code, `${what}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

/** A command that must be refused, in one sentence on stderr. */
function expectRefused(run: CliRun, what: string, sentence: RegExp): void {
  expectNoCrash(run, what);
  expect(run.code, `${what}\n${run.stdout}`).not.toBe(0);
  expect(run.stderr.trim().split('\n'), what).toHaveLength(1);
  expect(run.stderr).toMatch(sentence);
}

/** The keychain's entries of the desk, account → value. */
async function keychainOf(desk: DeskHome): Promise<Map<string, string>> {
  const found = await keytar.findCredentials(desk.keychainService);
  return new Map(found.map((c) => [c.account, c.password]));
}

/** The example token of the description: a JWT whose claims carry prt_id and the admin scopes. */
function exampleToken(): string {
  const doc = parse(readFileSync(CONTRACT_PATH, 'utf8')) as {
    paths: Record<string, { post: { responses: Record<string, { content: Record<string, { examples: never }> }> } }>;
  };
  const examples = doc.paths['/identity_/connect/token']!.post.responses['200']!.content['application/json']!
    .examples as Record<string, { value: { access_token: string } }>;
  return examples.clientCredentials!.value.access_token;
}

/**
 * `oauth-desk server` on the desk, in the background: each command then uses it instead of starting the embedded
 * Identity Server for its own length, which halves the time a command takes. Answers how to stop it.
 */
async function serveDesk(desk: DeskHome, port: number): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['bin/oauth-desk.mjs', 'server'], {
    env: {
      ...process.env,
      OAUTH_DESK_HOME: desk.home,
      OAUTH_DESK_PORT: String(port),
      OAUTH_DESK_KEYCHAIN_SERVICE: desk.keychainService,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C to stop.')) resolve();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => reject(new Error(`oauth-desk server exited (${String(code)}):\n${output}`)));
  });
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
}

/** What a block of tests runs against: Prism mocking the organisation, and the desk's CLI over its own server. */
interface AtPrism {
  prism: PrismMock;
  cli: Cli;
  /** Stops Prism and the desk's server. */
  stop: () => Promise<void>;
}

/** Starts Prism on `document(port)` and `oauth-desk server` on the desk, side by side, on free ports. */
async function startAtPrism(
  desk: DeskHome,
  mock: { mode: 'static' | 'dynamic'; seed?: string; document: (port: number) => string },
): Promise<AtPrism> {
  const [port, localPort] = await Promise.all([freePort(), freePort()]);
  const [prism, stopServer] = await Promise.all([
    startPrism({ mode: mock.mode, seed: mock.seed, port, document: mock.document(port) }),
    serveDesk(desk, localPort),
  ]);
  return {
    prism,
    cli: cliOf(desk, localPort),
    stop: async () => {
      await Promise.all([prism.stop(), stopServer()]);
    },
  };
}

/** Adds the mock as organisation `acme` (with any admin secret) and makes it the current one. */
async function addAcme(cli: Cli, baseUrl: string, extra: string[] = []): Promise<CliRun> {
  const run = await cli(
    [
      'tenants',
      'add',
      'acme',
      '--base-url',
      baseUrl,
      '--org',
      'acme',
      '--client-id',
      ADMIN,
      '--client-secret-stdin',
      ...extra,
    ],
    {},
    'any-admin-secret\n',
  );
  await cli(['tenants', 'use', 'acme']);
  return run;
}

describe('every command against Prism serving the examples (static)', { timeout: 120_000 }, () => {
  const desk = useDeskHome();
  let cli: Cli;
  let prism: PrismMock;
  let stop: (() => Promise<void>) | undefined;
  let exportFile: string;

  beforeAll(async () => {
    ({ cli, prism, stop } = await startAtPrism(desk, { mode: 'static', document: documentForMock }));
    exportFile = join(desk.tempDir(), 'registrations.json');
  });
  afterAll(async () => {
    await stop?.();
  });

  it('adds the organisation: every connection check passes, the partitionGlobalId read from the token', async () => {
    const out = expectOk(await addAcme(cli, prism.baseUrl), 'organisations add');
    expect(out).toContain('Added acme (acme, ');
    expect(out).toContain('✓ list applications: 2 applications');
    expect(out).not.toContain('✗');
    expect(expectOk(await cli(['tenants', 'show', 'acme']), 'organisations show')).toContain(PARTITION);
    expect(expectOk(await cli(['tenants', 'test', 'acme']), 'organisations test')).toContain('✓ secret management');
  });

  it('syncs and lists the two example applications', async () => {
    expect(expectOk(await cli(['sync']), 'sync')).toMatch(/^Synced 2 applications at /);
    const table = expectOk(await cli(['apps', 'list']), 'apps list');
    expect(table).toMatch(new RegExp(`${INVOICES}\\s+Invoice portal\\s+Non-confidential\\s+Orchestrator API Access`));
    expect(table).toMatch(new RegExp(`${ADMIN}\\s+OAuth Desk admin\\s+Confidential`));
    const list = JSON.parse(expectOk(await cli(['apps', 'list', '--json']), 'apps list --json')) as {
      id: string;
      userScopeCount: number;
    }[];
    expect(list.map((a) => a.id).sort()).toEqual([ADMIN, INVOICES].sort());
  });

  it('gets an application (the example answers the admin application, whatever is asked)', async () => {
    const out = expectOk(await cli(['apps', 'get', ADMIN]), 'apps get');
    expect(out).toMatch(/Application scopes: PM\.OAuthApp PM\.OAuthAppSecret\.Write/);
    expect(out).toMatch(/^ {2}41872 {2}created 2025-07-01T12:00:00Z/m);
    expect(expectOk(await cli(['apps', 'get', INVOICES]), 'apps get other')).toContain(`App ID:             ${ADMIN}`);
  });

  it('creates a confidential application: the example secret is in the keychain, not printed', async () => {
    const run = await cli(['apps', 'create', 'Nightly machine report', '--app-scope', 'OR.Machines.Read']);
    const out = expectOk(run, 'apps create');
    expect(out).toContain('Registered Nightly machine report');
    expect(out).toContain(`App secret saved to your keychain as ${desk.keychainService} / acme/${CREATED}/41874`);
    expect(out).not.toContain(CREATED_SECRET);
    const kept = await keychainOf(desk);
    expect(kept.get(`acme/${CREATED}/41874`)).toBe(CREATED_SECRET);
    expect([...kept.values()].filter((v) => v === CREATED_SECRET)).toHaveLength(1);
  });

  it('creates a non-confidential application (the example answers the confidential one; its secret is kept)', async () => {
    const run = await cli([
      'apps',
      'create',
      'Web portal',
      '--non-confidential',
      '--user-scope',
      'OR.Machines.Read',
      '--redirect-uri',
      'https://portal.example.com/callback',
      '--json',
    ]);
    const created = JSON.parse(expectOk(run, 'apps create --non-confidential')) as {
      app: { id: string; name: string };
      secret: { stored: boolean; value?: string } | null;
    };
    // Static mode answers the one example whatever was asked: what the server says was created is what is shown.
    expect(created.app).toMatchObject({ id: CREATED, name: 'Nightly machine report' });
    expect(created.secret).toMatchObject({ stored: true });
    expect(created.secret?.value).toBeUndefined();
    expect((await keychainOf(desk)).get(`acme/${CREATED}/41874`)).toBe(CREATED_SECRET);
  });

  it('refuses to update: the example application it reads back is the admin application', async () => {
    expectRefused(
      await cli(['apps', 'update', CREATED, '--name', 'Nightly machine report (EU)']),
      'apps update',
      /This is the admin application OAuth Desk manages acme through, so it is not changed here\./,
    );
    // The preview needs no write, and says what would change.
    const preview = expectOk(
      await cli(['apps', 'update', CREATED, '--name', 'Renamed', '--dry-run']),
      'update --dry-run',
    );
    expect(preview).toMatch(/Renamed/);
  });

  it('lists the secrets of an application', async () => {
    const out = expectOk(await cli(['apps', 'secrets', ADMIN]), 'apps secrets');
    expect(out).toMatch(/^41872\s+First secret\s+2025-07-01T12:00:00Z/m);
    expect(out).toMatch(/^41873\s+Rotation January 2026\s+2026-01-02T09:15:00Z\s+never/m);
  });

  it('generates a secret: the example value is in the keychain under its ID', async () => {
    const out = expectOk(
      await cli([
        'apps',
        'generate-secret',
        CREATED,
        '--description',
        'Rotation January 2026',
        '--expiration',
        '2026-07-15',
      ]),
      'apps generate-secret',
    );
    expect(out).toContain(`New secret 41875 for ${CREATED}`);
    expect(out).not.toContain(GENERATED_SECRET);
    expect((await keychainOf(desk)).get(`acme/${CREATED}/41875`)).toBe(GENERATED_SECRET);
  });

  it('deletes a secret by its integer ID', async () => {
    expect(expectOk(await cli(['apps', 'delete-secret', CREATED, '41872']), 'apps delete-secret')).toBe(
      `Deleted secret 41872 of ${CREATED}\n`,
    );
    expect(prism.log()).toMatch(new RegExp(`delete /acme/identity_/api/ExternalClient/${PARTITION}/secrets/41872 `));
    expectRefused(
      await cli(['apps', 'delete-secret', CREATED, '4187x']),
      'apps delete-secret not a number',
      /^oauth-desk: secretId: Secret ID must be a whole number, such as 41872\.$/m,
    );
  });

  it("lists, adds, replaces and deletes an application's federated credentials", async () => {
    const listed = expectOk(await cli(['apps', 'federated', 'list', INVOICES, '--json']), 'apps federated list');
    expect((JSON.parse(listed) as { id: string }[]).map((c) => c.id)).toContain(FEDERATED_ID);
    expectOk(await cli(['apps', 'federated', 'create', INVOICES, ...FEDERATED_FIELDS]), 'apps federated create');
    expectOk(
      await cli(['apps', 'federated', 'update', INVOICES, FEDERATED_ID, ...FEDERATED_FIELDS]),
      'apps federated update',
    );
    expectOk(await cli(['apps', 'federated', 'delete', INVOICES, FEDERATED_ID]), 'apps federated delete');
    const path = `/acme/identity_/api/ExternalClient/${PARTITION}/${INVOICES}/FederatedCredentials`;
    for (const request of [
      `get ${path} `,
      `post ${path} `,
      `put ${path}/${FEDERATED_ID} `,
      `delete ${path}/${FEDERATED_ID} `,
    ])
      expect(prism.log()).toContain(request);
  });

  it('prints the handoff of an application', async () => {
    const out = expectOk(await cli(['apps', 'handoff', CREATED]), 'apps handoff');
    expect(out).toContain(`| Token URL | \`${prism.baseUrl}/identity_/connect/token\` |`);
    expect(out).not.toContain(CREATED_SECRET);
    const env = expectOk(await cli(['apps', 'handoff', CREATED, '--format', 'env']), 'apps handoff env');
    expect(env).toContain(`OAUTH_TOKEN_URL="${prism.baseUrl}/identity_/connect/token"`);
    expect(env).toContain('OAUTH_CLIENT_SECRET=\n');
  });

  it('copies an application to the local organisation: the copy gets its own secret in the keychain', async () => {
    // The copy holds organisation-admin application scopes (see below): main asks first, and --yes answers it here.
    const run = await cli(['apps', 'copy', INVOICES, '--to', 'local', '--yes', '--json']);
    const copied = JSON.parse(expectOk(run, 'apps copy')) as {
      app: { id: string; name: string };
      secret: { stored: boolean; keychain: { account: string } } | null;
    };
    // The example answers the admin application to the read of INVOICES: that is what is copied.
    expect(copied.app.name).toBe('OAuth Desk admin');
    expect(copied.secret?.stored).toBe(true);
    expect(copied.secret?.keychain.account).toMatch(new RegExp(`^local/${copied.app.id}/\\d+$`));
    expect((await keychainOf(desk)).get(copied.secret!.keychain.account)).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });

  it('exports, then imports a changed export: the dry run, then the update', async () => {
    expect(expectOk(await cli(['export', '--output', exportFile]), 'export')).toBe(`Wrote ${exportFile}\n`);
    const document = JSON.parse(readFileSync(exportFile, 'utf8')) as {
      registrations: { client_name: string; redirect_uris?: string[] }[];
    };
    expect(document.registrations.map((r) => r.client_name)).toContain('Invoice portal');
    expect(JSON.stringify(document)).not.toContain('ExAmPlE');
    const invoices = document.registrations.find((r) => r.client_name === 'Invoice portal')!;
    invoices.redirect_uris = ['https://invoices.example.com/callback-eu'];
    writeFileSync(exportFile, JSON.stringify(document));
    const dry = expectOk(await cli(['import', exportFile, '--dry-run']), 'import --dry-run');
    expect(dry).toMatch(
      /^update\s+Invoice portal \(c4e8a1d2-9f3b-4a67-b5e0-2d7f1c8a9b34\): Redirect URL: .* → https:\/\/invoices\.example\.com\/callback-eu$/m,
    );
    expect(dry).toContain('Dry run: nothing was changed.');
    // The read before the PUT answers the example admin application: the import will not take its admin scopes away.
    const run = await cli(['import', exportFile]);
    expectNoCrash(run, 'import');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^update\s+Invoice portal \(c4e8a1d2-9f3b-4a67-b5e0-2d7f1c8a9b34\): .*\(failed: OAuth Desk manages acme through this application, so it must keep PM\.OAuthApp and PM\.OAuthAppSecret\.Write: .*\)$/m,
    );
    expect(run.stderr).toBe('oauth-desk: 1 of 1 registrations were refused or failed.\n');
  });

  it('applies a scope set to an application', async () => {
    expectOk(await cli(['scope-sets', 'create', 'machines', '--user-scope', 'OR.Machines']), 'scope-sets create');
    // Each application is read again before its PUT; the example read is the admin application, not the previewed
    // one, so it is held back as changed on the server: never overwritten.
    const run = await cli(['scope-sets', 'apply', 'machines', '--app', INVOICES, '--mode', 'remove']);
    expectNoCrash(run, 'scope-sets apply');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1 application to change');
    expect(run.stdout).toBe(
      `conflict  ${INVOICES}  Invoice portal: Changed on the server since the preview; held back, not overwritten.\n`,
    );
    expect(run.stderr).toMatch(/^oauth-desk: 1 of 1 applications were not applied \(conflict\)\.$/m);
    const dry = expectOk(
      await cli(['scope-sets', 'apply', 'machines', '--app', INVOICES, '--mode', 'remove', '--dry-run']),
      'scope-sets apply --dry-run',
    );
    expect(dry).toMatch(/Invoice portal/);
  });

  it('deletes an application', async () => {
    expect(expectOk(await cli(['apps', 'delete', CREATED]), 'apps delete')).toMatch(
      new RegExp(`^Deleted ${CREATED} \\(\\d keychain entr(y|ies) removed\\)`),
    );
  });

  it("rotates the admin application's secret into the keychain", async () => {
    const out = expectOk(await cli(['tenants', 'rotate-admin-secret', 'acme']), 'rotate-admin-secret');
    expect(out).toContain(`New admin secret 41875 is in the keychain as ${desk.keychainService} / acme/admin/${ADMIN}`);
    expect((await keychainOf(desk)).get(`acme/admin/${ADMIN}`)).toBe(GENERATED_SECRET);
  });

  it('sent only requests the description allows', async () => {
    await prism.settle();
    expect(prism.violations()).toEqual([]);
  });
});

/** A scope of the mock's catalogue the rules can take (a one-word name), with how it may be granted; null if none. */
async function grantableScope(baseUrl: string): Promise<{ name: string; type: string } | null> {
  const response = await fetch(`${baseUrl}/acme/identity_/api/ExternalApiResource`, {
    headers: { accept: 'application/json', authorization: `Bearer ${exampleToken()}` },
  });
  const resources = (await response.json()) as {
    name?: string | null;
    scopes?: { name?: string | null; type?: string }[] | null;
  }[];
  for (const resource of resources)
    for (const scope of resource.scopes ?? [])
      if (resource.name && scope.name && /^[A-Za-z][\w.]*$/.test(scope.name))
        return { name: scope.name, type: scope.type ?? 'userAndApplication' };
  return null;
}

/** Every secret value a command printed (`App secret: …`) and every keychain account its sentences name. */
function secretsMentioned(run: CliRun): { values: string[]; accounts: string[] } {
  const text = `${run.stdout}\n${run.stderr}`;
  return {
    values: [...text.matchAll(/^App secret: (.+)$/gm)].map((m) => m[1]!),
    accounts: [
      ...[...text.matchAll(/in your keychain \(([^)]+)\)/g)].map((m) => m[1]!),
      ...[...text.matchAll(/keychain as \S+ \/ ([^\s;]+)/g)].map((m) => m[1]!),
      ...[...text.matchAll(/"account": "([^"]+)"/g)].map((m) => m[1]!),
    ],
  };
}

describe('every command against Prism making answers up (dynamic, seed 6)', { timeout: 120_000 }, () => {
  const desk = useDeskHome();
  let cli: Cli;
  let prism: PrismMock;
  let stop: (() => Promise<void>) | undefined;
  let importFile: string;
  /** How many secrets the commands said they kept: the made-up answers must have carried some. */
  let secretsSeen = 0;

  /** Runs a command that must not crash; what it says of a secret must be true of the keychain right after it. */
  const run = async (args: string[]): Promise<CliRun> => {
    const result = await cli(args);
    expectNoCrash(result, args.join(' '));
    // The activity list is history: the keychain entries it names may have gone with their application since.
    const said = args[0] === 'activity' ? { values: [], accounts: [] } : secretsMentioned(result);
    const kept = await keychainOf(desk);
    for (const value of said.values) expect([...kept.values()], args.join(' ')).toContain(value);
    for (const account of said.accounts) expect([...kept.keys()], args.join(' ')).toContain(account);
    secretsSeen += said.values.length + said.accounts.length;
    return result;
  };

  beforeAll(async () => {
    ({ cli, prism, stop } = await startAtPrism(desk, { mode: 'dynamic', seed: '6', document: documentForMock }));
    importFile = join(desk.tempDir(), 'registrations.json');
  });
  afterAll(async () => {
    await stop?.();
  });

  it('adds the organisation (its token is no JWT: the partitionGlobalId is given) and says what fails', async () => {
    const added = await addAcme(cli, prism.baseUrl, ['--partition-global-id', PARTITION]);
    expectNoCrash(added, 'organisations add');
    expect(added.stdout).toContain('Added acme (acme, ');
    // Prism's made-up discovery document names a made-up issuer: the check says so.
    expect(added.stdout).toMatch(
      /^✗ discovery: the discovery document names the issuer .+, not http:\/\/127\.0\.0\.1:\d+\/identity_: check the base URL$/m,
    );
    const tested = await run(['tenants', 'test', 'acme']);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toMatch(/^oauth-desk: \d of 5 checks failed: .*discovery/m);
  });

  it('runs every command on made-up answers: each works or refuses in a sentence', async () => {
    const scope = await grantableScope(prism.baseUrl);
    const asApp = scope !== null && scope.type !== 'user';
    const scopeArgs = scope ? [asApp ? '--app-scope' : '--user-scope', scope.name] : [];
    const redirect = ['--redirect-uri', 'https://portal.example.com/callback'];
    await run(['sync']);
    await run(['apps', 'list']);
    const listed = await run(['apps', 'list', '--json']);
    if (listed.code === 0) expect(Array.isArray(JSON.parse(listed.stdout))).toBe(true);
    await run(['apps', 'list', '--cached']);
    await run(['apps', 'get', INVOICES]);
    await run(['apps', 'create', 'Nightly machine report', ...scopeArgs, ...redirect, '--show-secret']);
    await run(['apps', 'create', 'Nightly machine report', ...scopeArgs, ...redirect, '--show-secret', '--json']);
    await run(['apps', 'create', 'Web portal', '--non-confidential', ...(asApp ? [] : scopeArgs), ...redirect]);
    await run(['apps', 'update', INVOICES, '--name', 'Invoice portal (EU)']);
    await run(['apps', 'update', INVOICES, '--redirect-uri', 'https://invoices.example.com/eu', '--dry-run']);
    await run(['apps', 'secrets', INVOICES]);
    await run(['apps', 'generate-secret', INVOICES, '--show-secret']);
    await run(['apps', 'generate-secret', INVOICES, '--show-secret', '--json', '--expiration', '2027-01-31']);
    await run(['apps', 'generate-secret', INVOICES, '--replace', '--show-secret']);
    await run(['apps', 'delete-secret', INVOICES, '41872']);
    await run(['apps', 'federated', 'list', INVOICES]);
    await run(['apps', 'federated', 'create', INVOICES, ...FEDERATED_FIELDS]);
    await run(['apps', 'federated', 'update', INVOICES, FEDERATED_ID, ...FEDERATED_FIELDS]);
    await run(['apps', 'federated', 'delete', INVOICES, FEDERATED_ID]);
    await run(['apps', 'handoff', INVOICES]);
    await run(['apps', 'handoff', INVOICES, '--format', 'json']);
    await run(['apps', 'copy', INVOICES, '--to', 'local']);
    await run(['apps', 'delete', INVOICES]);
    await run(['export', '--output', join(desk.tempDir(), 'export.json')]);
    writeFileSync(
      importFile,
      JSON.stringify({
        format: 'oauth-desk-export',
        version: 1,
        exported_at: '2026-01-15T09:30:00Z',
        organisation: { id: 'dev', org_name: 'dev', base_url: 'https://cloud.uipath.com' },
        registrations: [
          {
            client_name: 'Imported report',
            token_endpoint_auth_method: 'client_secret_post',
            redirect_uris: ['https://portal.example.com/callback'],
            resources: scope
              ? [
                  {
                    name: 'Made-up resource',
                    user_scopes: asApp ? [] : [scope.name],
                    application_scopes: asApp ? [scope.name] : [],
                  },
                ]
              : [],
          },
        ],
        scope_sets: [],
      }),
    );
    await run(['import', importFile, '--dry-run']);
    await run(['import', importFile]);
    expect((await run(['scope-sets', 'create', 'made-up', ...scopeArgs])).code).toBe(0);
    await run(['scope-sets', 'apply', 'made-up', '--all', '--mode', 'add']);
    await run(['tenants', 'rotate-admin-secret', 'acme']);
    await run(['activity']);
  });

  it('said where each secret it was given is: the made-up answers carried some', () => {
    expect(secretsSeen).toBeGreaterThan(3);
  });

  it('sent only requests the description allows', async () => {
    await prism.settle();
    expect(prism.violations()).toEqual([]);
  });
});

const LEDGER = 'a7d3e5f1-2b4c-4d6e-8f09-1a2b3c4d5e6f';
const BARE = 'b8e4f6a2-3c5d-4e7f-9a10-2b3c4d5e6f70';
const HOSTILE_CREATED = 'd2c4e6a8-1b3d-4f5a-8c7e-9f0a1b2c3d4e';
const HOSTILE_CREATE_SECRET = 'ExAmPlE-hostile-create-Qw8eR7tY6uI5oP4aS3dF';
const HOSTILE_GENERATE_SECRET = 'ExAmPlE-hostile-generate-Zx1cV2bN3mL4kJ5hG6fD';
const BIG_APP = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';
const BIG_GENERATE_SECRET = 'ExAmPlE-big-id-Mn7bV6cX5zL4kJ3hG2fD1sA0';

/** The nameless application, with a userAndApplication scope and a negative secret ID: what `apps get` answers. */
const NAMELESS_APP = {
  name: null,
  id: LEDGER,
  secret: null,
  isConfidential: true,
  redirectUri: 'https://ledger.example.com/callback',
  resources: [
    {
      name: 'OrchestratorApiUserAccess',
      displayName: 'Orchestrator API Access',
      description: null,
      scopes: [{ name: 'OR.Machines.Read', displayName: null, description: null, type: 'userAndApplication' }],
    },
  ],
  secrets: [{ id: -42, description: 'Negative', secret: null, creationTime: '2026-01-15T09:30:00Z', expiryTime: null }],
};
/** An application whose resources are null. */
const BARE_APP = { name: 'Bare', id: BARE, isConfidential: false, redirectUri: null, resources: null, secrets: null };

/**
 * The description with hostile example answers: the list holds the admin application, the nameless one and one with
 * null resources; a read answers the nameless one; a create answers no name, null resources and a negative secret ID;
 * GenerateSecret a negative ID. Answers the copy's path.
 */
function hostileDocument(port: number): string {
  const path = documentForMock(port);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const example = (pathName: string, method: string, status: string, name: string) => [
    'paths',
    pathName,
    method,
    'responses',
    status,
    'content',
    'application/json',
    'examples',
    name,
    'value',
  ];
  const list = example('/{organizationName}/identity_/api/ExternalClient/{partitionGlobalId}', 'get', '200', 'twoApps');
  const admin = (doc.getIn(list) as { toJSON(): unknown[] }).toJSON()[0];
  doc.setIn(list, doc.createNode([admin, NAMELESS_APP, BARE_APP]));
  doc.setIn(
    example(
      '/{organizationName}/identity_/api/ExternalClient/{partitionGlobalId}/{clientId}',
      'get',
      '200',
      'adminApp',
    ),
    doc.createNode(NAMELESS_APP),
  );
  doc.setIn(
    example('/{organizationName}/identity_/api/ExternalClient', 'post', '201', 'confidential'),
    doc.createNode({
      name: null,
      id: HOSTILE_CREATED,
      secret: HOSTILE_CREATE_SECRET,
      isConfidential: true,
      redirectUri: null,
      resources: null,
      secrets: [{ id: -43, description: null, secret: null, creationTime: '2026-01-15T09:30:00Z', expiryTime: null }],
    }),
  );
  doc.setIn(
    example('/{organizationName}/identity_/api/ExternalClient/GenerateSecret', 'post', '200', 'expiring'),
    doc.createNode({
      id: -44,
      description: null,
      secret: HOSTILE_GENERATE_SECRET,
      creationTime: '2026-01-15T10:05:00Z',
    }),
  );
  writeFileSync(path, doc.toString());
  return path;
}

/**
 * A tiny Identity Server for the one answer Prism cannot give: a secret ID of 2^63 − 1. Prism's int64 stops at 2^53 − 1
 * (it answers 500 to an example past it and refuses such a path parameter), where UiPath's int64 does not. Its
 * answers are raw JSON text carrying the exact digits; every exchange is recorded for the contract checker.
 */
async function bigIdServer(): Promise<{ baseUrl: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const app = (secretIds: string[]) =>
    `{"name":"Big IDs","id":"${BIG_APP}","secret":null,"isConfidential":true,"redirectUri":null,` +
    `"resources":[{"name":"OrchestratorApiUserAccess","displayName":"Orchestrator API Access","description":null,` +
    `"scopes":[{"name":"OR.Machines.Read","displayName":"OR.Machines.Read","description":null,"type":"application"}]}],` +
    `"secrets":[${secretIds.map((id) => `{"id":${id},"description":"Big","secret":null,"creationTime":"2026-01-15T09:30:00Z","expiryTime":null}`).join(',')}]}`;
  let secretIds = [INT64_MAX, '41872'];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const url = new URL(req.url ?? '/', base);
      const text = Buffer.concat(chunks).toString('utf8');
      const contentType = req.headers['content-type']?.split(';')[0];
      const api = `/acme/identity_/api`;
      let status = 404;
      let body = '{"status":404,"title":"Not Found"}';
      if (url.pathname === '/identity_/.well-known/openid-configuration') {
        status = 200;
        body = JSON.stringify({ issuer: `${base}/identity_`, token_endpoint: `${base}/identity_/connect/token` });
      } else if (url.pathname === '/identity_/connect/token') {
        status = 200;
        body = JSON.stringify({ access_token: exampleToken(), token_type: 'Bearer', expires_in: 3600 });
      } else if (url.pathname === `${api}/ExternalApiResource`) {
        status = 200;
        body = JSON.stringify([
          {
            name: 'OrchestratorApiUserAccess',
            displayName: 'Orchestrator API Access',
            description: null,
            scopes: [{ name: 'OR.Machines.Read', displayName: null, description: null, type: 'userAndApplication' }],
          },
        ]);
      } else if (url.pathname === `${api}/ExternalClient/${PARTITION}`) {
        status = 200;
        body = `[${app(secretIds)}]`;
      } else if (url.pathname === `${api}/ExternalClient/${PARTITION}/${BIG_APP}`) {
        status = 200;
        body = app(secretIds);
      } else if (url.pathname === `${api}/ExternalClient/GenerateSecret` && req.method === 'POST') {
        status = 200;
        secretIds = [...secretIds, '9223372036854775806'];
        body = `{"id":9223372036854775806,"description":null,"secret":"${BIG_GENERATE_SECRET}","creationTime":"2026-01-15T10:05:00Z","expiryTime":null}`;
      } else if (url.pathname.startsWith(`${api}/ExternalClient/${PARTITION}/secrets/`) && req.method === 'DELETE') {
        status = 204;
        body = '';
        const deleted = url.pathname.split('/').at(-1);
        secretIds = secretIds.filter((id) => id !== deleted);
      }
      exchanges.push({
        method: req.method ?? 'GET',
        url: url.href,
        ...(text === ''
          ? {}
          : {
              requestBody:
                contentType === 'application/json' ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text)),
              requestContentType: contentType,
            }),
        status,
        responseBody: body === '' ? undefined : JSON.parse(body),
        responseText: body,
        responseHeaders: body === '' ? {} : { 'content-type': 'application/json' },
      });
      res.writeHead(status, body === '' ? {} : { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    exchanges,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('answers UiPath may give that are valid but hostile', { timeout: 120_000 }, () => {
  const desk = useDeskHome();
  let cli: Cli;
  let prism: PrismMock;
  let big: Awaited<ReturnType<typeof bigIdServer>>;
  let contract: Contract;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let started: AtPrism;
    [started, big, contract] = await Promise.all([
      startAtPrism(desk, { mode: 'static', document: hostileDocument }),
      bigIdServer(),
      loadContract(),
    ]);
    ({ cli, prism, stop } = started);
    expectOk(await addAcme(cli, prism.baseUrl), 'organisations add acme');
    const added = await cli(
      [
        'tenants',
        'add',
        'big',
        '--base-url',
        big.baseUrl,
        '--org',
        'acme',
        '--client-id',
        ADMIN,
        '--client-secret-stdin',
      ],
      {},
      'any-admin-secret\n',
    );
    expect(expectOk(added, 'organisations add big')).not.toContain('✗');
  });
  afterAll(async () => {
    await Promise.all([stop?.(), big.close()]);
  });

  it('shows a secret ID of 2^63 − 1 exactly, and deletes it by exactly those digits', async () => {
    const table = expectOk(await cli(['apps', 'secrets', BIG_APP, '--tenant', 'big']), 'apps secrets');
    expect(table).toMatch(new RegExp(`^${INT64_MAX}\\s+Big\\s+2026-01-15T09:30:00Z`, 'm'));
    const json = expectOk(await cli(['apps', 'secrets', BIG_APP, '--tenant', 'big', '--json']), 'apps secrets --json');
    // --json writes a secret ID as a string of its digits, so that no JSON reader rounds it.
    expect(json).toContain(`"id": "${INT64_MAX}",\n`);
    expect(expectOk(await cli(['apps', 'get', BIG_APP, '--tenant', 'big']), 'apps get')).toContain(
      `  ${INT64_MAX}  created`,
    );
    expect(expectOk(await cli(['apps', 'delete-secret', BIG_APP, INT64_MAX, '--tenant', 'big']), 'delete-secret')).toBe(
      `Deleted secret ${INT64_MAX} of ${BIG_APP}\n`,
    );
    const deletes = big.exchanges.filter((e) => e.method === 'DELETE').map((e) => new URL(e.url).pathname);
    expect(deletes).toEqual([`/acme/identity_/api/ExternalClient/${PARTITION}/secrets/${INT64_MAX}`]);
  });

  it('keeps a generated secret whose ID is past 2^53 under its exact ID', async () => {
    const out = expectOk(await cli(['apps', 'generate-secret', BIG_APP, '--tenant', 'big']), 'generate-secret');
    expect(out).toContain('New secret 9223372036854775806 for');
    expect((await keychainOf(desk)).get(`big/${BIG_APP}/9223372036854775806`)).toBe(BIG_GENERATE_SECRET);
  });

  it('held the big-ID server to the description: every exchange with it is valid', () => {
    expect(big.exchanges.length).toBeGreaterThan(5);
    expect(contract.validateAll(big.exchanges)).toEqual([]);
  });

  it('shows and deletes a negative secret ID', async () => {
    expect(expectOk(await cli(['apps', 'secrets', LEDGER]), 'apps secrets')).toMatch(/^-42\s+Negative\s+2026-01-15/m);
    // `--` ends the options, so that -42 is read as the secret ID.
    expect(expectOk(await cli(['apps', 'delete-secret', LEDGER, '--', '-42']), 'delete-secret -42')).toBe(
      `Deleted secret -42 of ${LEDGER}\n`,
    );
    expect(prism.log()).toMatch(new RegExp(`delete /acme/identity_/api/ExternalClient/${PARTITION}/secrets/-42 `));
  });

  it('lists an application whose resources are null with no resources', async () => {
    const table = expectOk(await cli(['apps', 'list']), 'apps list');
    expect(table).toMatch(new RegExp(`^${BARE}\\s+Bare\\s+Non-confidential\\s+0$`, 'm'));
    const list = JSON.parse(expectOk(await cli(['apps', 'list', '--json']), 'apps list --json')) as {
      id: string;
      resources: string[];
      userScopeCount: number;
    }[];
    expect(list.find((a) => a.id === BARE)).toMatchObject({ resources: [], userScopeCount: 0 });
  });

  it('shows a scope typed userAndApplication under both user and application scopes', async () => {
    const out = expectOk(await cli(['apps', 'get', LEDGER]), 'apps get');
    expect(out).toMatch(/^User scopes: +OR\.Machines\.Read$/m);
    expect(out).toMatch(/^Application scopes: +OR\.Machines\.Read$/m);
    const handoff = expectOk(await cli(['apps', 'handoff', LEDGER, '--format', 'json']), 'handoff');
    expect(JSON.parse(handoff)).toMatchObject({
      userScopes: ['OR.Machines.Read'],
      applicationScopes: ['OR.Machines.Read'],
    });
  });

  it('names an application without a name sensibly wherever it appears', async () => {
    const said = (run: CliRun) => {
      expectNoCrash(run, 'nameless');
      // (Save the change preview's `Name: "" → …`, src/shared/changes.ts, which writes a missing name as "".)
      expect(`${run.stdout}${run.stderr}`.replaceAll('Name: "" → ', '')).not.toMatch(
        /null|“”|""|^# *$|(Updated|Registered) *$/m,
      );
      return run;
    };
    expect(expectOk(said(await cli(['apps', 'list'])), 'list')).toMatch(
      new RegExp(`^${LEDGER}\\s+\\(no name\\)\\s+Confidential\\s+Orchestrator API Access\\s+1$`, 'm'),
    );
    expect(expectOk(said(await cli(['apps', 'get', LEDGER])), 'get')).toMatch(/^Name: +\(no name\)$/m);
    expect(expectOk(said(await cli(['apps', 'handoff', LEDGER])), 'handoff')).toMatch(
      new RegExp(`^# Application ${LEDGER}\n`),
    );
    expect(expectOk(said(await cli(['apps', 'handoff', LEDGER, '--format', 'env'])), 'handoff env')).toMatch(
      new RegExp(`^# Application ${LEDGER}: OAuth settings`),
    );
    // An edit keeps the name it has: none, which the rules refuse, so the admin is told to give one.
    expectRefused(
      said(await cli(['apps', 'update', LEDGER, '--redirect-uri', 'https://ledger.example.com/eu'])),
      'update without a name',
      /^oauth-desk: name: Application Name is required\.$/m,
    );
    // Given one, the PUT goes (answered 200 without a body) and the application is read again: still nameless here.
    const renamed = said(await cli(['apps', 'update', LEDGER, '--name', 'Ledger sync']));
    expect(expectOk(renamed, 'update --name')).toBe('Updated (no name)\n  Name: "" → "Ledger sync"\n');
    expect(prism.log()).toMatch(new RegExp(`put /acme/identity_/api/ExternalClient/${PARTITION}/${LEDGER} `));
    expect(expectOk(said(await cli(['apps', 'generate-secret', LEDGER])), 'generate')).toContain(
      `New secret -44 for ${LEDGER}`,
    );
    // A create answered without a name is the application registered by the name given.
    const created = expectOk(
      said(await cli(['apps', 'create', 'Ledger export', '--app-scope', 'OR.Machines.Read'])),
      'create',
    );
    expect(created).toMatch(/^Registered Ledger export\n/);
    expect(created).toMatch(/^Name: +Ledger export$/m);
    // Both answers' secrets, with negative IDs, are in the keychain.
    const kept = await keychainOf(desk);
    expect(kept.get(`acme/${HOSTILE_CREATED}/-43`)).toBe(HOSTILE_CREATE_SECRET);
    expect(kept.get(`acme/${LEDGER}/-44`)).toBe(HOSTILE_GENERATE_SECRET);
    expect(expectOk(said(await cli(['apps', 'delete', LEDGER])), 'delete')).toMatch(/^Deleted a7d3e5f1-/);
    const activity = expectOk(said(await cli(['activity'])), 'activity');
    expect(activity).toContain('Registered “Ledger export” as a confidential application');
    expect(activity).toContain('Named it “Ledger sync”');
    // The details, apart from the headlines, in --json (its nulls and empty details are no missing name).
    const entries = JSON.parse(expectOk(await cli(['activity', '--json']), 'activity --json')) as ActivityEntry[];
    const details = entries.map((entry) => entry.detail);
    expect(details).toContainEqual(
      expect.stringContaining(`New secret -44 for the application ${LEDGER} (it has no name)`),
    );
    expect(entries.find((entry) => entry.headline === 'Named it “Ledger sync”')?.detail).toMatch(
      new RegExp(`^Changed the application ${LEDGER} \\(it has no name\\): `),
    );
    expect(details.join('\n').replaceAll('Name: "" → ', '')).not.toMatch(/null|“”|""/);
  });

  it('sent Prism only requests the description allows', async () => {
    await prism.settle();
    expect(prism.violations()).toEqual([]);
  });
});
