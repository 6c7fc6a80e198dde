// `oauth-desk tenants`: the Identity Server organisations this workspace knows.
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { tenantDetails, tenantsTable } from '../format';

export function registerTenantsCommands(program: Command, { io, call, json }: CommandContext): void {
  const tenants = program.command('tenants').description('the Identity Server organisations this workspace knows');
  tenants
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await call('listTenants', {});
      if (opts.json) json(list);
      else io.out(tenantsTable(list));
    });
  tenants
    .command('show <tenant>')
    .description('base URL, organisation, partitionGlobalId, token URL and the admin application of a tenant')
    .option('--json', 'print JSON')
    .action(async (tenant: string, opts: { json?: boolean }) => {
      const details = await call('showTenant', { tenant });
      if (opts.json) json(details);
      else io.out(tenantDetails(details));
    });
}
