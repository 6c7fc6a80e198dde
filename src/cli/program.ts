// The oauth-desk commands: each one parses its words, calls one contract operation through dispatch, and prints.
import { Command, CommanderError, Option } from 'commander';
import type { OperationName, OutputOf, RawInputOf } from '../shared/contract';
import { AppError, type Result } from '../shared/errors';
import { resolve } from 'node:path';
import { describeChanges, diffApp, hasChanges } from '../shared/changes';
import { appDetails, appsTable, secretNotice, secretsTable, tenantDetails, tenantsTable, table } from './format';

export type Dispatch = (operation: string, rawInput: unknown) => Promise<Result<unknown>>;

export interface CliIo {
  /** Opens the app (workspace, keychain, local tenant) on first use; commands that fail early never open it. */
  dispatch: Dispatch;
  /** Runs the embedded Identity Server in the foreground until the process is stopped. */
  serve(port: number | undefined): Promise<void>;
  /** All of standard input, for a password that should not stand on the command line. */
  readStdin(): Promise<string>;
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes: 0 success, 2 invalid input (the message names the field), 1 anything else. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof AppError) return error.code === 'invalid_input' ? 2 : 1;
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  return 1;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AppError('invalid_input', `port: must be a whole number from 0 to 65535 (got "${value}").`, [
      { field: 'port', message: `must be a whole number from 0 to 65535 (got "${value}").` },
    ]);
  return port;
}

/** `--expiration`: a date means the end of that day in UTC; a date-time is taken as given. */
export function expiryOf(value: string): string {
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value;
  const time = Date.parse(withTime);
  if (Number.isNaN(time))
    throw AppError.invalid([{ field: 'expiration', message: `Expiration must be a date such as 2027-01-31 (got "${value}").` }]);
  return new Date(time).toISOString();
}

export function buildProgram(io: CliIo): Command {
  async function call<K extends OperationName>(operation: K, input: RawInputOf<K>): Promise<OutputOf<K>> {
    const result = await io.dispatch(operation, input);
    if (!result.ok) throw AppError.from(result.error);
    return result.value as OutputOf<K>;
  }
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  const tenantOption = () => new Option('--tenant <tenant>', 'tenant to work on').default('local');

  const program = new Command('oauth-desk')
    .description('Register and manage the external OAuth applications of a UiPath-style Identity Server.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  program
    .command('server')
    .description('run the embedded Identity Server in the foreground and print its URL')
    .option('--port <port>', 'port on 127.0.0.1 (default 43110, or OAUTH_DESK_PORT)')
    .action(async (opts: { port?: string }) => {
      await io.serve(opts.port === undefined ? undefined : parsePort(opts.port));
    });

  const tenants = program.command('tenants').description('the Identity Server organisations this workspace knows');
  tenants
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await call('listTenants', {});
      if (opts.json) json(list);
      else io.out(tenantsTable(list));
    });
  tenants
    .command('show <tenant>')
    .description('base URL, organisation, partitionGlobalId, token URL and the admin application of a tenant')
    .option('--json', 'print JSON')
    .action(async (tenant: string, opts: { json?: boolean }) => {
      const details = await call('showTenant', { tenant });
      if (opts.json) json(details);
      else io.out(tenantDetails(details));
    });

  const apps = program.command('apps').description('external applications');
  apps
    .command('list')
    .addOption(tenantOption())
    .option('--json', 'print JSON')
    .option('--cached', 'show the workspace cache without asking the Identity Server')
    .action(async (opts: { tenant: string; json?: boolean; cached?: boolean }) => {
      const list = await call('listApps', { tenant: opts.tenant, refresh: !opts.cached });
      if (opts.json) json(list);
      else io.out(appsTable(list));
    });
  apps
    .command('get <clientId>')
    .addOption(tenantOption())
    .option('--json', 'print JSON')
    .action(async (clientId: string, opts: { tenant: string; json?: boolean }) => {
      const app = await call('getApp', { tenant: opts.tenant, clientId });
      if (opts.json) json(app);
      else io.out(appDetails(app));
    });
  apps
    .command('create <name>')
    .description('register an application; a confidential one\'s secret goes to the OS keychain')
    .addOption(tenantOption())
    .option('--non-confidential', 'a non-confidential application (browser, mobile or desktop app): user scopes only, no secret')
    .option('--user-scope <scope>', 'a user scope (repeatable)', collect, [] as string[])
    .option('--app-scope <scope>', 'an application scope (repeatable)', collect, [] as string[])
    .option('--redirect-uri <url>', 'redirect URL (required with user scopes)')
    .option('--show-secret', 'also print the secret (it is always saved to the keychain)')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: {
          tenant: string;
          nonConfidential?: boolean;
          userScope: string[];
          appScope: string[];
          redirectUri?: string;
          showSecret?: boolean;
          json?: boolean;
        },
      ) => {
        const created = await call('createApp', {
          tenant: opts.tenant,
          name,
          isConfidential: !opts.nonConfidential,
          redirectUri: opts.redirectUri ?? null,
          scopes: [
            ...opts.userScope.map((s) => ({ name: s, type: 'user' as const })),
            ...opts.appScope.map((s) => ({ name: s, type: 'application' as const })),
          ],
        });
        const secret = created.secret;
        const notice = secret ? secretNotice(secret, Boolean(opts.showSecret)) : { stdout: [], stderr: [] };
        notice.stderr.forEach((line) => io.err(line));
        if (opts.json) {
          const reveal = secret && (opts.showSecret || !secret.stored);
          json({
            app: created.app,
            secret: secret ? { ...secret, value: reveal ? secret.value : undefined } : null,
          });
        } else {
          io.out(`Registered ${created.app.name}\n${appDetails(created.app)}`);
          notice.stdout.forEach((line) => io.out(line));
        }
      },
    );
  apps
    .command('update <clientId>')
    .description('change the name, redirect URL or scopes (the scopes given replace the app\'s scopes)')
    .addOption(tenantOption())
    .option('--name <name>', 'new application name')
    .option('--redirect-uri <url>', 'new redirect URL ("" removes it)')
    .option('--user-scope <scope>', 'a user scope (repeatable)', collect, [] as string[])
    .option('--app-scope <scope>', 'an application scope (repeatable)', collect, [] as string[])
    .option('--dry-run', 'show what would change and change nothing')
    .option('--json', 'print JSON')
    .action(
      async (
        clientId: string,
        opts: { tenant: string; name?: string; redirectUri?: string; userScope: string[]; appScope: string[]; dryRun?: boolean; json?: boolean },
      ) => {
        const givesScopes = opts.userScope.length + opts.appScope.length > 0;
        const edit = {
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.redirectUri !== undefined ? { redirectUri: opts.redirectUri === '' ? null : opts.redirectUri } : {}),
          ...(givesScopes
            ? {
                scopes: [
                  ...opts.userScope.map((s) => ({ name: s, type: 'user' as const })),
                  ...opts.appScope.map((s) => ({ name: s, type: 'application' as const })),
                ],
              }
            : {}),
        };
        const before = await call('getApp', { tenant: opts.tenant, clientId });
        const changes = diffApp(before, edit);
        if (opts.dryRun || !hasChanges(changes)) {
          if (opts.json) json({ changes, applied: false });
          else io.out(describeChanges(changes).join('\n'));
          return;
        }
        const after = await call('updateApp', { tenant: opts.tenant, clientId, ...edit });
        if (opts.json) json({ changes, applied: true, app: after });
        else io.out([`Updated ${after.name}`, ...describeChanges(changes).map((l) => `  ${l}`)].join('\n'));
      },
    );
  apps
    .command('delete <clientId>')
    .description('delete an application; its secrets stop working and their keychain entries go too')
    .addOption(tenantOption())
    .action(async (clientId: string, opts: { tenant: string }) => {
      const deleted = await call('deleteApp', { tenant: opts.tenant, clientId });
      io.out(`Deleted ${clientId} (${deleted.keychainEntriesRemoved} keychain entr${deleted.keychainEntriesRemoved === 1 ? 'y' : 'ies'} removed)`);
    });
  apps
    .command('secrets <clientId>')
    .description('the secrets of an application: created, expires, last used, and where each is in the keychain')
    .addOption(tenantOption())
    .option('--json', 'print JSON')
    .action(async (clientId: string, opts: { tenant: string; json?: boolean }) => {
      const secrets = await call('listSecrets', { tenant: opts.tenant, clientId });
      if (opts.json) json(secrets);
      else io.out(secretsTable(secrets));
    });
  apps
    .command('generate-secret <clientId>')
    .description('generate a new secret into the keychain; the others keep working unless --replace')
    .addOption(tenantOption())
    .option('--description <text>', 'what the secret is for')
    .option('--expiration <date>', 'when it stops working (ISO date or date-time, e.g. 2027-01-31)')
    .option('--replace', 'delete the other secrets once the new one is safely in the keychain')
    .option('--show-secret', 'also print the secret (it is always saved to the keychain)')
    .option('--json', 'print JSON')
    .action(
      async (
        clientId: string,
        opts: { tenant: string; description?: string; expiration?: string; replace?: boolean; showSecret?: boolean; json?: boolean },
      ) => {
        const generated = await call('generateSecret', {
          tenant: opts.tenant,
          clientId,
          description: opts.description ?? null,
          expiryTime: opts.expiration === undefined ? null : expiryOf(opts.expiration),
          mode: opts.replace ? 'replace' : 'overlap',
        });
        const notice = secretNotice(generated.secret, Boolean(opts.showSecret));
        notice.stderr.forEach((line) => io.err(line));
        if (opts.json) {
          const reveal = opts.showSecret || !generated.secret.stored;
          json({ ...generated, secret: { ...generated.secret, value: reveal ? generated.secret.value : undefined } });
          return;
        }
        io.out(`New secret ${generated.secret.id} for ${clientId}`);
        notice.stdout.forEach((line) => io.out(line));
        if (generated.replaced.length > 0) io.out(`Deleted the replaced secrets: ${generated.replaced.join(', ')}`);
        else if (opts.replace && !generated.secret.stored)
          io.err('The other secrets were kept: they are deleted only once the new one is in the keychain.');
      },
    );
  apps
    .command('delete-secret <clientId> <secretId>')
    .description('delete one secret: integrations using it stop working')
    .addOption(tenantOption())
    .action(async (clientId: string, secretId: string, opts: { tenant: string }) => {
      await call('deleteSecret', { tenant: opts.tenant, clientId, secretId });
      io.out(`Deleted secret ${secretId} of ${clientId}`);
    });
  apps
    .command('handoff <clientId>')
    .description('the details a developer needs to build the integration (the secret only into a file, when asked)')
    .addOption(tenantOption())
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json', 'env']).default('md'))
    .option('--output <file>', 'write the document to this file instead of printing it')
    .option('--include-secret', 'with --format env and --output: write the secret from the keychain into the file')
    .action(async (clientId: string, opts: { tenant: string; format: 'md' | 'json' | 'env'; output?: string; includeSecret?: boolean }) => {
      if (opts.includeSecret && !opts.output)
        throw AppError.invalid([
          { field: 'includeSecret', message: '--include-secret needs --output FILE: a secret is written only to a file (mode 0600), never to the terminal.' },
        ]);
      if (opts.output) {
        const written = await call('exportHandoff', {
          tenant: opts.tenant,
          clientId,
          format: opts.format,
          includeSecret: Boolean(opts.includeSecret),
          path: resolve(opts.output),
        });
        if ('path' in written) io.out(`Wrote ${written.path}${opts.includeSecret ? ' (it holds the secret: keep it out of source control)' : ''}`);
        return;
      }
      const handoff = await call('handoffApp', { tenant: opts.tenant, clientId, format: opts.format });
      io.out(handoff.document);
    });

  const users = program.command('users').description('users of the local tenant, who sign in on its page for user scopes');
  users
    .command('list')
    .addOption(tenantOption())
    .option('--json', 'print JSON')
    .action(async (opts: { tenant: string; json?: boolean }) => {
      const list = await call('listUsers', { tenant: opts.tenant });
      if (opts.json) json(list);
      else
        io.out(
          list.length === 0
            ? 'No users yet. Add one with: oauth-desk users create <userName> (the password is read from standard input)'
            : table(['USER NAME', 'DISPLAY NAME', 'ID', 'CREATED'], list.map((u) => [u.userName, u.displayName, u.id, u.creationTime])),
        );
    });
  users
    .command('create <userName>')
    .description('add a user; the password is read from standard input')
    .addOption(tenantOption())
    .option('--display-name <name>', 'the name shown for the user')
    .option('--json', 'print JSON')
    .action(async (userName: string, opts: { tenant: string; displayName?: string; json?: boolean }) => {
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      const user = await call('createUser', { tenant: opts.tenant, userName, displayName: opts.displayName ?? '', password });
      if (opts.json) json(user);
      else io.out(`Added user ${user.userName} (${user.id})`);
    });
  users
    .command('delete <userName>')
    .addOption(tenantOption())
    .action(async (userName: string, opts: { tenant: string }) => {
      await call('deleteUser', { tenant: opts.tenant, userName });
      io.out(`Deleted user ${userName}`);
    });

  program
    .command('activity')
    .description('what was done in this workspace, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many entries', '50')
    .action(async (opts: { json?: boolean; limit: string }) => {
      const entries = await call('listActivity', { limit: Number(opts.limit) });
      if (opts.json) json(entries);
      else
        io.out(
          entries.length === 0
            ? 'No activity yet.'
            : table(['WHEN', 'TENANT', 'ACTION', 'TARGET', 'DETAIL'], entries.map((e) => [e.at, e.tenant, e.action, e.target, e.detail])),
        );
    });

  return program;
}
