// Main-process memory: bench/main-process.ts in a process of its own, its resident set with the list read. It is
// built to JavaScript first, as main is in the app: a TypeScript loader would add its own 80 MB to the figure.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
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

function once(count: number): Promise<number> {
  const child = spawn(process.execPath, ['--expose-gc', resolve(OUT_DIR, 'main-process.js'), String(count)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<number>((resolved, failed) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      resolved((JSON.parse(line) as { rssMb: number }).rssMb);
    });
    child.once('exit', (code) => {
      if (code !== 0) failed(new Error(`bench/main-process.ts exited with ${code}`));
    });
  });
}

/** Median resident memory, in MB, of main with `count` applications cached and listed. */
export async function mainMemoryMb(count = 10_000, runs = 3): Promise<number> {
  await buildMainProcess();
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await once(count));
  return median(values);
}
