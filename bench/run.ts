// npm run bench: the product's numbers in one table, target beside result, each a median of several runs; timings
// that vary with the machine are also stated as ratios against a reference measured in the same run.
// `npm run bench -- --json` prints the same rows as JSON; either way they are written to out/bench/results.json,
// which `npm run bench:readme` copies into the README. `npm run bench -- cli|bundles|ui|token|scope-sets` runs one part.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleSizes } from '../scripts/bundle-sizes.mjs';
import { cliBench } from './cli';
import { mainMemoryMb } from './memory';
import { pacedApplyBench, scopeSetsBench } from './scopeSets';
import { coldStartBench, tokenBench } from './token';
import { uiBench } from './ui';

interface Row {
  measure: string;
  result: string;
  target: string;
  /** null: a reference or a figure reported without a target. */
  ok: boolean | null;
  value: number;
  unit: string;
}

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const only = args.find((arg) => !arg.startsWith('--'));
const wanted = (part: string) => only === undefined || only === part;
const rows: Row[] = [];
const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** Progress goes to stderr, so that `--json` leaves stdout to the JSON alone. */
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

function row(measure: string, value: number, unit: string, result: string, target: string, ok: boolean | null) {
  rows.push({ measure, result, target, ok, value, unit });
}

if (wanted('bundles') || wanted('cli')) {
  progress('building (npm run build)');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error('npm run build failed');
}

if (wanted('bundles')) {
  const sizes = bundleSizes(ROOT);
  row(
    'bundle: renderer JS, all chunks',
    sizes.rendererGzip,
    'B',
    `${kb(sizes.rendererGzip)} gzip`,
    '≤ 300 KB',
    sizes.rendererGzip <= 300 * 1024,
  );
  row(
    'bundle: renderer JS, first view',
    sizes.firstViewGzip,
    'B',
    `${kb(sizes.firstViewGzip)} gzip`,
    '≤ 220 KB',
    sizes.firstViewGzip <= 220 * 1024,
  );
  row('bundle: preload', sizes.preload, 'B', kb(sizes.preload), '≤ 8 KB', sizes.preload <= 8 * 1024);
}

if (wanted('cli')) {
  progress('the CLI');
  const cli = await cliBench();
  const vsNode = (value: number) => `${ms(value)} (${(value / cli.nodeMs).toFixed(1)} × node -e 0)`;
  row('cli: node -e 0', cli.nodeMs, 'ms', ms(cli.nodeMs), '(reference)', null);
  const ratio = (value: number) => value / cli.nodeMs;
  row('cli: oauth-desk --help', cli.helpMs, 'ms', vsNode(cli.helpMs), '≤ 2 × node -e 0', ratio(cli.helpMs) <= 2);
  row(
    'cli: apps list --json, owner running',
    cli.listWithOwnerMs,
    'ms',
    vsNode(cli.listWithOwnerMs),
    '≤ 2.5 × node -e 0',
    ratio(cli.listWithOwnerMs) <= 2.5,
  );
  row(
    'cli: first command on a cold data folder (starts the owner)',
    cli.coldFirstMs,
    'ms',
    vsNode(cli.coldFirstMs),
    '≤ 12 × node -e 0',
    ratio(cli.coldFirstMs) <= 12,
  );
  const c = cli.crowd;
  const consistent = c.serverApps === c.workspaceRecords && c.workspaceRecords === c.keychainEntries;
  row(
    `cli: ${c.processes} processes × ${c.rounds} rounds (create, update, generate-secret, delete), fresh folder`,
    c.failures,
    'failures',
    `${c.failures} failures, ${c.ownersStarted} owner started, ${c.adminSecrets} admin secret, apps ${c.serverApps} = records ${c.workspaceRecords} = keychain ${c.keychainEntries}, ${(c.ms / 1000).toFixed(1)} s`,
    '0 failures, 1 owner, 1 admin secret, all equal',
    c.failures === 0 && c.ownersStarted === 1 && c.adminSecrets === 1 && consistent,
  );
}

if (wanted('ui')) {
  progress('the list at 2, 1 000, 10 000 and 50 000 applications (seeding, syncing, Chromium)');
  const ui = await uiBench();
  const base = ui.lists[0];
  if (!base) throw new Error('no list was measured');
  for (const list of ui.lists) {
    const ratio = list.firstRowsMs / base.firstRowsMs;
    const target = list.apps === 10_000 ? '≤ 1.15 × 2 apps, ≤ 150 ms' : list === base ? '(reference)' : '';
    const ok = list.apps === 10_000 ? ratio <= 1.15 && list.firstRowsMs <= 150 : null;
    const shown = list === base ? ms(list.firstRowsMs) : `${ms(list.firstRowsMs)} = ${ratio.toFixed(2)} × 2 apps`;
    row(`list: first rows, ${list.apps.toLocaleString('en')} apps`, list.firstRowsMs, 'ms', shown, target, ok);
  }
  for (const list of ui.lists)
    if (list.syncMs !== null)
      row(
        `sync: ${list.apps.toLocaleString('en')} registrations`,
        list.syncMs,
        'ms',
        ms(list.syncMs),
        list.apps === 10_000 ? '≤ 2000 ms' : '',
        list.apps === 10_000 ? list.syncMs <= 2000 : null,
      );
  const at = ui.detailAt.toLocaleString('en');
  row(`list: filter per keystroke (${at})`, ui.keystrokeMs, 'ms', ms(ui.keystrokeMs), '≤ 30 ms', ui.keystrokeMs <= 30);
  row(`list: back to the list (${at})`, ui.reopenMs, 'ms', ms(ui.reopenMs), '≤ 50 ms', ui.reopenMs <= 50);
  row(
    'scope panel: Orchestrator, 61 scopes',
    ui.scopePanelMs,
    'ms',
    ms(ui.scopePanelMs),
    '≤ 100 ms',
    ui.scopePanelMs <= 100,
  );
  row(
    'scope panel: user → application tab',
    ui.tabSwitchMs,
    'ms',
    ms(ui.tabSwitchMs),
    '≤ 100 ms',
    ui.tabSwitchMs <= 100,
  );
  progress('main-process memory');
  const rssMb = await mainMemoryMb(ui.detailAt);
  row(
    `memory: main, ${at} apps synced and listed`,
    rssMb,
    'MB',
    `${rssMb.toFixed(0)} MB RSS`,
    '≤ 200 MB',
    rssMb <= 200,
  );
  row('dispatch round trip via test bridge, p50', ui.roundTripP50Ms, 'ms', ms(ui.roundTripP50Ms), '', null);
  row('dispatch round trip via test bridge, p99', ui.roundTripP99Ms, 'ms', ms(ui.roundTripP99Ms), '', null);
  row(
    'dispatch alone (main), p50 / p99',
    ui.dispatchP50Ms,
    'ms',
    `${ms(ui.dispatchP50Ms)} / ${ms(ui.dispatchP99Ms)}`,
    '',
    null,
  );
  const overhead = ui.roundTripP50Ms - ui.dispatchP50Ms;
  row('test bridge overhead, p50', overhead, 'ms', ms(overhead), '(apart)', null);
}

if (wanted('token')) {
  progress('the token endpoint and cold start');
  const cold = await coldStartBench();
  row(
    'server cold start: spawn → first token',
    cold.coldStartMs,
    'ms',
    `${ms(cold.coldStartMs)} (${(cold.coldStartMs / cold.nodeMs).toFixed(1)} × node -e 0)`,
    '≤ 400 ms',
    cold.coldStartMs <= 400,
  );
  const token = await tokenBench();
  const failed = token.failures ? `, ${token.failures} failed` : '';
  row(
    'raw RS256 signing, same key, one core',
    token.rawSignPerSecond,
    '/s',
    `${token.rawSignPerSecond.toFixed(0)} /s`,
    '(reference)',
    null,
  );
  row(
    'bare oidc-provider, client_credentials',
    token.bareTokensPerSecond,
    '/s',
    `${token.bareTokensPerSecond.toFixed(0)} /s = ${(token.bareTokensPerSecond / token.rawSignPerSecond).toFixed(2)} of raw`,
    '(reference)',
    null,
  );
  row(
    'token endpoint vs raw signing',
    token.ratio,
    'ratio',
    `${token.tokensPerSecond.toFixed(0)} /s = ${token.ratio.toFixed(2)} of raw${failed}`,
    '≥ 0.75 of raw',
    token.ratio >= 0.75 && token.failures === 0,
  );
  row(
    'token endpoint vs bare oidc-provider',
    token.bareRatio,
    'ratio',
    `${token.bareRatio.toFixed(2)} of bare`,
    '≥ 0.90 of bare',
    token.bareRatio >= 0.9,
  );
}

if (wanted('scope-sets')) {
  progress('a scope set on 1 000 applications, limits lifted');
  const sets = await scopeSetsBench();
  row(
    `scope set: preview, ${sets.apps.toLocaleString('en')} apps`,
    sets.previewMs,
    'ms',
    ms(sets.previewMs),
    '≤ 500 ms',
    sets.previewMs <= 500,
  );
  row(
    `scope set: apply, ${sets.apps.toLocaleString('en')} apps`,
    sets.applyMs,
    'ms',
    `${(sets.applyMs / 1000).toFixed(1)} s, ${sets.applied} applied, ${sets.progressEvents} progress answers`,
    '≤ 10 s',
    sets.applyMs <= 10_000 && sets.applied === sets.apps,
  );
  progress('a scope set applied under 4 PUTs per 8 s, against its estimate');
  const paced = await pacedApplyBench();
  row(
    'scope set: apply paced by the PUT limit, against its estimate',
    paced.error,
    'ratio',
    `${paced.actualSeconds.toFixed(1)} s for ${paced.apps} apps, estimated ${paced.estimateSeconds} s (${(paced.error * 100).toFixed(1)} % off)`,
    '≤ 10 % off',
    paced.error <= 0.1,
  );
}

// The machine's load beside the figures: on a shared machine, absolute timings move with it; the ratios less so.
const results = {
  at: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  loadAverage: loadavg()[0],
  rows,
};
mkdirSync(join(ROOT, 'out/bench'), { recursive: true });
writeFileSync(join(ROOT, 'out/bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

if (asJson) console.log(JSON.stringify(results, null, 2));
else {
  const widths = [42, 46, 26];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(['measure', 'result', 'target', 'met']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('---')));
  for (const r of rows) console.log(line([r.measure, r.result, r.target, r.ok === null ? '' : r.ok ? 'yes' : 'NO']));
}
process.exitCode = rows.every((r) => r.ok !== false) ? 0 : 1;
