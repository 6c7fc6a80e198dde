// `oauth-desk users`: the local organisation's users, who sign in on its page for user scopes.
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';
import { usersTable } from '../format';
import { passwordOf } from '../options';

export function registerUsersCommands(program: Command, { io, call, json, organisationOption }: CommandContext): void {
  const users = program.command('users').description(GROUP_SUMMARIES.users.summary);
  users
    .command('list')
    .addOption(organisationOption('local'))
    .option('--json', 'print JSON')
    .action(async (opts: { org: string; json?: boolean }) => {
      const list = await call('listUsers', { organisation: opts.org });
      if (opts.json) json(list);
      else io.out(usersTable(list));
    });
  users
    .command('create <userName>')
    .description('add a user; the password is read from standard input')
    .addOption(organisationOption('local'))
    .option('--display-name <name>', 'the name shown for the user')
    .option('--json', 'print JSON')
    .action(async (userName: string, opts: { org: string; displayName?: string; json?: boolean }) => {
      const password = passwordOf(await io.readStdin());
      const user = await call('createUser', {
        organisation: opts.org,
        userName,
        displayName: opts.displayName ?? '',
        password,
      });
      if (opts.json) json(user);
      else io.out(`Added user ${user.userName} (${user.id})`);
    });
  users
    .command('delete <userName>')
    .addOption(organisationOption('local'))
    .action(async (userName: string, opts: { org: string }) => {
      await call('deleteUser', { organisation: opts.org, userName });
      io.out(`Deleted user ${userName}`);
    });
}
