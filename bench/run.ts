// npm run bench: measures the numbers the product promises and prints them as a table with their targets.
import { tokenBench } from './token';

interface Row {
  measure: string;
  result: string;
  target: string;
  ok: boolean;
}

const rows: Row[] = [];

const token = await tokenBench();
rows.push({
  measure: 'raw RS256 signing (one core)',
  result: `${token.rawSignPerSecond.toFixed(0)} /s`,
  target: '(reference)',
  ok: true,
});
rows.push({
  measure: 'token endpoint, client_credentials',
  result: `${token.tokensPerSecond.toFixed(0)} /s = ${token.ratio.toFixed(2)} of raw${token.failures ? `, ${token.failures} failed` : ''}`,
  target: '≥ 0.70 of raw',
  ok: token.ratio >= 0.7 && token.failures === 0,
});

const widths = [36, 40, 16];
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['measure', 'result', 'target', 'met']));
console.log(line(['-'.repeat(36), '-'.repeat(40), '-'.repeat(16), '---']));
for (const r of rows) console.log(line([r.measure, r.result, r.target, r.ok ? 'yes' : 'NO']));
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
