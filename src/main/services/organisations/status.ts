// What this session knows of each organisation beyond the workspace: online or not and why, a 429 wait, a sync's
// progress. Kept in memory; every change is pushed as an `organisationStatus` event (src/shared/contract/organisations.ts),
// and a report that changes nothing is not.
import type { TenantStatus } from '../../../shared/model';
import type { EventBus } from '../../events';
import type { Reachability } from '../../tenant/client';
import type { Workspace } from '../../workspace/workspace';

type SyncProgress = NonNullable<TenantStatus['sync']>;

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

function live(state: StatusState, tenantId: string): LiveStatus {
  let status = state.statuses.get(tenantId);
  if (!status) {
    status = newLiveStatus();
    state.statuses.set(tenantId, status);
  }
  return status;
}

/** The status as the header shows it (the caller has checked the organisation exists). */
function snapshot(state: StatusState, tenantId: string): TenantStatus {
  const status = live(state, tenantId);
  return {
    online: status.online,
    lastError: status.lastError,
    lastSyncAt: state.workspace.tenants.registrationsFetchedAt(tenantId),
    sync: status.sync ? { ...status.sync } : null,
    rateLimitedUntil: status.rateLimitedUntil === null ? null : new Date(status.rateLimitedUntil).toISOString(),
  };
}

/**
 * Pushes the organisation's status when it differs from what was pushed last. Called from inside a request's
 * reporting, so it never throws: an organisation not (or no longer) recorded, or a workspace already closed, is
 * simply not reported.
 */
function publish(state: StatusState, tenantId: string): void {
  let status: TenantStatus;
  try {
    if (!state.workspace.tenants.get(tenantId)) return;
    status = snapshot(state, tenantId);
  } catch {
    return;
  }
  const text = JSON.stringify(status);
  if (state.lastPushed.get(tenantId) === text) return;
  state.lastPushed.set(tenantId, text);
  state.events.emit('organisationStatus', { tenant: tenantId, status });
}

/** An answer, or none: the client's onReachability. */
function reachability(state: StatusState, tenantId: string, reach: Reachability): void {
  const status = live(state, tenantId);
  const lastError = reach.online ? null : reach.error;
  if (status.online === reach.online && status.lastError === lastError) return;
  status.online = reach.online;
  status.lastError = lastError;
  publish(state, tenantId);
}

/** A request begins (`untilMs`) or ends (null) waiting out a 429: the client's onRateLimitWait. */
function rateLimitWait(state: StatusState, tenantId: string, untilMs: number | null): void {
  const status = live(state, tenantId);
  const before = status.rateLimitedUntil;
  if (untilMs !== null) {
    status.waiting++;
    status.rateLimitedUntil = Math.max(status.rateLimitedUntil ?? 0, untilMs);
  } else if (--status.waiting <= 0) {
    status.waiting = 0;
    status.rateLimitedUntil = null;
  }
  if (status.rateLimitedUntil !== before) publish(state, tenantId);
}

/** A sync's progress, or null when none runs (it ended: the last sync's time is pushed with it). */
function syncProgress(state: StatusState, tenantId: string, progress: SyncProgress | null): void {
  const status = live(state, tenantId);
  if (sameProgress(status.sync, progress)) return;
  status.sync = progress ? { ...progress } : null;
  publish(state, tenantId);
}

export function organisationStatus(deps: StatusDeps) {
  const state: StatusState = { ...deps, statuses: new Map(), lastPushed: new Map() };
  return {
    /** The organisation's status now (the caller has checked the organisation exists). */
    status: (tenantId: string): TenantStatus => snapshot(state, tenantId),
    /** Whether the organisation is known to be offline now (asked and not answering). */
    isOffline: (tenantId: string): boolean => state.statuses.get(tenantId)?.online === false,
    reachability: (tenantId: string, reach: Reachability) => reachability(state, tenantId, reach),
    rateLimitWait: (tenantId: string, untilMs: number | null) => rateLimitWait(state, tenantId, untilMs),
    syncProgress: (tenantId: string, progress: SyncProgress | null) => syncProgress(state, tenantId, progress),
    /** Pushes the status if it changed in a way only the workspace knows (an organisation just recorded). */
    publish: (tenantId: string) => publish(state, tenantId),
    /** The organisation is forgotten: so is what this session knew of it. */
    forget(tenantId: string): void {
      state.statuses.delete(tenantId);
      state.lastPushed.delete(tenantId);
    },
  };
}
export type OrganisationStatus = ReturnType<typeof organisationStatus>;
