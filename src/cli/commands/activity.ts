// `oauth-desk activity`: what was done in this workspace, newest first: each entry's headline (`--json` has its detail).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ActivityEntry } from '../../shared/model';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';

/** One line an entry: when, where, which action, what it was about, and its headline; the columns aligned. */
function activityLines(entries: readonly ActivityEntry[]): string {
  if (entries.length === 0) return 'No activity yet.';
  const header = ['WHEN', 'ORGANISATION', 'ACTION', 'TARGET', 'HEADLINE'];
  const rows = entries.map((e) => [e.at, e.organisation, e.action, e.target, e.headline]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [header, ...rows].map(line).join('\n');
}

export function registerActivityCommand(program: Command, { io, call, json }: CommandContext): void {
  const activity = program
    .command('activity')
    .description(GROUP_SUMMARIES.activity.summary)
    .option('--json', 'print JSON (each entry with its detail)')
    .option('--limit <n>', 'how many entries', '50')
    .action(async (opts: { json?: boolean; limit: string }) => {
      // Not a number is left to the contract, which refuses it with the field named.
      const entries = await call('listActivity', { limit: Number(opts.limit) });
      if (opts.json) json(entries);
      else io.out(activityLines(entries));
    });
  activity
    .command('export')
    .description('write every entry kept, oldest first, to a JSON file (the list keeps 50 000 entries or 2 years)')
    .requiredOption('--output <file>', 'the file to write')
    .action(async (opts: { output: string }) => {
      const written = await call('exportActivityFile', { path: resolve(opts.output) });
      io.out(`Wrote ${written.entries} entries to ${written.path}`);
    });
}
