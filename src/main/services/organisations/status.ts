// What this session knows of each organisation beyond the workspace: online or not and why, a 429 wait, a sync's
// progress. Kept in memory; every change is pushed as an `organisationStatus` event (src/shared/contract/organisations.ts),
// and a report that changes nothing is not.
import { organisationInWords } from '../../../shared/organisationInWords';
import type { OrganisationStatus } from '../../../shared/model';
import type { EventBus } from '../../events';
import type { Reachability } from '../../organisation/client';
import type { Workspace } from '../../workspace/workspace';

type SyncProgress = NonNullable<OrganisationStatus['sync']>;

interface LiveStatus {
  online: boolean | null;
  lastError: string | null;
  sync: SyncProgress | null;
  rateLimitedUntil: number | null;
  /** How many requests are waiting out a 429 now: the wait shows until the last one goes on. */
  waiting: number;
}

export interface StatusDeps {
  workspace: Workspace;
  events: EventBus;
}

function newLiveStatus(): LiveStatus {
  return { online: null, lastError: null, sync: null, rateLimitedUntil: null, waiting: 0 };
}

function sameProgress(a: SyncProgress | null, b: SyncProgress | null): boolean {
  return a === b || (a !== null && b !== null && a.done === b.done && a.total === b.total);
}

interface StatusState extends StatusDeps {
  statuses: Map<string, LiveStatus>;
  /** What was last pushed of each organisation, so a report that changes nothing is not pushed again. */
  lastPushed: Map<string, string>;
}

function live(state: StatusState, organisationId: string): LiveStatus {
  let status = state.statuses.get(organisationId);
  if (!status) {
    status = newLiveStatus();
    state.statuses.set(organisationId, status);
  }
  return status;
}

/** The status as the header shows it (the caller has checked the organisation exists). */
function snapshot(state: StatusState, organisationId: string): OrganisationStatus {
  const status = live(state, organisationId);
  return {
    online: status.online,
    lastError: status.lastError,
    lastSyncAt: state.workspace.organisations.registrationsFetchedAt(organisationId),
    sync: status.sync ? { ...status.sync } : null,
    rateLimitedUntil: status.rateLimitedUntil === null ? null : new Date(status.rateLimitedUntil).toISOString(),
  };
}

/**
 * Pushes the organisation's status when it differs from what was pushed last. Called from inside a request's
 * reporting, so it never throws: an organisation not (or no longer) recorded, or a workspace already closed, is
 * simply not reported.
 */
function publish(state: StatusState, organisationId: string): void {
  let status: OrganisationStatus;
  let inWords: string;
  try {
    const record = state.workspace.organisations.get(organisationId);
    if (!record) return;
    inWords = organisationInWords(record);
    status = snapshot(state, organisationId);
  } catch {
    return;
  }
  const text = JSON.stringify(status);
  if (state.lastPushed.get(organisationId) === text) return;
  state.lastPushed.set(organisationId, text);
  state.events.emit('organisationStatus', { organisation: organisationId, inWords, status });
}

/** An answer, or none: the client's onReachability. */
function reachability(state: StatusState, organisationId: string, reach: Reachability): void {
  const status = live(state, organisationId);
  const lastError = reach.online ? null : reach.error;
  if (status.online === reach.online && status.lastError === lastError) return;
  status.online = reach.online;
  status.lastError = lastError;
  publish(state, organisationId);
}

/** A request begins (`untilMs`) or ends (null) waiting out a 429: the client's onRateLimitWait. */
function rateLimitWait(state: StatusState, organisationId: string, untilMs: number | null): void {
  const status = live(state, organisationId);
  const before = status.rateLimitedUntil;
  if (untilMs !== null) {
    status.waiting++;
    status.rateLimitedUntil = Math.max(status.rateLimitedUntil ?? 0, untilMs);
  } else if (--status.waiting <= 0) {
    status.waiting = 0;
    status.rateLimitedUntil = null;
  }
  if (status.rateLimitedUntil !== before) publish(state, organisationId);
}

/** A sync's progress, or null when none runs (it ended: the last sync's time is pushed with it). */
function syncProgress(state: StatusState, organisationId: string, progress: SyncProgress | null): void {
  const status = live(state, organisationId);
  if (sameProgress(status.sync, progress)) return;
  status.sync = progress ? { ...progress } : null;
  publish(state, organisationId);
}

export function organisationStatus(deps: StatusDeps) {
  const state: StatusState = { ...deps, statuses: new Map(), lastPushed: new Map() };
  return {
    /** The organisation's status now (the caller has checked the organisation exists). */
    status: (organisationId: string): OrganisationStatus => snapshot(state, organisationId),
    /** Whether the organisation is known to be offline now (asked and not answering). */
    isOffline: (organisationId: string): boolean => state.statuses.get(organisationId)?.online === false,
    reachability: (organisationId: string, reach: Reachability) => reachability(state, organisationId, reach),
    rateLimitWait: (organisationId: string, untilMs: number | null) => rateLimitWait(state, organisationId, untilMs),
    syncProgress: (organisationId: string, progress: SyncProgress | null) =>
      syncProgress(state, organisationId, progress),
    /** Pushes the status if it changed in a way only the workspace knows (an organisation just recorded). */
    publish: (organisationId: string) => publish(state, organisationId),
    /** The organisation is forgotten: so is what this session knew of it. */
    forget(organisationId: string): void {
      state.statuses.delete(organisationId);
      state.lastPushed.delete(organisationId);
    },
  };
}
export type StatusKeeper = ReturnType<typeof organisationStatus>;
