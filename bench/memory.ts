// Main-process memory: bench/main-process.ts in a process of its own, its resident set with the list read. It is
// built to JavaScript first, as main is in the app: a TypeScript loader would add its own 80 MB to the figure.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import keytar from 'keytar';
import { createInterface } from 'node:readline';
import { build } from 'vite';
import { median } from './stats';

const ROOT = resolve(import.meta.dirname, '..');
const OUT_DIR = resolve(ROOT, 'out/bench/main-process');

async function buildMainProcess(): Promise<void> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    ssr: { noExternal: true, external: ['better-sqlite3', 'keytar'] },
    build: {
      ssr: resolve(ROOT, 'bench/main-process.ts'),
      outDir: OUT_DIR,
      emptyOutDir: true,
      target: 'node24',
      rolldownOptions: {
        onLog: (level, log, handler) => {
          if (log.code !== 'EVAL') handler(level, log);
        },
        output: { format: 'esm', entryFileNames: '[name].js' },
      },
    },
  });
}

/** One run of bench/main-process.ts in `mode`; answers the JSON line it prints (the measure), or null. */
function run(mode: 'seed' | 'measure', home: string, keychainService: string, count: number): Promise<unknown> {
  const script = resolve(OUT_DIR, 'main-process.js');
  const child = spawn(process.execPath, ['--expose-gc', script, mode, home, keychainService, String(count)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let answer: unknown = null;
  createInterface({ input: child.stdout }).on('line', (line) => {
    answer = JSON.parse(line);
  });
  return new Promise((resolved, failed) => {
    child.once('exit', (code) => {
      if (code === 0) resolved(answer);
      else failed(new Error(`bench/main-process.ts ${mode} exited with ${code}`));
    });
  });
}

/** The app's resident memory once it has synced `count` applications and shown the list, in a data folder of its own. */
async function once(count: number): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'oauth-desk-bench-main-'));
  const keychainService = `oauth-desk-bench-main-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await run('seed', home, keychainService, count);
    return ((await run('measure', home, keychainService, count)) as { rssMb: number }).rssMb;
  } finally {
    for (const c of await keytar.findCredentials(keychainService))
      await keytar.deletePassword(keychainService, c.account);
    rmSync(home, { recursive: true, force: true });
  }
}

/** Median resident memory, in MB, of main with `count` applications cached and listed. */
export async function mainMemoryMb(count = 10_000, runs = 3): Promise<number> {
  await buildMainProcess();
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await once(count));
  return median(values);
}
