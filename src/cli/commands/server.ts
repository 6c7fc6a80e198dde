// `oauth-desk server`: the data folder's owner in the foreground, its embedded Identity Server as the local
// organisation or as any named one.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';
import { parsePort } from '../options';

/** An organisation's name is one URL segment (`/{org}/identity_`): letters, digits, '-', '_' and '.'. */
const ORG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function parseOrgName(value: string): string {
  if (ORG_NAME.test(value)) return value;
  const message = `must be one URL segment of letters, digits, '-', '_' or '.' (up to 100), such as acme (got "${value}").`;
  throw new AppError('invalid_input', `org: ${message}`, [{ field: 'org', message }]);
}

export function registerServerCommand(program: Command, { io }: CommandContext): void {
  program
    .command('server')
    .description(GROUP_SUMMARIES.server.summary)
    .option('--port <port>', 'port on 127.0.0.1 (default 43110, or OAUTH_DESK_PORT)')
    .option('--org <name>', "the organisation it plays, as in /{org}/identity_ (default 'local')")
    .action(async (opts: { port?: string; org?: string }) => {
      const port = opts.port === undefined ? undefined : parsePort(opts.port);
      await io.serve(port, opts.org === undefined ? undefined : parseOrgName(opts.org));
    });
}
