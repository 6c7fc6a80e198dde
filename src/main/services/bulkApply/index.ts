// Applying a scope set to many applications: a preview per application (from the cache, so it works offline and
// answers at once; preview.ts), then a run in main that re-reads each application just before writing it and holds
// back one changed since the preview as a conflict, stoppable between applications, paced by the organisation's rate
// limits (run.ts). A preview saved offline is a pending change, previewed afresh after the next sync.
import { organisationInWords } from '../../../shared/organisationInWords';
import { randomUUID } from 'node:crypto';
import type { InputOf } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { ApplyStatus, PendingChange, ScopeSetPreview } from '../../../shared/model';
import type { RateLimits } from '../../../shared/rateLimits';
import type { EventBus } from '../../events';
import type { ConfirmByMain } from '../../ports';
import { scopesOf } from '../../../shared/changes';
import { confirmAdminGrants } from '../adminGrants';
import type { ScopeWorkDeps } from '../scopeWorkDeps';
import { makePreview, type HeldPreview } from './preview';
import { newRun, snapshot, startRun, type Run } from './run';

export { estimateOf, targetScopes } from './preview';

export interface BulkApplyDeps extends ScopeWorkDeps {
  /** Where each step of a run is told (applyProgress) and its end (organisationDataChanged). */
  events: EventBus;
  /** The limits the embedded server was started with; UiPath's when unknown (another process runs it). */
  localRateLimits?: Partial<RateLimits>;
  /** Main's own, once for a run that grants organisation-admin scopes as application scopes (adminGrants.ts). */
  confirm?: ConfirmByMain;
}

/** Previews and runs kept in memory for this session; the oldest go first. */
const KEPT = 20;

/** What one service keeps in memory: its previews and its runs, by ID. */
interface Session {
  previews: Map<string, HeldPreview>;
  runs: Map<string, Run>;
}

function keepNewest<T>(map: Map<string, T>): void {
  while (map.size > KEPT) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

async function preview(
  deps: BulkApplyDeps,
  session: Session,
  input: InputOf<'previewScopeSet'>,
  changeId: string | null = null,
): Promise<ScopeSetPreview> {
  const held = await makePreview(deps, input, changeId);
  session.previews.set(held.preview.previewId, held);
  keepNewest(session.previews);
  return held.preview;
}

function heldPreview(session: Session, previewId: string): HeldPreview {
  const held = session.previews.get(previewId);
  if (!held)
    throw new AppError(
      'not_found',
      `No preview ${previewId}: make a new preview (previews last until the app closes).`,
      [{ field: 'previewId', message: `No preview ${previewId}: make a new preview.` }],
    );
  return held;
}

function findRun(session: Session, runId: string): Run {
  const run = session.runs.get(runId);
  if (!run)
    throw new AppError('not_found', `No apply ${runId} is known to this session.`, [
      { field: 'runId', message: `No apply ${runId} is known to this session.` },
    ]);
  return run;
}

/** The applications a run changes, as the preview saw them and as they are to be: what its confirmation is about. */
function grantsOfRun(held: HeldPreview) {
  return held.preview.apps
    .filter((row) => row.outcome === 'change')
    .map((row) => {
      const base = held.bases.get(row.clientId);
      return { name: row.name, before: base ? scopesOf(base) : [], after: held.targets.get(row.clientId) ?? [] };
    });
}

/**
 * Starts the run of a preview and answers its first status; the run goes on in main. A run that grants
 * organisation-admin scopes as application scopes waits for main's confirmation first, once for all its applications.
 */
async function apply(deps: BulkApplyDeps, session: Session, previewId: string): Promise<ApplyStatus> {
  const held = heldPreview(session, previewId);
  await confirmAdminGrants(deps.confirm, deps.organisations.get(held.preview.organisation), grantsOfRun(held));
  const run = newRun(deps, held);
  session.runs.set(run.status.runId, run);
  keepNewest(session.runs);
  startRun(deps, held, run);
  return snapshot(deps, run);
}

/**
 * Asks the run to stop: the applications being written are finished, a rate-limit wait ends at once, and the rest are
 * not run. Told at once (applyProgress, stopping); answers whether it was still running.
 */
function stop(deps: BulkApplyDeps, session: Session, runId: string): { stopped: boolean } {
  const run = findRun(session, runId);
  if (run.status.state !== 'running') return { stopped: false };
  run.status.stopping = true;
  run.stopWaits.abort();
  deps.events.emit('applyProgress', snapshot(deps, run));
  return { stopped: true };
}

function savePending(deps: BulkApplyDeps, session: Session, previewId: string): PendingChange {
  const { preview: p, clientIds } = heldPreview(session, previewId);
  const change = {
    id: randomUUID(),
    organisation: p.organisation,
    setId: p.setId,
    mode: p.mode,
    clientIds,
    totals: p.totals,
    createdAt: new Date().toISOString(),
  };
  deps.workspace.scopeSets.savePendingChange(change);
  return { ...change, setName: p.setName };
}

/** The pending change previewed afresh after syncing its organisation; refused while it cannot be reached. */
async function previewPending(deps: BulkApplyDeps, session: Session, changeId: string): Promise<ScopeSetPreview> {
  const change = deps.workspace.scopeSets.pendingChange(changeId);
  if (!change)
    throw AppError.invalid([{ field: 'changeId', message: `No pending change ${changeId} is in this workspace.` }]);
  const fresh = await preview(
    deps,
    session,
    {
      organisation: change.organisation,
      setId: change.setId,
      mode: change.mode,
      all: change.clientIds === null,
      clientIds: change.clientIds ?? undefined,
      refresh: true,
    },
    change.id,
  );
  if (fresh.fromCache)
    throw new AppError(
      'organisation_unreachable',
      `${organisationInWords(deps.organisations.get(change.organisation))} cannot be reached, so the pending change cannot be previewed afresh; it stays until the next sync.`,
    );
  return fresh;
}

function deletePending(deps: BulkApplyDeps, changeId: string): { deleted: true } {
  if (!deps.workspace.scopeSets.deletePendingChange(changeId))
    throw AppError.invalid([{ field: 'changeId', message: `No pending change ${changeId} is in this workspace.` }]);
  return { deleted: true };
}

export function bulkApplyService(deps: BulkApplyDeps) {
  const session: Session = { previews: new Map(), runs: new Map() };
  return {
    preview: (input: InputOf<'previewScopeSet'>) => preview(deps, session, input),
    apply: (previewId: string) => apply(deps, session, previewId),
    status: (runId: string): ApplyStatus => snapshot(deps, findRun(session, runId)),
    stop: (runId: string) => stop(deps, session, runId),
    savePending: (previewId: string) => savePending(deps, session, previewId),
    listPending: (organisationId: string): PendingChange[] => {
      deps.organisations.get(organisationId);
      return deps.workspace.scopeSets.pendingChanges(organisationId);
    },
    previewPending: (changeId: string) => previewPending(deps, session, changeId),
    deletePending: (changeId: string) => deletePending(deps, changeId),
  };
}
export type BulkApplyService = ReturnType<typeof bulkApplyService>;
