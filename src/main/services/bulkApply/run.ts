// A scope set's run in main: each application re-read just before its one PUT, one changed on the server since the
// preview held back as a conflict, paced by the organisation's rate limits (its 429s, each wait told as it starts).
// Stop finishes only the applications whose PUT is on its way; the rest, re-read or waiting, are not run.
import { organisationInWords } from '../../../shared/organisationInWords';
import { randomUUID } from 'node:crypto';
import { describeChanges, diffApp, scopesOf } from '../../../shared/changes';
import { AppError } from '../../../shared/errors';
import type { ApplyConflict, ApplyResult, ApplyStatus, Catalogue, ExternalClient } from '../../../shared/model';
import { checkRegistration, normalizeDraft } from '../../../shared/rules';
import type { EventOf } from '../../../shared/contract';
import type { BulkApplyDeps } from './index';
import { updateConfirmed } from '../lostWrites';
import { scopeKey, totalsOf, type HeldPreview } from './preview';

/** Applications written at once: enough to keep a lifted server busy; under real limits the 429 waits pace them. */
const WORKERS = 4;

export interface Run {
  status: ApplyStatus;
  /** Aborted by Stop: ends the run's rate-limit waits at once; a write already sent is never cut off. */
  stopWaits: AbortController;
}

/** An application's registration as a comparable text: what a change elsewhere would make differ. */
function registrationOf(app: ExternalClient): string {
  return JSON.stringify([app.name, app.isConfidential, app.redirectUri, scopesOf(app).map(scopeKey).sort()]);
}

/** The run's status as it is now, a copy the caller may keep. */
export function snapshot(deps: BulkApplyDeps, run: Run): ApplyStatus {
  const { status } = run;
  return {
    ...status,
    results: status.results.map((r) => ({ ...r })),
    conflicts: [...status.conflicts],
    rateLimitedUntil:
      status.state === 'running' ? deps.organisations.status(status.organisation).rateLimitedUntil : null,
    writing: status.state === 'running' ? status.writing : 0,
  };
}

/** Writes one application, unless it changed on the server since the preview; never more than one PUT. */
async function applyOne(
  deps: BulkApplyDeps,
  held: HeldPreview,
  grants: Catalogue,
  app: ExternalClient,
  run: Run,
): Promise<{ result: ApplyResult; conflict?: ApplyConflict }> {
  const stopWaits = run.stopWaits.signal;
  const { workspace } = deps;
  const organisationId = held.preview.organisation;
  const client = deps.organisations.client(organisationId);
  const done = (outcome: ApplyResult['outcome'], message: string | null = null) => ({
    result: { clientId: app.id, name: app.name, outcome, message },
  });
  try {
    const current = await client.getApp(app.id, { stopWaiting: stopWaits });
    workspace.registrations.save(organisationId, current);
    if (registrationOf(current) !== registrationOf(app))
      return {
        ...done('conflict', 'Changed on the server since the preview; held back, not overwritten.'),
        conflict: { clientId: app.id, name: app.name, previewed: app, current },
      };
    const scopes = held.targets.get(app.id) ?? scopesOf(app);
    const draft = normalizeDraft({
      name: current.name,
      isConfidential: current.isConfidential,
      redirectUri: current.redirectUri,
      scopes,
    });
    const errors = checkRegistration(draft, grants).errors;
    if (errors.length > 0) return done('refused', errors.map((e) => e.message).join(' '));
    // Stopped while it was read again: its PUT is not sent.
    if (run.status.stopping) return done('notRun', 'Stopped before it was written.');
    // A lost answer is read back: applied or not applied, as the application now is (lostWrites.ts).
    const wanted = { name: draft.name, redirectUri: draft.redirectUri, scopes: draft.scopes };
    const orgName = organisationInWords(deps.organisations.get(organisationId));
    const { app: written, lostAnswer } = await writing(run, () =>
      updateConfirmed(client, orgName, current, wanted, stopWaits),
    );
    workspace.registrations.save(organisationId, written);
    const changed = describeChanges(diffApp(current, { scopes: draft.scopes })).join('; ');
    return done('applied', lostAnswer ? `${changed} (${lostAnswer})` : changed);
  } catch (error) {
    // Stopped while it waited out a rate limit: nothing was written, so it is not run.
    if (stopWaits.aborted) return done('notRun', 'Stopped before it was written.');
    if (error instanceof AppError && error.code === 'not_found') workspace.registrations.delete(organisationId, app.id);
    return done('failed', error instanceof AppError ? error.message : 'Something went wrong inside OAuth Desk.');
  }
}

/**
 * One application's PUT, counted as being written while it is on its way: what a Stop still finishes, told with the
 * Stop's own progress and with each application that ends after it.
 */
async function writing<T>(run: Run, write: () => Promise<T>): Promise<T> {
  run.status.writing++;
  try {
    return await write();
  } finally {
    run.status.writing--;
  }
}

/** While the run goes on, each rate-limit wait of its organisation is told as it starts and ends (the countdown). */
function followWaits(deps: BulkApplyDeps, run: Run): () => void {
  let last = run.status.rateLimitedUntil;
  return deps.events.subscribe((name, payload) => {
    if (name !== 'organisationStatus' || run.status.state !== 'running') return;
    const { organisation, status } = payload as EventOf<'organisationStatus'>;
    if (organisation !== run.status.organisation || status.rateLimitedUntil === last) return;
    last = status.rateLimitedUntil;
    deps.events.emit('applyProgress', snapshot(deps, run));
  });
}

/** The run in the activity list: how many applications came to each outcome. */
function recordRun(deps: BulkApplyDeps, held: HeldPreview, run: Run, stopped: boolean): void {
  const { preview: p } = held;
  const tally = (outcome: ApplyResult['outcome']) => run.status.results.filter((r) => r.outcome === outcome).length;
  deps.activity.record({
    organisation: p.organisation,
    action: 'scopeSet.apply',
    target: p.setName,
    headline: `${stopped ? 'Stopped applying' : 'Applied'} scope set "${p.setName}" (${p.mode}) to ${p.apps.length} application${
      p.apps.length === 1 ? '' : 's'
    }: ${tally('applied')} changed, ${tally('unchanged')} unchanged, ${tally('conflict')} held back as conflicts, ${tally(
      'refused',
    )} refused, ${tally('failed')} failed${stopped ? `, ${tally('notRun')} not reached` : ''}.`,
  });
}

async function execute(deps: BulkApplyDeps, held: HeldPreview, run: Run): Promise<void> {
  const { preview: p } = held;
  const { status } = run;
  const index = new Map(status.results.map((r, i) => [r.clientId, i]));
  const queue = p.apps.filter((a) => a.outcome === 'change').flatMap((a) => held.bases.get(a.clientId) ?? []);
  // The rules judge each write against the catalogue as the organisation has it now (the cache when offline).
  const grants = await deps.catalogue
    .list(p.organisation, true)
    .catch(() => deps.workspace.catalogue.get(p.organisation) ?? []);
  const worker = async () => {
    for (let app = queue.shift(); app !== undefined && !status.stopping; app = queue.shift()) {
      const { result, conflict } = await applyOne(deps, held, grants, app, run);
      const at = index.get(app.id);
      if (at !== undefined) status.results[at] = result;
      if (conflict) status.conflicts.push(conflict);
      // Done counts what came to an outcome; one stopped before its PUT stays among the not run.
      if (result.outcome !== 'notRun') status.done++;
      deps.events.emit('applyProgress', snapshot(deps, run));
    }
  };
  const unfollow = followWaits(deps, run);
  try {
    await Promise.all(Array.from({ length: WORKERS }, worker));
  } finally {
    unfollow();
  }
  const stopped = status.results.some((r) => r.outcome === 'notRun');
  status.state = stopped ? 'stopped' : 'done';
  status.finishedAt = new Date().toISOString();
  settlePendingChange(deps, held, run);
  deps.events.emit('applyProgress', snapshot(deps, run));
  deps.events.emit('organisationDataChanged', { organisation: p.organisation, what: 'applications' });
  recordRun(deps, held, run, stopped);
}

/**
 * A new run of a held preview, not started yet: the applications without a change are done before it starts. A
 * preview runs once.
 */
export function newRun(deps: BulkApplyDeps, held: HeldPreview): Run {
  if (held.runId !== null)
    throw AppError.invalid([
      { field: 'previewId', message: `This preview was applied already (run ${held.runId}); make a new preview.` },
    ]);
  const p = held.preview;
  deps.organisations.get(p.organisation);
  const results: ApplyResult[] = p.apps.map((a) => ({
    clientId: a.clientId,
    name: a.name,
    outcome: a.outcome === 'change' ? 'notRun' : a.outcome,
    message: a.refusals.length > 0 ? a.refusals.join(' ') : null,
  }));
  const run: Run = {
    stopWaits: new AbortController(),
    status: {
      runId: randomUUID(),
      organisation: p.organisation,
      setName: p.setName,
      mode: p.mode,
      state: 'running',
      done: results.filter((r) => r.outcome !== 'notRun').length,
      total: results.length,
      results,
      conflicts: [],
      startedAt: new Date().toISOString(),
      finishedAt: null,
      rateLimitedUntil: null,
      stopping: false,
      writing: 0,
    },
  };
  held.runId = run.status.runId;
  return run;
}

/** Outcomes after which an application is still to be applied: a later run of its pending change tries it again. */
const UNFINISHED: ReadonlySet<ApplyResult['outcome']> = new Set(['failed', 'notRun', 'conflict']);

/**
 * The pending change a run was previewed for, once the run ends: kept with the applications still to apply (failed,
 * not reached, held back as a conflict), and gone once every one of them was applied or refused.
 */
function settlePendingChange(deps: BulkApplyDeps, held: HeldPreview, run: Run): void {
  if (held.changeId === null) return;
  const remaining = new Set(run.status.results.filter((r) => UNFINISHED.has(r.outcome)).map((r) => r.clientId));
  if (remaining.size === 0) {
    deps.workspace.scopeSets.deletePendingChange(held.changeId);
    return;
  }
  const rows = held.preview.apps.filter((a) => remaining.has(a.clientId));
  deps.workspace.scopeSets.narrowPendingChange(held.changeId, [...remaining], totalsOf(rows));
}

/** Starts the run in main; it goes on after this returns. Its pending change stays until it is all applied. */
export function startRun(deps: BulkApplyDeps, held: HeldPreview, run: Run): void {
  void execute(deps, held, run).catch((error: unknown) => {
    // A fault outside any one application (the workspace closed under it): the run ends, its results stand.
    run.status.state = 'stopped';
    run.status.finishedAt = new Date().toISOString();
    deps.events.emit('applyProgress', snapshot(deps, run));
    console.error(
      `[oauth-desk] applying a scope set stopped: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
}
