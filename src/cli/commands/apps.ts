// `oauth-desk apps`: register, read, edit and delete external applications (their secrets: ./secrets.ts).
import { CommanderError, type Command } from 'commander';
import { describeChanges } from '../../shared/changes';
import { AppError } from '../../shared/errors';
import type { OutputOf, RawInputOf } from '../../shared/contract';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';
import { appDetails, appName, appsTable, expiringSecretsTable, missingScopesNotice, secretNotice } from '../format';
import { collect, scopeRequestsOf } from '../options';
import { planText } from '../planText';
import { draftLines } from './drafts';

/** Adds the `apps` group and answers it, so that the secret commands can join it. */
export function registerAppsCommands(program: Command, context: CommandContext): Command {
  const { io, call, json, organisationOption } = context;
  const apps = program.command('apps').description(GROUP_SUMMARIES.apps.summary);
  apps
    .command('list')
    .addOption(organisationOption())
    .option('--json', 'print JSON')
    .option('--cached', 'show the workspace cache without asking the Identity Server')
    .action(async (opts: { org?: string; json?: boolean; cached?: boolean }) => {
      const list = await call('listApps', { organisation: opts.org, refresh: !opts.cached });
      if (opts.json) json(list);
      else io.out(appsTable(list));
    });
  addApplicationRead(apps.command('get <clientId>'), context, 'getApp', appDetails);
  registerCreate(apps, context);
  registerUpdate(apps, context);
  apps
    .command('delete <clientId>')
    .description('delete an application; its secrets stop working and their keychain entries go too')
    .addOption(organisationOption())
    .action(async (clientId: string, opts: { org: string }) => {
      const deleted = await call('deleteApp', { organisation: opts.org, clientId });
      io.out(
        `Deleted ${clientId} (${deleted.keychainEntriesRemoved} keychain entr${deleted.keychainEntriesRemoved === 1 ? 'y' : 'ies'} removed)`,
      );
    });
  registerCopyAndExpiring(apps, context);
  return apps;
}

/** A command that reads one application's answer (`--org`, `--json`): printed as JSON, else by `text`. */
export function addApplicationRead<K extends 'getApp' | 'listSecrets'>(
  command: Command,
  { io, call, json, organisationOption }: CommandContext,
  operation: K,
  text: (answer: OutputOf<K>) => string,
): void {
  command
    .addOption(organisationOption())
    .option('--json', 'print JSON')
    .action(async (clientId: string, opts: { org?: string; json?: boolean }) => {
      const answer = await call(operation, { organisation: opts.org, clientId } as RawInputOf<K>);
      if (opts.json) json(answer);
      else io.out(text(answer));
    });
}

interface CreateOptions {
  org?: string;
  draft?: boolean;
  nonConfidential?: boolean;
  userScope: string[];
  appScope: string[];
  redirectUri?: string;
  showSecret?: boolean;
  allowDuplicateName?: boolean;
  json?: boolean;
}

/**
 * Registering a second application by a name the organisation already has is asked for by name: run again after an
 * unclear failure, a create would otherwise leave two. The workspace's list of the organisation is asked (no request).
 */
async function refuseDuplicateName(call: CommandContext['call'], organisation: string | undefined, name: string) {
  const wanted = name.trim().toLowerCase();
  const same = (await call('listApps', { organisation, refresh: false })).filter(
    (app) => app.name.trim().toLowerCase() === wanted,
  );
  if (same.length > 0)
    throw AppError.invalid([
      {
        field: 'name',
        message: `An application named “${name.trim()}” already exists here (${same.map((a) => a.id).join(', ')}). Give --allow-duplicate-name to register another by the same name.`,
      },
    ]);
}

/** `apps create`: registers an application, or saves it as a draft. */
function registerCreate(apps: Command, { io, call, json, organisationOption }: CommandContext): void {
  apps
    .command('create <name>')
    .description("register an application; a confidential one's secret goes to the OS keychain")
    .addOption(organisationOption())
    .option(
      '--non-confidential',
      'a non-confidential application (browser, mobile or desktop app): user scopes only, no secret',
    )
    .option('--user-scope <scope>', 'a user scope (repeatable)', collect, [] as string[])
    .option('--app-scope <scope>', 'an application scope (repeatable)', collect, [] as string[])
    .option('--redirect-uri <url>', 'redirect URL (required with user scopes)')
    .option('--show-secret', 'also print the secret (it is always saved to the keychain)')
    .option('--draft', 'save it as a draft instead (no server needed); register it later with drafts register')
    .option('--allow-duplicate-name', 'register it even when an application of that name exists')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: CreateOptions) => {
      // The name and redirect URL go as typed: main normalises a registration whichever door it came through.
      const registration = {
        organisation: opts.org,
        name,
        isConfidential: !opts.nonConfidential,
        redirectUri: opts.redirectUri ?? null,
        scopes: scopeRequestsOf(opts.userScope, opts.appScope),
      };
      if (opts.draft) {
        const draft = await call('saveDraft', registration);
        if (opts.json) json(draft);
        else io.out(`Saved draft ${draft.id} of ${draft.name} in ${draft.organisation}\n${draftLines(draft)}`);
        return;
      }
      if (!opts.allowDuplicateName) await refuseDuplicateName(call, opts.org, name);
      const created = await call('createApp', registration);
      const secret = created.secret;
      const notice = secret ? secretNotice(secret, Boolean(opts.showSecret)) : { stdout: [], stderr: [] };
      notice.stderr.forEach((line) => io.err(line));
      if (created.notice) io.err(`oauth-desk: warning: ${created.notice}`);
      if (opts.json) {
        const reveal = secret && (opts.showSecret === true || !secret.stored);
        json({
          app: created.app,
          secret: secret ? { ...secret, value: reveal ? secret.value : undefined } : null,
        });
      } else {
        io.out(`Registered ${appName(created.app)}\n${appDetails(created.app)}`);
        notice.stdout.forEach((line) => io.out(line));
      }
    });
}

/** `apps update`: main's preview of the edit (a plan), then the edit unless it is a dry run or changes nothing. */
function registerUpdate(apps: Command, { io, call, json, organisationOption }: CommandContext): void {
  apps
    .command('update <clientId>')
    .description("change the name, redirect URL or scopes (the scopes given replace the app's scopes)")
    .addOption(organisationOption())
    .option('--name <name>', 'new application name')
    .option('--redirect-uri <url>', 'new redirect URL ("" removes it)')
    .option('--user-scope <scope>', 'a user scope (repeatable)', collect, [] as string[])
    .option('--app-scope <scope>', 'an application scope (repeatable)', collect, [] as string[])
    .option('--dry-run', 'show what would change and change nothing')
    .option('--json', 'print JSON')
    .action(
      async (
        clientId: string,
        opts: {
          org?: string;
          name?: string;
          redirectUri?: string;
          userScope: string[];
          appScope: string[];
          dryRun?: boolean;
          json?: boolean;
        },
      ) => {
        const givesScopes = opts.userScope.length + opts.appScope.length > 0;
        // An empty --redirect-uri removes the URL: the preview and main both read '' as none.
        const edit = {
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.redirectUri !== undefined ? { redirectUri: opts.redirectUri } : {}),
          ...(givesScopes ? { scopes: scopeRequestsOf(opts.userScope, opts.appScope) } : {}),
        };
        // Main previews the edit as it would apply it: the CLI does not diff by itself.
        const plan = await call('previewAppUpdate', { organisation: opts.org, clientId, ...edit });
        const changes = plan.entries[0]?.changes;
        if (!changes) throw new AppError('internal', `The preview of ${clientId} answered no application.`);
        if (opts.dryRun || plan.entries[0]?.action === 'unchanged') {
          if (opts.json) json({ plan, changes, applied: false });
          else io.out(planText(plan));
          return;
        }
        // A refused edit goes to main all the same: its refusal names the fields (exit 2), as it always did.
        const after = await call('updateApp', { organisation: opts.org, clientId, ...edit });
        if (opts.json) json({ plan, changes, applied: true, app: after });
        else io.out([`Updated ${appName(after)}`, ...describeChanges(changes).map((l) => `  ${l}`)].join('\n'));
      },
    );
}

/** The federated credentials a copy carried, as a line (none when it carried none). */
function carriedLines(carried: readonly { name: string }[] = []): string[] {
  return carried.length > 0 ? [`Federated credentials copied: ${carried.map((c) => c.name).join(', ')}`] : [];
}

/** `apps copy` and `apps expiring`: an application into another organisation, and secrets close to expiry in all. */
function registerCopyAndExpiring(apps: Command, { io, call, json, organisationOption }: CommandContext): void {
  apps
    .command('copy <clientId>')
    .description(
      'register the application in another organisation: its type, scopes and redirect URL; secrets are never copied, a confidential copy gets its own new one in the keychain',
    )
    .addOption(organisationOption())
    .requiredOption('--to <organisation>', 'the organisation to copy it to')
    .option('--dry-run', 'list the scopes the target cannot grant and create nothing')
    .option('--show-secret', 'also print the new secret (it is always saved to the keychain)')
    .option('--json', 'print JSON')
    .action(
      async (
        clientId: string,
        opts: { org?: string; to: string; dryRun?: boolean; showSecret?: boolean; json?: boolean },
      ) => {
        const check = await call('copyAppToOrganisation', {
          organisation: opts.org,
          clientId,
          to: opts.to,
          dryRun: true,
        });
        if (opts.dryRun || check.missingScopes.length > 0) {
          if (opts.json) json(check);
          else if (opts.dryRun && check.plan) io.out(`${planText(check.plan)}\nDry run: nothing was created.`);
          else io.out(missingScopesNotice(opts.to, check.missingScopes));
          // Exit 2 (invalid input), as a refused copy: the listing above already says why, so nothing more is printed.
          if (check.missingScopes.length > 0) throw new CommanderError(2, 'oauth-desk.copyRefused', '');
          return;
        }
        const copied = await call('copyAppToOrganisation', {
          organisation: opts.org,
          clientId,
          to: opts.to,
          dryRun: false,
        });
        if (!copied.app) throw new AppError('internal', `The copy of ${clientId} answered no application.`);
        const secret = copied.secret;
        const notice = secret ? secretNotice(secret, Boolean(opts.showSecret)) : { stdout: [], stderr: [] };
        notice.stderr.forEach((line) => io.err(line));
        if (opts.json) {
          const reveal = secret && (opts.showSecret === true || !secret.stored);
          json({ ...copied, secret: secret ? { ...secret, value: reveal ? secret.value : undefined } : null });
        } else {
          io.out(`Copied ${appName(copied.app)} to ${opts.to}\n${appDetails(copied.app)}`);
          notice.stdout.forEach((line) => io.out(line));
          carriedLines(copied.federatedCredentials).forEach((line) => io.out(line));
        }
        (copied.federatedCredentialsRefused ?? []).forEach((line) => io.err(line));
      },
    );
  apps
    .command('expiring')
    .description('secrets that expire soon or have expired, in every organisation (from the workspace cache)')
    .option('--days <days>', 'how many days ahead to look', '30')
    .option('--json', 'print JSON')
    .action(async (opts: { days: string; json?: boolean }) => {
      const withinDays = Number(opts.days);
      if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > 365)
        throw AppError.invalid([
          { field: 'days', message: `Days must be a whole number from 1 to 365 (got "${opts.days}").` },
        ]);
      const secrets = await call('listExpiringSecrets', { withinDays });
      if (opts.json) json(secrets);
      else io.out(expiringSecretsTable(secrets, withinDays));
    });
}
