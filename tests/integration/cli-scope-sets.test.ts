// The oauth-desk commands of scope sets, drafts, registrations as code and the encrypted handoff, as a script runs
// them: real processes on one data folder, the real keychain and the embedded Identity Server over HTTP.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decrypter, armor, generateIdentity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppSecret,
  AppSummary,
  ApplyStatus,
  ExportDocument,
  ExternalClient,
  ImportResult,
  NewSecret,
  SavedDraft,
  ScopeSet,
  ScopeSetPreview,
} from '../../src/shared/model';
import { cliOf, freePort, keytar, useDeskHome, type CliRun } from './support';

const desk = useDeskHome();
const service = desk.keychainService;
const files = desk.tempDir();
const cli = cliOf(desk, await freePort());

/** A command's JSON output, read by the model's schema; the command must have succeeded. */
function output<S extends z.ZodType>(run: CliRun, schema: S): z.infer<S> {
  expect(run.code, run.stderr).toBe(0);
  return schema.parse(JSON.parse(run.stdout));
}

/** What `apps create --json` and `drafts register --json` print: the secret's value only when asked. */
const Created = z.object({ app: ExternalClient, secret: NewSecret.extend({ value: z.string().optional() }) });

/** An application as the server has it now. */
async function serverApp(clientId: string): Promise<ExternalClient> {
  return output(await cli(['apps', 'get', clientId, '--json']), ExternalClient);
}

const applicationScopes = (app: ExternalClient) =>
  app.resources
    .flatMap((r) => r.scopes)
    .filter((s) => s.type === 'application')
    .map((s) => s.name)
    .sort();

/** Every value the keychain service of this file holds: the admin secret and every app secret. */
async function keptSecrets(): Promise<string[]> {
  return (await keytar.findCredentials(service)).map((c) => c.password);
}

/** The value of an application's current secret, read from the keychain where the CLI put it. */
async function keychainSecretOf(clientId: string): Promise<string> {
  const listed = output(await cli(['apps', 'secrets', clientId, '--json']), z.array(AppSecret));
  const keychain = listed[0]?.keychain;
  if (!keychain) throw new Error(`The keychain holds no secret of ${clientId}.`);
  const value = await keytar.getPassword(keychain.service, keychain.account);
  expect(value).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  return value!;
}

async function createApp(name: string, appScopes: string[]): Promise<ExternalClient> {
  const args = appScopes.flatMap((s) => ['--app-scope', s]);
  return output(await cli(['apps', 'create', name, ...args, '--json']), Created).app;
}

// Each command is a process that starts the app (and often the server): give a test of many commands room.
describe('oauth-desk scope sets, drafts, export and import, encrypted handoff', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    // The first command creates the data folder, the local organisation and its admin secret in the keychain.
    const run = await cli(['tenants', 'show', 'local', '--json']);
    expect(run.code, run.stderr).toBe(0);
  }, 60_000);

  it('creates, lists, shows, updates and deletes scope sets', async () => {
    const created = output(
      await cli([
        'scope-sets',
        'create',
        'Monitoring',
        '--description',
        'Read-only Orchestrator monitoring',
        '--user-scope',
        'OR.Jobs.Read',
        '--app-scope',
        'OR.Queues.Read',
        '--json',
      ]),
      ScopeSet,
    );
    expect(created).toMatchObject({
      name: 'Monitoring',
      description: 'Read-only Orchestrator monitoring',
      scopes: [
        { name: 'OR.Jobs.Read', type: 'user' },
        { name: 'OR.Queues.Read', type: 'application' },
      ],
    });

    const listed = output(await cli(['scope-sets', 'list', '--json']), z.array(ScopeSet));
    expect(listed.map((s) => s.name)).toEqual(['Monitoring']);
    const shown = output(await cli(['scope-sets', 'show', 'Monitoring', '--json']), ScopeSet);
    expect(shown).toMatchObject({ id: created.id, scopes: created.scopes });

    // The scopes given replace the set's; the description changes, the name stays.
    const updated = output(
      await cli([
        'scope-sets',
        'update',
        'Monitoring',
        '--description',
        'Queue monitoring',
        '--app-scope',
        'OR.Queues.Read',
        '--app-scope',
        'OR.Jobs.Read',
        '--json',
      ]),
      ScopeSet,
    );
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Monitoring',
      description: 'Queue monitoring',
      scopes: [
        { name: 'OR.Queues.Read', type: 'application' },
        { name: 'OR.Jobs.Read', type: 'application' },
      ],
    });
    const text = await cli(['scope-sets', 'show', 'Monitoring']);
    expect(text.stdout).toMatch(/^Application scopes: OR\.Queues\.Read OR\.Jobs\.Read$/m);
    expect(text.stdout).toMatch(/^User scopes:\s+—$/m);

    expect((await cli(['scope-sets', 'create', 'Spare', '--app-scope', 'OR.Jobs'])).code).toBe(0);
    const deleted = await cli(['scope-sets', 'delete', 'Spare']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('Deleted scope set Spare\n');
    expect(output(await cli(['scope-sets', 'list', '--json']), z.array(ScopeSet)).map((s) => s.name)).toEqual([
      'Monitoring',
    ]);
    const gone = await cli(['scope-sets', 'show', 'Spare']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('No scope set named "Spare"');
  });

  it('refuses a bad scope set with exit code 2, naming the field, and creates nothing', async () => {
    const blankScope = await cli(['scope-sets', 'create', 'Broken', '--app-scope', '  ']);
    expect(blankScope.code).toBe(2);
    expect(blankScope.stderr).toContain('scopes: A scope name must not be empty.');
    const noScopes = await cli(['scope-sets', 'create', 'Broken']);
    expect(noScopes.code).toBe(2);
    expect(noScopes.stderr).toContain('scopes: Add at least one scope.');
    const namesake = await cli(['scope-sets', 'create', 'monitoring', '--app-scope', 'OR.Jobs']);
    expect(namesake.code).toBe(2);
    expect(namesake.stderr).toContain('name: A scope set named "Monitoring" already exists.');
    expect(output(await cli(['scope-sets', 'list', '--json']), z.array(ScopeSet)).map((s) => s.name)).toEqual([
      'Monitoring',
    ]);
  });

  it('applies a set to applications: a dry run changes nothing, a real run adds, --mode remove takes away', async () => {
    const first = await createApp('Queue worker A', ['OR.Jobs']);
    const second = await createApp('Queue worker B', ['OR.Jobs']);
    const apply = (...extra: string[]) =>
      cli(['scope-sets', 'apply', 'Monitoring', '--app', first.id, '--app', second.id, ...extra]);

    const preview = output(await apply('--mode', 'add', '--dry-run', '--json'), ScopeSetPreview);
    expect(preview).toMatchObject({ setName: 'Monitoring', mode: 'add', organisation: 'local', fromCache: false });
    expect(preview.apps.map((a) => [a.clientId, a.outcome, [...a.added.application].sort(), a.removed])).toEqual(
      [first, second].map((app) => [
        app.id,
        'change',
        ['OR.Jobs.Read', 'OR.Queues.Read'],
        { user: [], application: [] },
      ]),
    );
    expect(preview.totals).toMatchObject({ apps: 2, change: 2, unchanged: 0, refused: 0, applicationScopesAdded: 4 });
    for (const app of [first, second]) expect(applicationScopes(await serverApp(app.id))).toEqual(['OR.Jobs']);

    const added = await apply('--mode', 'add');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/^2\/2 applications$/m);
    expect(added.stdout.trimEnd().split('\n')).toEqual(
      [first, second].map(
        (app) => `applied   ${app.id}  ${app.name}: Add application scopes: OR.Jobs.Read, OR.Queues.Read`,
      ),
    );
    for (const app of [first, second])
      expect(applicationScopes(await serverApp(app.id))).toEqual(['OR.Jobs', 'OR.Jobs.Read', 'OR.Queues.Read']);

    const removed = output(await apply('--mode', 'remove', '--json'), ApplyStatus);
    expect(removed).toMatchObject({ state: 'done', done: 2, total: 2 });
    expect(removed.results.map((r) => [r.clientId, r.outcome])).toEqual([
      [first.id, 'applied'],
      [second.id, 'applied'],
    ]);
    for (const app of [first, second]) expect(applicationScopes(await serverApp(app.id))).toEqual(['OR.Jobs']);
  });

  it('saves a registration as a draft, lists it, and registers it with the secret in the keychain only', async () => {
    const draft = output(
      await cli(['apps', 'create', 'Draft robot', '--draft', '--app-scope', 'OR.Queues.Read', '--json']),
      SavedDraft,
    );
    expect(draft).toMatchObject({ name: 'Draft robot', isConfidential: true, problems: [] });
    const drafts = output(await cli(['drafts', 'list', '--json']), z.array(SavedDraft));
    expect(drafts.map((d) => [d.id, d.name])).toEqual([[draft.id, 'Draft robot']]);
    const apps = output(await cli(['apps', 'list', '--json']), z.array(AppSummary));
    expect(apps.map((a) => a.name)).not.toContain('Draft robot');

    const run = await cli(['drafts', 'register', draft.id, '--json']);
    const registered = output(run, Created);
    expect(registered.app.name).toBe('Draft robot');
    expect(applicationScopes(await serverApp(registered.app.id))).toEqual(['OR.Queues.Read']);
    expect(registered.secret.value).toBeUndefined();
    expect(registered.secret.stored).toBe(true);
    const kept = await keytar.getPassword(registered.secret.keychain.service, registered.secret.keychain.account);
    expect(kept).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(run.stdout + run.stderr).not.toContain(kept!);
    expect(output(await cli(['drafts', 'list', '--json']), z.array(SavedDraft))).toEqual([]);
  });

  it('exports registrations and scope sets with no secret, and an import of the same file changes nothing', async () => {
    const file = join(files, 'local.json');
    const written = await cli(['export', '--output', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe(`Wrote ${file}\n`);

    const text = readFileSync(file, 'utf8');
    const secrets = await keptSecrets();
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(text).not.toContain(secret);
    const document = ExportDocument.parse(JSON.parse(text));
    expect(document.format).toBe('oauth-desk-export');
    expect(document.registrations.map((r) => r.client_name)).toEqual(
      expect.arrayContaining(['Queue worker A', 'Queue worker B', 'Draft robot']),
    );
    expect(document.scope_sets).toEqual([
      {
        name: 'Monitoring',
        description: 'Queue monitoring',
        user_scopes: [],
        application_scopes: ['OR.Jobs.Read', 'OR.Queues.Read'],
      },
    ]);

    const result = output(await cli(['import', file, '--dry-run', '--json']), ImportResult);
    expect(result.dryRun).toBe(true);
    expect(result.registrations.length).toBe(document.registrations.length);
    for (const r of result.registrations) expect([r.name, r.action]).toEqual([r.name, 'unchanged']);
    expect(result.scopeSets.map((s) => [s.name, s.action])).toEqual([['Monitoring', 'unchanged']]);
  });

  it('writes a handoff encrypted to an age recipient: no plain secret, and it decrypts to the keychain secret', async () => {
    const app = await createApp('Age robot', ['OR.Queues.Read']);
    const secret = await keychainSecretOf(app.id);
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const file = join(files, 'age-robot.env.age');

    const run = await cli(['apps', 'handoff', app.id, '--format', 'age', '--recipient', recipient, '--output', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Wrote ${file}\n`);
    const sealed = readFileSync(file, 'utf8');
    for (const value of await keptSecrets()) expect(sealed).not.toContain(value);

    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    const env = await decrypter.decrypt(armor.decode(sealed), 'text');
    expect(env).toContain(`OAUTH_CLIENT_ID="${app.id}"`);
    expect(/^OAUTH_CLIENT_SECRET="(.*)"$/m.exec(env)?.[1]).toBe(secret);

    const bad = await cli([
      'apps',
      'handoff',
      app.id,
      '--format',
      'age',
      '--recipient',
      'age1notakey',
      '--output',
      file,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('recipient: Recipient is not an age public key');
  });
});
