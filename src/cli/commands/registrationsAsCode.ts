// `oauth-desk export` and `oauth-desk import`: an organisation's registrations and the scope sets as a JSON document
// (schemas/oauth-desk-export.schema.json), never with a secret; an import shows per application what it does.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { RawInputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ImportResult } from '../../shared/model';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';
import { wordsOfCode } from '../../shared/errorCodes';
import { planText } from '../planText';

/** An import's dry run: its plan, then the scope sets beside it. */
function dryRunText(result: ImportResult): string {
  return [planText(result.plan), ...setLines(result), 'Dry run: nothing was changed.'].join('\n');
}

function setLines(result: ImportResult): string[] {
  return result.scopeSets.map(
    (s) => `${s.action.padEnd(9)} scope set ${s.name}${s.messages.length ? `: ${s.messages.join(' ')}` : ''}`,
  );
}

/** What an import did, per application: its action, whether it failed, and where a created secret is kept. */
function importText(result: ImportResult): string {
  const lines = result.registrations.map((r) => {
    const what =
      r.action === 'update' ? `: ${r.changes.join('; ')}` : r.action === 'refused' ? `: ${r.messages.join(' ')}` : '';
    const failed =
      r.action !== 'refused' && r.action !== 'unchanged' && !r.applied ? ` (failed: ${r.messages.join(' ')})` : '';
    const secret = r.secret
      ? ` (secret ${r.secret.id} ${r.secret.stored ? `in the keychain as ${r.secret.keychain.service} / ${r.secret.keychain.account}` : 'held in memory: the keychain refused it'})`
      : '';
    return `${r.action.padEnd(9)} ${r.name}${r.clientId ? ` (${r.clientId})` : ''}${what}${failed}${secret}`;
  });
  return [...lines, ...setLines(result)].join('\n');
}

export function registerExportCommand(program: Command, { io, call, json, organisationOption }: CommandContext): void {
  program
    .command('export')
    .description(GROUP_SUMMARIES.export.summary)
    .addOption(organisationOption())
    .option('--output <file>', 'write the document to this file instead of printing it')
    .action(async (opts: { org?: string; output?: string }) => {
      if (opts.output) {
        const written = await call('exportRegistrationsFile', { organisation: opts.org, path: resolve(opts.output) });
        if ('path' in written) io.out(`Wrote ${written.path}`);
        return;
      }
      json(await call('exportRegistrations', { organisation: opts.org }));
    });
}

export function registerImportCommand(program: Command, { io, call, json, organisationOption }: CommandContext): void {
  program
    .command('import <file>')
    .description(GROUP_SUMMARIES.import.summary)
    .addOption(organisationOption())
    .option('--dry-run', 'show what would be created, updated or refused, and change nothing')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { org?: string; dryRun?: boolean; json?: boolean }) => {
      // Parsed at the dispatch by the contract's schema, which names the faulty field.
      let document: RawInputOf<'importRegistrations'>['document'];
      try {
        document = JSON.parse(readFileSync(resolve(file), 'utf8')) as typeof document;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code ? wordsOfCode(code) : error instanceof Error ? error.message : String(error);
        throw AppError.invalid([{ field: 'file', message: `Cannot read ${file} as a JSON document (${why}).` }]);
      }
      const result = await call('importRegistrations', {
        organisation: opts.org,
        document,
        dryRun: Boolean(opts.dryRun),
      });
      if (opts.json)
        json({
          ...result,
          // A created secret's value only when the keychain refused it: it is in the keychain otherwise.
          registrations: result.registrations.map((r) => ({
            ...r,
            secret: r.secret ? { ...r.secret, value: r.secret.stored ? undefined : r.secret.value } : null,
          })),
        });
      else io.out(result.dryRun ? dryRunText(result) : importText(result));
      const refused = result.registrations.filter(
        (r) => r.action === 'refused' || (!result.dryRun && r.action !== 'unchanged' && !r.applied),
      );
      if (refused.length > 0)
        throw new AppError(
          'server_error',
          `${refused.length} of ${result.registrations.length} registrations were refused or failed.`,
        );
    });
}
