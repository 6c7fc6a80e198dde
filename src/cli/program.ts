// The oauth-desk program: the commander root, its command groups (./commands) and the exit code of a failure.
// A command group's module is imported only when the command line names it (all of them for the root's help), so
// a command loads what it needs and nothing else.
import { Command, CommanderError } from 'commander';
import { AppError } from '../shared/errors';
import { commandContextOf, type CliIo, type CommandContext } from './context';

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
  tenants: async () => (await import('./commands/tenants')).registerTenantsCommands,
  sync: async () => (await import('./commands/sync')).registerSyncCommand,
  apps: async (): Promise<Register> => {
    const [{ registerAppsCommands }, { registerSecretsCommands }] = await Promise.all([
      import('./commands/apps'),
      import('./commands/secrets'),
    ]);
    return (program, context) => {
      registerSecretsCommands(registerAppsCommands(program, context), context);
    };
  },
  users: async () => (await import('./commands/users')).registerUsersCommands,
  activity: async () => (await import('./commands/activity')).registerActivityCommand,
  'scope-sets': async () => (await import('./commands/scopeSets')).registerScopeSetsCommands,
  drafts: async () => (await import('./commands/drafts')).registerDraftsCommands,
  export: async () => (await import('./commands/registrationsAsCode')).registerExportCommand,
  import: async () => (await import('./commands/registrationsAsCode')).registerImportCommand,
} satisfies Record<string, () => Promise<Register>>;
type GroupName = keyof typeof groups;

/** The groups `argv` needs: the one it names, or every group for the root's help, `help <group>` and typos. */
function groupsFor(argv: readonly string[]): GroupName[] {
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const all = Object.keys(groups) as GroupName[];
  return all.filter((name) => named === undefined || !all.includes(named as GroupName) || name === named);
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
  const registers = await Promise.all(groupsFor(argv).map((name) => groups[name]()));
  for (const register of registers) register(program, context);
  return program;
}
