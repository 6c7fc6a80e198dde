// npm run bench: measures the numbers the product promises and prints them as a table with their targets.
import { tokenBench } from './token';
import { uiBench } from './ui';

interface Row {
  measure: string;
  result: string;
  target: string;
  ok: boolean | null;
}

const rows: Row[] = [];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const worst = (values: number[]) => Math.max(...values);
const ms = (value: number) => `${value.toFixed(1)} ms`;

const only = process.argv[2];

if (!only || only === 'ui') {
  const ui = await uiBench();
  rows.push({
    measure: `list: first rows (${ui.apps} apps)`,
    result: `median ${ms(median(ui.firstRowsMs))}, worst ${ms(worst(ui.firstRowsMs))}`,
    target: '≤ 150 ms',
    ok: median(ui.firstRowsMs) <= 150,
  });
  rows.push({
    measure: 'test bridge: one call, page → main',
    result: `median ${ms(median(ui.bridgeRoundTripMs))} (in every call above)`,
    target: '(reference)',
    ok: null,
  });
  rows.push({
    measure: 'list: page load to first rows',
    result: `median ${ms(median(ui.loadToFirstRowsMs))}`,
    target: '(reference)',
    ok: null,
  });
  rows.push({
    measure: 'list: back from another view',
    result: `median ${ms(median(ui.reopenMs))}, worst ${ms(worst(ui.reopenMs))}`,
    target: '≤ 150 ms',
    ok: median(ui.reopenMs) <= 150,
  });
  rows.push({
    measure: `list: filter per keystroke (${ui.keystrokeMs.length})`,
    result: `median ${ms(median(ui.keystrokeMs))}, worst ${ms(worst(ui.keystrokeMs))}`,
    target: '≤ 30 ms',
    ok: median(ui.keystrokeMs) <= 30,
  });
  rows.push({
    measure: 'scope panel: Orchestrator, 61 scopes',
    result: `median ${ms(median(ui.scopePanelMs))}, worst ${ms(worst(ui.scopePanelMs))}`,
    target: '≤ 100 ms',
    ok: median(ui.scopePanelMs) <= 100,
  });
  rows.push({
    measure: 'scope panel: user → application tab',
    result: `median ${ms(median(ui.tabSwitchMs))}, worst ${ms(worst(ui.tabSwitchMs))}`,
    target: '≤ 100 ms',
    ok: median(ui.tabSwitchMs) <= 100,
  });
}

if (!only || only === 'token') {
  const token = await tokenBench();
  rows.push({
    measure: 'raw RS256 signing (one core)',
    result: `${token.rawSignPerSecond.toFixed(0)} /s`,
    target: '(reference)',
    ok: null,
  });
  rows.push({
    measure: 'token endpoint, client_credentials',
    result: `${token.tokensPerSecond.toFixed(0)} /s = ${token.ratio.toFixed(2)} of raw${token.failures ? `, ${token.failures} failed` : ''}`,
    target: '≥ 0.70 of raw',
    ok: token.ratio >= 0.7 && token.failures === 0,
  });
}

const widths = [38, 44, 14];
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['measure', 'result', 'target', 'met']));
console.log(line(widths.map((w) => '-'.repeat(w)).concat('---')));
for (const r of rows) console.log(line([r.measure, r.result, r.target, r.ok === null ? '' : r.ok ? 'yes' : 'NO']));
process.exitCode = rows.every((r) => r.ok !== false) ? 0 : 1;
