// The oauth-desk program: the commander root, its command groups (./commands) and the exit code of a failure.
// A command group's module is imported only when the command line names it (all of them for the root's help), so
// a command loads what it needs and nothing else.
import { Command, CommanderError } from 'commander';
import { AppError } from '../shared/errors';
import { commandContextOf, type CliIo, type CommandContext } from './context';
import { GROUP_SUMMARIES, type GroupName } from './groups';

/** Exit codes: 0 success, 2 invalid input (the message names the field), 1 anything else. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof AppError) return error.code === 'invalid_input' ? 2 : 1;
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  return 1;
}

type Register = (program: Command, context: CommandContext) => void;

/** The command groups by the name they answer to; their order is the order `--help` lists them in. */
const groups = {
  server: async () => (await import('./commands/server')).registerServerCommand,
  owner: async () => (await import('./commands/owner')).registerOwnerCommands,
  orgs: async () => (await import('./commands/organisations')).registerOrganisationsCommands,
  sync: async () => (await import('./commands/sync')).registerSyncCommand,
  apps: async (): Promise<Register> => {
    const [{ registerAppsCommands }, { registerSecretsCommands }, { registerFederatedCommands }] = await Promise.all([
      import('./commands/apps'),
      import('./commands/secrets'),
      import('./commands/federated'),
    ]);
    return (program, context) => {
      const apps = registerAppsCommands(program, context);
      registerSecretsCommands(apps, context);
      registerFederatedCommands(apps, context);
    };
  },
  users: async () => (await import('./commands/users')).registerUsersCommands,
  activity: async () => (await import('./commands/activity')).registerActivityCommand,
  'scope-sets': async () => (await import('./commands/scopeSets')).registerScopeSetsCommands,
  drafts: async () => (await import('./commands/drafts')).registerDraftsCommands,
  export: async () => (await import('./commands/registrationsAsCode')).registerExportCommand,
  import: async () => (await import('./commands/registrationsAsCode')).registerImportCommand,
} satisfies Record<GroupName, () => Promise<Register>>;

/** The group `argv` names (`help <group>` included), or null for the root's help and mistyped commands. */
function groupOf(argv: readonly string[]): GroupName | null {
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const said = words[0] === 'help' ? words[1] : words[0];
  const named = said === 'organisations' ? 'orgs' : said;
  return named !== undefined && Object.hasOwn(groups, named) ? (named as GroupName) : null;
}

/** The program with the command groups `argv` (as process.argv: node, script, arguments) needs. */
export async function buildProgram(io: CliIo, argv: readonly string[]): Promise<Command> {
  const context = commandContextOf(io);
  const program = new Command('oauth-desk')
    .description('Register and manage the external OAuth applications of a UiPath-style Identity Server.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  program.option(
    '--no-daemon',
    'run this command in its own process when no OAuth Desk process owns the data folder (or OAUTH_DESK_NO_DAEMON=1)',
  );
  program.option(
    '--yes',
    'confirm what OAuth Desk would otherwise ask on the terminal (granting organisation-admin scopes, a new host); or OAUTH_DESK_YES=1',
  );
  const group = groupOf(argv);
  if (group) (await groups[group]())(program, context);
  else for (const { usage, summary } of Object.values(GROUP_SUMMARIES)) program.command(usage).description(summary);
  return program;
}
