// `oauth-desk orgs` (also `organisations`, and `tenants`, its old name): the organisations this workspace knows — list, show, add, test, sign-in
// (change how it signs in), use, remove, and rotate the admin application's secret.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { ConnectionCheck } from '../../shared/model';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';
import { connectionChecksLines, organisationDetails, organisationsTable } from '../format';
import { passwordOf } from '../options';

interface AddOptions {
  baseUrl: string;
  orgName: string;
  displayName?: string;
  clientId: string;
  clientSecretStdin?: boolean;
  interactive?: boolean;
  partitionGlobalId?: string;
  json?: boolean;
}

/** A failed check fails the command (exit 1), after every line was printed. */
function refuseFailedChecks(checks: ConnectionCheck[]): void {
  const failed = checks.filter((c) => c.result === 'failed');
  const notChecked = checks.filter((c) => c.result === 'notChecked').length;
  if (failed.length > 0)
    throw new AppError(
      'server_error',
      `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.check).join(', ')}${
        notChecked > 0 ? `; ${notChecked} not checked` : ''
      }.`,
    );
}

function addList(organisations: Command, { io, call, json }: CommandContext): void {
  organisations
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await call('listOrganisations', {});
      if (opts.json) json(list);
      else io.out(organisationsTable(list));
    });
}

function addShow(organisations: Command, { io, call, json }: CommandContext): void {
  organisations
    .command('show [organisation]')
    .description(
      'base URL, organisation, partitionGlobalId, token URL and the sign-in of an organisation (default: the current one)',
    )
    .option('--json', 'print JSON')
    .action(async (organisation: string | undefined, opts: { json?: boolean }) => {
      const details = await call('showOrganisation', { organisation });
      if (opts.json) json(details);
      else io.out(organisationDetails(details));
    });
}

function addAdd(organisations: Command, { io, call, json }: CommandContext): void {
  organisations
    .command('add <id>')
    .description(
      'add a UiPath organisation, signing in with an admin application (its secret read from standard input, straight into the keychain) or with your account in the browser (--interactive)',
    )
    .requiredOption('--base-url <url>', 'e.g. https://cloud.uipath.com (http only on 127.0.0.1 or [::1])')
    .requiredOption('--org-name <name>', 'the organisation name: the URL segment after the base URL')
    .option('--display-name <name>', 'how the app names it (default: the organisation name)')
    .requiredOption(
      '--client-id <id>',
      'App ID of the admin application, or of the sign-in application with --interactive',
    )
    .option('--client-secret-stdin', "read the admin application's secret from standard input")
    .option('--interactive', 'sign in with your account in the system browser (PKCE, loopback redirect)')
    .option('--partition-global-id <guid>', "the organisation's ID, when its tokens do not carry prt_id")
    .option('--json', 'print JSON')
    .action(async (id: string, opts: AddOptions) => {
      if (Boolean(opts.clientSecretStdin) === Boolean(opts.interactive))
        throw AppError.invalid([
          {
            field: 'signIn',
            message:
              'Choose one way to sign in: --client-secret-stdin (an admin application) or --interactive (your account).',
          },
        ]);
      const signIn = opts.interactive
        ? { method: 'account' as const, clientId: opts.clientId }
        : {
            method: 'adminApp' as const,
            clientId: opts.clientId,
            clientSecret: passwordOf(await io.readStdin()).trim(),
          };
      const added = await call('addOrganisation', {
        id,
        baseUrl: opts.baseUrl,
        orgName: opts.orgName,
        displayName: opts.displayName ?? '',
        partitionGlobalId: opts.partitionGlobalId ?? null,
        signIn,
      });
      if (opts.json) json(added);
      else
        io.out(
          `Added ${added.organisation.id} (${added.organisation.displayName}, ${added.organisation.baseUrl})\n${connectionChecksLines(added.checks)}`,
        );
    });
}

function addTest(organisations: Command, { io, call, json }: CommandContext): void {
  organisations
    .command('test [organisation]')
    .description(
      'test the connection: discovery, token, list applications, catalogue, secret management (exit 0 only when all pass)',
    )
    .option('--json', 'print JSON')
    .action(async (organisation: string | undefined, opts: { json?: boolean }) => {
      const checks = await call('testOrganisation', { organisation });
      if (opts.json) json(checks);
      else io.out(connectionChecksLines(checks));
      refuseFailedChecks(checks);
    });
}

function addUse(organisations: Command, { io, call }: CommandContext): void {
  organisations
    .command('use <organisation>')
    .description('make an organisation the current one: commands without --organisation, and the app, work on it')
    .action(async (organisation: string) => {
      const { current } = await call('useOrganisation', { organisation });
      io.out(`Now working on ${current}.`);
    });
}

function addRemove(organisations: Command, { io, call }: CommandContext): void {
  organisations
    .command('remove <organisation>')
    .description(
      'forget an organisation: its sign-in and cache go, its application secrets stay in the keychain unless --delete-secrets; nothing changes on the server',
    )
    .option('--delete-secrets', "also delete its application secrets' keychain entries")
    .action(async (organisation: string, opts: { deleteSecrets?: boolean }) => {
      const removed = await call('removeOrganisation', {
        organisation,
        secrets: opts.deleteSecrets ? 'delete' : 'keep',
      });
      const kept = removed.secretsKept;
      io.out(
        `Removed ${organisation} (${removed.keychainEntriesRemoved} keychain entr${removed.keychainEntriesRemoved === 1 ? 'y' : 'ies'} removed${
          kept > 0 ? `; ${kept} application secret${kept === 1 ? '' : 's'} kept in the keychain` : ''
        }); nothing changed on the server.`,
      );
    });
}

/** How the new sign-in is given: an admin application's secret on standard input, or the account in the browser. */
async function newSignIn(
  { io, call }: CommandContext,
  organisation: string,
  opts: { clientId?: string; clientSecretStdin?: boolean; interactive?: boolean },
) {
  if (Boolean(opts.clientSecretStdin) === Boolean(opts.interactive))
    throw AppError.invalid([
      {
        field: 'signIn',
        message:
          'Choose one way to sign in: --client-secret-stdin (an admin application) or --interactive (your account).',
      },
    ]);
  const clientId = opts.clientId ?? (await call('showOrganisation', { organisation })).adminClientId;
  if (opts.interactive) return { method: 'account' as const, clientId };
  return { method: 'adminApp' as const, clientId, clientSecret: passwordOf(await io.readStdin()).trim() };
}

function addSignIn(organisations: Command, context: CommandContext): void {
  const { io, call, json } = context;
  organisations
    .command('sign-in <organisation>')
    .description(
      'change how OAuth Desk signs in to an organisation: a new admin secret (standard input) or your account in the browser (--interactive); the old sign-in stays unless the new one gets a token and passes every check',
    )
    .option('--client-id <id>', 'App ID of the admin (or sign-in) application (default: the one it signs in with now)')
    .option('--client-secret-stdin', "read the admin application's new secret from standard input")
    .option('--interactive', 'sign in with your account in the system browser (PKCE, loopback redirect)')
    .option('--json', 'print JSON')
    .action(
      async (
        organisation: string,
        opts: { clientId?: string; clientSecretStdin?: boolean; interactive?: boolean; json?: boolean },
      ) => {
        const signIn = await newSignIn(context, organisation, opts);
        const answer = await call('changeSignIn', { organisation, signIn });
        if (opts.json) json(answer);
        else
          io.out(
            `${
              answer.changed
                ? `${organisation} now signs in with the new sign-in; it replaced the old one in the keychain.`
                : `The old sign-in of ${organisation} stays: not every check passed with the new one.`
            }\n${connectionChecksLines(answer.checks)}`,
          );
        refuseFailedChecks(answer.checks);
      },
    );
}

function addRotateAdminSecret(organisations: Command, { io, call, json }: CommandContext): void {
  organisations
    .command('rotate-admin-secret <organisation>')
    .description(
      "give the organisation's admin application a new secret, straight into the keychain (never printed), then delete its old ones",
    )
    .option('--json', 'print JSON')
    .action(async (organisation: string, opts: { json?: boolean }) => {
      const rotated = await call('rotateAdminSecret', { organisation });
      if (opts.json) json(rotated);
      else
        io.out(
          `New admin secret ${rotated.secretId} is in the keychain as ${rotated.keychain.service} / ${rotated.keychain.account}; ${
            rotated.deleted.length > 0
              ? `deleted the old one${rotated.deleted.length === 1 ? '' : 's'}: ${rotated.deleted.join(', ')}`
              : 'there was no old one to delete'
          }.`,
        );
    });
}

export function registerOrganisationsCommands(program: Command, context: CommandContext): void {
  const organisations = program.command('orgs').alias('organisations').description(GROUP_SUMMARIES.orgs.summary);
  addList(organisations, context);
  addShow(organisations, context);
  addAdd(organisations, context);
  addTest(organisations, context);
  addSignIn(organisations, context);
  addUse(organisations, context);
  addRemove(organisations, context);
  addRotateAdminSecret(organisations, context);
}
