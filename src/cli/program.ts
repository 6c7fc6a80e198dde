// The oauth-desk commands: each one parses its words, calls one contract operation through dispatch, and prints.
import { Command, CommanderError, Option } from 'commander';
import type { OperationName, OutputOf, RawInputOf } from '../shared/contract';
import { AppError, type Result } from '../shared/errors';
import { appDetails, appsTable, secretNotice, tenantDetails, tenantsTable, table } from './format';

export type Dispatch = (operation: string, rawInput: unknown) => Promise<Result<unknown>>;

export interface CliIo {
  /** Opens the app (workspace, keychain, local tenant) on first use; commands that fail early never open it. */
  dispatch: Dispatch;
  /** Runs the embedded Identity Server in the foreground until the process is stopped. */
  serve(port: number | undefined): Promise<void>;
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
    .command('handoff <clientId>')
    .description('the details a developer needs to build the integration (never the secret itself)')
    .addOption(tenantOption())
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .action(async (clientId: string, opts: { tenant: string; format: 'md' | 'json' }) => {
      const handoff = await call('handoffApp', { tenant: opts.tenant, clientId, format: opts.format });
      io.out(handoff.document);
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
