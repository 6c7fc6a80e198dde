// `oauth-desk scope-sets`: named sets of scopes kept in the workspace, and applying one to many applications.
import { Option, type Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { ApplyStatus, ScopeSet, ScopeSetPreview } from '../../shared/model';
import type { CommandContext } from '../context';
import { GROUP_SUMMARIES } from '../groups';
import { collect, scopeRequestsOf } from '../options';
import { planText } from '../planText';

const names = (set: ScopeSet, type: 'user' | 'application') =>
  set.scopes.filter((s) => s.type === type).map((s) => s.name);

function setsTable(sets: ScopeSet[]): string {
  if (sets.length === 0) return 'No scope sets yet. Create one with: oauth-desk scope-sets create <name> --app-scope …';
  const rows = sets.map((set) => [
    set.name,
    `${names(set, 'user').length} user, ${names(set, 'application').length} application`,
    set.heldBy.join(', ') || '—',
    set.description,
  ]);
  const headers = ['NAME', 'SCOPES', 'HELD BY', 'DESCRIPTION'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [headers, ...rows]
    .map((cells) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function setDetails(set: ScopeSet): string {
  const coverage = set.coverage.map((c) =>
    !c.cached
      ? `  ${c.organisation}: catalogue not fetched yet`
      : c.missing.length === 0
        ? `  ${c.organisation}: holds every scope`
        : `  ${c.organisation}: lacks ${c.missing.map((s) => `${s.name} (${s.type})`).join(', ')}`,
  );
  return [
    `Name:               ${set.name}`,
    `Description:        ${set.description || '—'}`,
    `User scopes:        ${names(set, 'user').join(' ') || '—'}`,
    `Application scopes: ${names(set, 'application').join(' ') || '—'}`,
    'Organisations:',
    ...coverage,
  ].join('\n');
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  return `${Math.round(seconds / 60)} min`;
}

/** The estimate as the admin reads it before anything starts. */
export function estimateLine(preview: ScopeSetPreview): string {
  const { estimate } = preview;
  const limits = `${estimate.limitsOf === 'uipath' ? "UiPath's" : "the embedded server's"} limit of ${
    estimate.limitedBy === 'get' ? `${estimate.limits.get} GET` : `${estimate.limits.put} PUT`
  } per ${duration(estimate.limits.windowSeconds)}`;
  return estimate.limitedBy === null
    ? `${estimate.writes} application${estimate.writes === 1 ? '' : 's'} to change; the rate limits do not hold it back.`
    : `${estimate.writes} applications to change: about ${duration(estimate.seconds)} within ${limits}.`;
}

export function previewText(preview: ScopeSetPreview): string {
  const t = preview.totals;
  return [
    `Scope set "${preview.setName}" (${preview.mode}) on ${preview.organisation}${preview.fromCache ? ' (from the cache: offline)' : ''}`,
    planText(preview.plan),
    `Scopes: +${t.userScopesAdded} user, +${t.applicationScopesAdded} application, ` +
      `-${t.userScopesRemoved} user, -${t.applicationScopesRemoved} application.`,
    estimateLine(preview),
  ].join('\n');
}

function resultsText(status: ApplyStatus): string {
  return status.results
    .map((r) => `${r.outcome.padEnd(9)} ${r.clientId}  ${r.name}${r.message ? `: ${r.message}` : ''}`)
    .join('\n');
}

interface SetOptions {
  description?: string;
  userScope: string[];
  appScope: string[];
  json?: boolean;
}

export function registerScopeSetsCommands(program: Command, context: CommandContext): void {
  const { io, call, json } = context;
  const sets = program.command('scope-sets').description(GROUP_SUMMARIES['scope-sets'].summary);
  const print = (set: ScopeSet, asJson: boolean | undefined, headline: string) => {
    if (asJson) json(set);
    else io.out(`${headline}\n${setDetails(set)}`);
  };
  sets
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const all = await call('listScopeSets', {});
      if (opts.json) json(all);
      else io.out(setsTable(all));
    });
  sets
    .command('show <name>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const set = await call('getScopeSet', { setId: name });
      if (opts.json) json(set);
      else io.out(setDetails(set));
    });
  sets
    .command('create <name>')
    .option('--description <text>', 'what the set is for')
    .option('--user-scope <scope>', 'a user scope (repeatable)', collect, [] as string[])
    .option('--app-scope <scope>', 'an application scope (repeatable)', collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (name: string, opts: SetOptions) => {
      const set = await call('saveScopeSet', {
        name,
        description: opts.description ?? '',
        scopes: scopeRequestsOf(opts.userScope, opts.appScope),
      });
      print(set, opts.json, `Created scope set ${set.name}`);
    });
  sets
    .command('update <name>')
    .description("change a set's name, description or scopes (the scopes given replace the set's)")
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description')
    .option('--user-scope <scope>', 'a user scope (repeatable)', collect, [] as string[])
    .option('--app-scope <scope>', 'an application scope (repeatable)', collect, [] as string[])
    .option('--json', 'print JSON')
    .action(async (name: string, opts: SetOptions & { name?: string }) => {
      const current = await call('getScopeSet', { setId: name });
      const givesScopes = opts.userScope.length + opts.appScope.length > 0;
      const set = await call('saveScopeSet', {
        id: current.id,
        name: opts.name ?? current.name,
        description: opts.description ?? current.description,
        scopes: givesScopes ? scopeRequestsOf(opts.userScope, opts.appScope) : current.scopes,
      });
      print(set, opts.json, `Updated scope set ${set.name}`);
    });
  sets
    .command('duplicate <name>')
    .option('--name <name>', 'the copy\'s name (default: "<name> (copy)")')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { name?: string; json?: boolean }) => {
      const set = await call('duplicateScopeSet', { setId: name, name: opts.name });
      print(set, opts.json, `Created scope set ${set.name}`);
    });
  sets
    .command('delete <name>')
    .description('delete a set; applications keep the scopes it gave them')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const deleted = await call('deleteScopeSet', { setId: name });
      if (opts.json) json(deleted);
      else io.out(`Deleted scope set ${name}`);
    });
  registerApply(sets, context);
}

/** `scope-sets apply`: main's preview (its plan), then the run in main, followed through its progress events. */
function registerApply(sets: Command, { io, call, json, organisationOption }: CommandContext): void {
  sets
    .command('apply <name>')
    .description(
      'apply a set to applications: a preview first (--dry-run stops there), then each application re-read and written; one changed since the preview is held back as a conflict',
    )
    .addOption(organisationOption())
    .option('--app <clientId>', 'an application (repeatable)', collect, [] as string[])
    .option('--all', 'every application of the organisation (except the admin application)')
    .addOption(
      new Option('--mode <mode>', 'add, remove or replace the scopes')
        .choices(['add', 'remove', 'replace'])
        .default('add'),
    )
    .option('--dry-run', 'print the per-application preview and change nothing')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: {
          org?: string;
          app: string[];
          all?: boolean;
          mode: 'add' | 'remove' | 'replace';
          dryRun?: boolean;
          json?: boolean;
        },
      ) => {
        const preview = await call('previewScopeSet', {
          organisation: opts.org,
          setId: name,
          mode: opts.mode,
          all: Boolean(opts.all),
          clientIds: opts.app.length > 0 ? opts.app : undefined,
          refresh: true,
        });
        if (opts.dryRun) {
          if (opts.json) json(preview);
          else io.out(previewText(preview));
          return;
        }
        io.err(estimateLine(preview));
        // Progress comes as main's applyProgress events over the owner's socket; no polling.
        const progress: ApplyStatus[] = [];
        let heard: (() => void) | null = null;
        await io.listen((name, payload) => {
          if (name !== 'applyProgress') return;
          progress.push(payload as ApplyStatus);
          heard?.();
        });
        let status = await call('applyScopeSet', { previewId: preview.previewId });
        let shown = -1;
        for (;;) {
          for (const update of progress.splice(0)) if (update.runId === status.runId) status = update;
          if (status.done !== shown) {
            io.err(`${status.done}/${status.total} applications`);
            shown = status.done;
          }
          if (status.state !== 'running') break;
          // A watchdog, not a poll: an owner that went away answers the status call with a sentence.
          let watchdog: NodeJS.Timeout | undefined;
          const quiet = await new Promise<boolean>((resolve) => {
            heard = () => resolve(false);
            watchdog = setTimeout(() => resolve(true), 10_000);
          });
          clearTimeout(watchdog);
          heard = null;
          if (quiet) status = await call('applyStatus', { runId: status.runId });
        }
        if (opts.json) json(status);
        else io.out(resultsText(status));
        const failed = status.results.filter((r) => r.outcome !== 'applied' && r.outcome !== 'unchanged');
        if (failed.length > 0)
          throw new AppError(
            'server_error',
            `${failed.length} of ${status.total} applications were not applied (${[...new Set(failed.map((r) => r.outcome))].join(', ')}).`,
          );
      },
    );
}
