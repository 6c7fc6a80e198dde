// `oauth-desk activity`: what was done in this workspace, newest first.
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { activityTable } from '../format';

export function registerActivityCommand(program: Command, { io, call, json }: CommandContext): void {
  program
    .command('activity')
    .description('what was done in this workspace, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many entries', '50')
    .action(async (opts: { json?: boolean; limit: string }) => {
      // Not a number is left to the contract, which refuses it with the field named.
      const entries = await call('listActivity', { limit: Number(opts.limit) });
      if (opts.json) json(entries);
      else io.out(activityTable(entries));
    });
}
