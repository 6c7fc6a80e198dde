// `oauth-desk drafts`: registrations saved without a server (`apps create … --draft`), listed and registered.
import type { Command } from 'commander';
import type { SavedDraft } from '../../shared/model';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';
import { appDetails, appName, secretNotice } from '../format';

export function draftLines(draft: SavedDraft): string {
  const scopes = (type: 'user' | 'application') =>
    draft.scopes
      .filter((s) => s.type === type)
      .map((s) => s.name)
      .join(' ') || '—';
  return [
    `${draft.id}  ${draft.name}  (${draft.isConfidential ? 'Confidential' : 'Non-confidential'}; user ${scopes('user')}; application ${scopes('application')})`,
    ...draft.problems.map((p) => `    to fix: ${p.message}`),
  ].join('\n');
}

export function registerDraftsCommands(program: Command, { io, call, json, organisationOption }: CommandContext): void {
  const drafts = program.command('drafts').description(GROUP_SUMMARIES.drafts.summary);
  drafts
    .command('list')
    .addOption(organisationOption())
    .option('--json', 'print JSON')
    .action(async (opts: { org?: string; json?: boolean }) => {
      const list = await call('listDrafts', { organisation: opts.org });
      if (opts.json) json(list);
      else io.out(list.length === 0 ? 'No drafts.' : list.map(draftLines).join('\n'));
    });
  drafts
    .command('register <draftId>')
    .description(
      "register a draft: the rules against the live catalogue; a confidential app's secret goes to the keychain",
    )
    .option('--show-secret', 'also print the secret (it is always saved to the keychain)')
    .option('--json', 'print JSON')
    .action(async (draftId: string, opts: { showSecret?: boolean; json?: boolean }) => {
      const created = await call('registerDraft', { draftId });
      const secret = created.secret;
      const notice = secret ? secretNotice(secret, Boolean(opts.showSecret)) : { stdout: [], stderr: [] };
      notice.stderr.forEach((line) => io.err(line));
      if (opts.json) {
        const reveal = secret && (opts.showSecret === true || !secret.stored);
        json({ app: created.app, secret: secret ? { ...secret, value: reveal ? secret.value : undefined } : null });
      } else {
        io.out(`Registered ${appName(created.app)}\n${appDetails(created.app)}`);
        notice.stdout.forEach((line) => io.out(line));
      }
    });
  drafts.command('delete <draftId>').action(async (draftId: string) => {
    await call('deleteDraft', { draftId });
    io.out(`Deleted draft ${draftId}`);
  });
}
