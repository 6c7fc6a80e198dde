// npm run bench:readme: rewrites the README's benchmark table (between its bench markers) from the last
// `npm run bench` (out/bench/results.json), so the README shows measured numbers, never typed ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'prettier';

const root = resolve(import.meta.dirname, '..');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

const results = JSON.parse(readFileSync(process.argv[2] ?? resolve(root, 'out/bench/results.json'), 'utf8'));
const cell = (text) => String(text).replaceAll('|', '\\|');
/** A row's part: the words before the first colon of its measure ("cli", "list", "bundle", …). */
const partOf = (measure) => measure.split(':')[0].trim();
const readmePath = resolve(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from === -1 || to < from) throw new Error(`README.md has no ${START} … ${END} block to rewrite.`);

// A run of some parts only (`npm run bench -- cli`) replaces those parts' rows; the other parts' rows stay as the
// README had them, under the date of the run that measured them.
const measuredParts = new Set(results.rows.map((row) => partOf(row.measure)));
const keptRows = readme
  .slice(from, to)
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| measure') && !line.startsWith('| ---'))
  .filter((line) => !measuredParts.has(partOf(line.slice(2).split(' | ')[0] ?? '')));
const earlier = /Measured by `npm run bench` on ([0-9-]+)/.exec(readme.slice(from, to))?.[1];

const table = [
  `Measured by \`npm run bench\` on ${results.at.slice(0, 10)} (Node ${results.node}, ${results.cores} cores, load average ` +
    `${results.loadAverage.toFixed(1)} at the end of the run); each figure a median of several runs.`,
  '',
  '| measure | result | target | met |',
  '| --- | --- | --- | --- |',
  ...keptRows,
  ...results.rows.map(
    (row) =>
      `| ${cell(row.measure)} | ${cell(row.result)} | ${cell(row.target)} | ${row.ok === null ? '' : row.ok ? 'yes' : '**no**'} |`,
  ),
  ...(keptRows.length > 0 && earlier
    ? [
        '',
        `Only the rows of ${[...measuredParts].join(', ')} are from this run; the others are from the run of ${earlier}.`,
      ]
    : []),
].join('\n');

const rewritten = `${readme.slice(0, from + START.length)}\n\n${table}\n\n${readme.slice(to)}`;
// Formatted as `npm run lint` checks it (the table's columns aligned).
writeFileSync(readmePath, await format(rewritten, { filepath: readmePath }));
console.log(`README.md: benchmark table rewritten from ${results.rows.length} rows of ${results.at}.`);
