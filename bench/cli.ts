// The CLI's costs, as a script looping over it pays them: `--help`; `apps list --json` with the data folder's owner
// running; the first command on a cold data folder, which starts the background owner; and 16 processes × 5 rounds of
// create / update / generate-secret / delete on a fresh data folder with no owner running. Timings are medians of
// several processes, beside `node -e 0` measured in the same run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { median } from './stats';

const ROOT = resolve(import.meta.dirname, '..');
// The built CLI, as the published bin runs it (the bench builds it first; the bin itself may prefer fresher sources).
const BIN = join(ROOT, 'out/cli/index.js');
const keytar = createRequire(import.meta.url)('keytar') as {
  findCredentials(service: string): Promise<{ account: string }[]>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

export interface CliBench {
  nodeMs: number;
  helpMs: number;
  listWithOwnerMs: number;
  coldFirstMs: number;
  crowd: CrowdRun;
}

export interface CrowdRun {
  processes: number;
  rounds: number;
  failures: number;
  ownersStarted: number;
  adminSecrets: number;
  serverApps: number;
  workspaceRecords: number;
  keychainEntries: number;
  ms: number;
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

function envOf(home: string, service: string): NodeJS.ProcessEnv {
  // A port of its own, and the bench's own keychain service: nothing of the admin's real workspace is touched.
  return { ...process.env, OAUTH_DESK_HOME: home, OAUTH_DESK_PORT: '0', OAUTH_DESK_KEYCHAIN_SERVICE: service };
}

async function forgetKeychain(service: string): Promise<void> {
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
}

export async function cliBench(runs = 9): Promise<CliBench> {
  const service = `oauth-desk-bench-cli-${process.pid}`;
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-cli-'));
  const env = envOf(home, service);
  try {
    const nodeMs = median(times(runs, () => timed(['-e', '0'], env)));
    const helpMs = median(times(runs, () => timed([BIN, '--help'], env)));
    // The first command starts the background owner; the figure is for the commands after it.
    timed([BIN, 'apps', 'list', '--json'], env);
    const listWithOwnerMs = median(times(runs, () => timed([BIN, 'apps', 'list', '--json'], env)));
    timed([BIN, 'owner', 'stop'], env);
    const coldFirstMs = median(
      times(Math.ceil(runs / 2), () => {
        const cold = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-cold-'));
        try {
          const ms = timed([BIN, 'apps', 'list', '--json'], envOf(cold, service));
          timed([BIN, 'owner', 'stop'], envOf(cold, service));
          return ms;
        } finally {
          rmSync(cold, { recursive: true, force: true });
        }
      }),
    );
    const crowd = await crowdRun(service);
    return { nodeMs, helpMs, listWithOwnerMs, coldFirstMs, crowd };
  } finally {
    spawnSync(process.execPath, [BIN, 'owner', 'stop'], { env });
    rmSync(home, { recursive: true, force: true });
    await forgetKeychain(service);
  }
}

/** One oauth-desk process, its exit code and output. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** 16 processes, each 5 rounds of create / update / generate-secret / delete, on a fresh data folder with no owner. */
async function crowdRun(service: string, processes = 16, rounds = 5): Promise<CrowdRun> {
  await forgetKeychain(service);
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-crowd-'));
  const env = envOf(home, service);
  let failures = 0;
  const start = performance.now();
  const one = async (args: string[]) => {
    const run = await cli(args, env);
    if (run.code !== 0) {
      failures += 1;
      process.stderr.write(`bench: ${args.join(' ')} failed: ${run.stderr}`);
    }
    return run;
  };
  await Promise.all(
    Array.from({ length: processes }, async (_, p) => {
      for (let round = 0; round < rounds; round += 1) {
        const created = await one(['apps', 'create', `Crowd ${p}-${round}`, '--app-scope', 'OR.Jobs', '--json']);
        if (created.code !== 0) continue;
        const id = (JSON.parse(created.stdout) as { app: { id: string } }).app.id;
        await one(['apps', 'update', id, '--app-scope', 'OR.Queues', '--json']);
        await one(['apps', 'generate-secret', id, '--json']);
        await one(['apps', 'delete', id]);
      }
    }),
  );
  const ms = performance.now() - start;
  try {
    const local = JSON.parse((await cli(['organisations', 'show', 'local', '--json'], env)).stdout) as {
      adminClientId: string;
    };
    const apps = JSON.parse((await cli(['apps', 'list', '--json'], env)).stdout) as { id: string }[];
    const cached = JSON.parse((await cli(['apps', 'list', '--cached', '--json'], env)).stdout) as { id: string }[];
    const admin = JSON.parse((await cli(['apps', 'get', local.adminClientId, '--json'], env)).stdout) as {
      secrets: unknown[];
    };
    const entries = (await keytar.findCredentials(service)).filter((c) => !c.account.includes(local.adminClientId));
    const log = readFileSync(join(home, 'owner.log'), 'utf8');
    return {
      processes,
      rounds,
      failures,
      ownersStarted: log.split('\n').filter((line) => line.includes(' owner of ')).length,
      adminSecrets: admin.secrets.length,
      serverApps: apps.length - 1,
      workspaceRecords: cached.length - 1,
      keychainEntries: entries.length,
      ms,
    };
  } finally {
    await cli(['owner', 'stop'], env);
    rmSync(home, { recursive: true, force: true });
  }
}
