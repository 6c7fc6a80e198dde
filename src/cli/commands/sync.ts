// `oauth-desk sync`: an organisation's catalogue and applications, fetched into the workspace cache for offline use.
import type { Command } from 'commander';
import type { CommandContext } from '../context';

export function registerSyncCommand(program: Command, { io, call, json, tenantOption }: CommandContext): void {
  program
    .command('sync')
    .description("refresh an organisation's resource catalogue and applications into the workspace cache")
    .addOption(tenantOption())
    .option('--json', 'print JSON')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      const synced = await call('syncTenant', { tenant: opts.tenant });
      if (opts.json) json(synced);
      else if (synced.stopped) io.out('The sync was stopped; the cache keeps what it had.');
      else io.out(`Synced ${synced.synced} application${synced.synced === 1 ? '' : 's'} at ${synced.at}.`);
    });
}
