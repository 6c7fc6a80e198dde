// The oauth-desk program: the commander root, its command groups (./commands) and the exit code of a failure.
import { Command, CommanderError } from 'commander';
import { AppError } from '../shared/errors';
import { registerActivityCommand } from './commands/activity';
import { registerAppsCommands } from './commands/apps';
import { registerSecretsCommands } from './commands/secrets';
import { registerServerCommand } from './commands/server';
import { registerSyncCommand } from './commands/sync';
import { registerTenantsCommands } from './commands/tenants';
import { registerUsersCommands } from './commands/users';
import { commandContextOf, type CliIo } from './context';

/** Exit codes: 0 success, 2 invalid input (the message names the field), 1 anything else. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof AppError) return error.code === 'invalid_input' ? 2 : 1;
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  return 1;
}

export function buildProgram(io: CliIo): Command {
  const context = commandContextOf(io);
  const program = new Command('oauth-desk')
    .description('Register and manage the external OAuth applications of a UiPath-style Identity Server.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();

  // The order here is the order `--help` lists the commands in.
  registerServerCommand(program, context);
  registerTenantsCommands(program, context);
  registerSyncCommand(program, context);
  registerSecretsCommands(registerAppsCommands(program, context), context);
  registerUsersCommands(program, context);
  registerActivityCommand(program, context);
  return program;
}
