// `oauth-desk owner`: the process that owns the data folder, which every other command works through: see it
// (status), stop a background one (stop), and `owner run`, what a command starts when no process owns the folder.
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';

export function registerOwnerCommands(program: Command, { io, json }: CommandContext): void {
  const owner = program.command('owner').description(GROUP_SUMMARIES.owner.summary);
  owner
    .command('status')
    .description('which process owns the data folder, if any')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const status = await io.ownerStatus();
      if (opts.json) json(status);
      else io.out(status.sentence);
    });
  owner
    .command('stop')
    .description('stop the background owner (the app and `oauth-desk server` are quit by their own means)')
    .action(async () => {
      io.out(await io.stopOwner());
    });
  owner
    .command('run', { hidden: true })
    .description('own the data folder in the background until idle (the other commands start it)')
    .action(async () => {
      process.exitCode = await io.runOwner();
    });
}
