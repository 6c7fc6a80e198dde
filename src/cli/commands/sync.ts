// `oauth-desk sync`: an organisation's catalogue and applications, fetched into the workspace cache for offline use.
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';

export function registerSyncCommand(program: Command, { io, call, json, organisationOption }: CommandContext): void {
  program
    .command('sync')
    .description(GROUP_SUMMARIES.sync.summary)
    .addOption(organisationOption())
    .option('--json', 'print JSON')
    .action(async (opts: { org?: string; json?: boolean }) => {
      const synced = await call('syncOrganisation', { organisation: opts.org });
      if (opts.json) json(synced);
      else if (synced.stopped) io.out('The sync was stopped; the cache keeps what it had.');
      else io.out(`Synced ${synced.synced} application${synced.synced === 1 ? '' : 's'} at ${synced.at}.`);
    });
}
