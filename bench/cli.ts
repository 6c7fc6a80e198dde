// The CLI's start-up costs, as a script looping over it pays them: `--help`, and `apps list --json` with the local
// Identity Server already running and starting it itself. Each a median of several processes, beside `node -e 0`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { median } from './stats';

const ROOT = resolve(import.meta.dirname, '..');
// The built CLI, as the published bin runs it (the bench builds it first; the bin itself may prefer fresher sources).
const BIN = join(ROOT, 'out/cli/index.js');

export interface CliBench {
  nodeMs: number;
  helpMs: number;
  listAttachedMs: number;
  listStartingMs: number;
}

/** Wall time of one process from spawn to exit; a failing run stops the benchmark. */
function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return ms;
}

const times = (runs: number, measure: () => number) => Array.from({ length: runs }, measure);

export async function cliBench(runs = 9): Promise<CliBench> {
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-cli-'));
  // A port of its own, and the bench's own keychain service: nothing of the admin's real workspace is touched.
  const env = {
    ...process.env,
    OAUTH_DESK_HOME: home,
    OAUTH_DESK_PORT: '0',
    OAUTH_DESK_KEYCHAIN_SERVICE: `oauth-desk-bench-cli-${process.pid}`,
  };
  try {
    const nodeMs = median(times(runs, () => timed(['-e', '0'], env)));
    const helpMs = median(times(runs, () => timed([BIN, '--help'], env)));
    // The first run creates the workspace and the server's data; the figure is for a workspace that exists.
    timed([BIN, 'apps', 'list', '--json'], env);
    const listStartingMs = median(times(runs, () => timed([BIN, 'apps', 'list', '--json'], env)));

    const server = spawn(process.execPath, [BIN, 'server'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ready, failed) => {
        createInterface({ input: server.stdout }).on('line', (line) => {
          if (line.includes('listening on')) ready();
        });
        server.once('exit', (code) => failed(new Error(`oauth-desk server exited with ${code}`)));
      });
      const listAttachedMs = median(times(runs, () => timed([BIN, 'apps', 'list', '--json'], env)));
      return { nodeMs, helpMs, listAttachedMs, listStartingMs };
    } finally {
      server.kill('SIGTERM');
      await new Promise((exited) => server.once('exit', exited));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
