// `oauth-desk server`: the embedded Identity Server in the foreground.
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { parsePort } from '../options';

export function registerServerCommand(program: Command, { io }: CommandContext): void {
  program
    .command('server')
    .description('run the embedded Identity Server in the foreground and print its URL')
    .option('--port <port>', 'port on 127.0.0.1 (default 43110, or OAUTH_DESK_PORT)')
    .action(async (opts: { port?: string }) => {
      await io.serve(opts.port === undefined ? undefined : parsePort(opts.port));
    });
}
