// The connectivity policy, main's for every door (the window and the CLI alike): while an organisation is offline it
// is asked again every 15 s (its discovery document, through its client, so the answer or the silence reaches its
// status), and when it answers again, whoever's request it was, main syncs it by itself so the cache catches up.
import type { EventBus } from '../../events';
import type { SyncService } from '../sync';
import type { OrganisationService } from './index';

/** How often an offline organisation is asked again. */
export const OFFLINE_RETRY_MS = 15_000;

/** The clock the policy waits on: Node's timers, or a test's. */
export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Node's timers, which never keep a process (the CLI's) alive by themselves. */
export const nodeTimers: Timers = {
  set(run, ms) {
    const handle = setTimeout(run, ms);
    handle.unref();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ConnectivityDeps {
  events: EventBus;
  organisations: Pick<OrganisationService, 'client' | 'isKnown' | 'isOffline'>;
  sync: Pick<SyncService, 'sync' | 'stop'>;
  /** Default OFFLINE_RETRY_MS. */
  retryMs?: number;
  timers?: Timers;
}

interface PolicyState extends Required<ConnectivityDeps> {
  /** Each organisation's last known reachability, as its status events said. */
  online: Map<string, boolean | null>;
  retries: Map<string, unknown>;
  /** The syncs this policy began, until they end. */
  syncs: Map<string, Promise<void>>;
  stopped: boolean;
}

function scheduleRetry(state: PolicyState, organisationId: string): void {
  if (state.stopped || state.retries.has(organisationId)) return;
  const handle = state.timers.set(() => {
    state.retries.delete(organisationId);
    // Never a failure of its own: a workspace closing under it ends the asking.
    probe(state, organisationId).catch(() => undefined);
  }, state.retryMs);
  state.retries.set(organisationId, handle);
}

function cancelRetry(state: PolicyState, organisationId: string): void {
  const handle = state.retries.get(organisationId);
  if (handle === undefined) return;
  state.timers.clear(handle);
  state.retries.delete(organisationId);
}

/** Read again after an await: stop() may have run meanwhile. */
function stoppedNow(state: PolicyState): boolean {
  return state.stopped;
}

/** Asks an offline organisation whether it answers; still offline, it is asked again later. */
async function probe(state: PolicyState, organisationId: string): Promise<void> {
  if (state.stopped || !state.organisations.isKnown(organisationId)) return;
  try {
    await state.organisations.client(organisationId).discovery();
  } catch {
    // Offline still (its status says why), or answering wrongly: reachable is all this asks.
  }
  // Stopped meanwhile (the workspace may be closed): nothing more is asked.
  if (stoppedNow(state)) return;
  if (state.organisations.isKnown(organisationId) && state.organisations.isOffline(organisationId))
    scheduleRetry(state, organisationId);
}

/** The organisation answers again: it is synced, once at a time (a sync asked meanwhile joins this one). */
function syncBack(state: PolicyState, organisationId: string): void {
  if (state.stopped || state.syncs.has(organisationId) || !state.organisations.isKnown(organisationId)) return;
  const done = state.sync
    .sync(organisationId)
    .then(
      () => undefined,
      // Its failure is the sync's own: the status shows reachability, and the next sync asked reports it.
      () => undefined,
    )
    .finally(() => state.syncs.delete(organisationId));
  state.syncs.set(organisationId, done);
}

function heardStatus(state: PolicyState, organisationId: string, online: boolean | null): void {
  const before = state.online.get(organisationId) ?? null;
  state.online.set(organisationId, online);
  if (online === false) scheduleRetry(state, organisationId);
  else if (online === true) {
    cancelRetry(state, organisationId);
    // Not from inside the request that reported it: the sync starts once that request's reporting is done.
    if (before === false) queueMicrotask(() => syncBack(state, organisationId));
  }
}

export function connectivityPolicy(deps: ConnectivityDeps) {
  const state: PolicyState = {
    retryMs: OFFLINE_RETRY_MS,
    timers: nodeTimers,
    ...deps,
    online: new Map(),
    retries: new Map(),
    syncs: new Map(),
    stopped: false,
  };
  const unsubscribe = deps.events.subscribe((name, payload) => {
    if (name === 'organisationStatus') {
      const { organisation, status } = payload as { organisation: string; status: { online: boolean | null } };
      heardStatus(state, organisation, status.online);
    } else if (name === 'organisationDataChanged' && (payload as { what: string }).what === 'organisations') {
      // Forgotten: what was known of it no longer holds (an organisation added later under its ID starts afresh).
      const { organisation } = payload as { organisation: string };
      if (state.organisations.isKnown(organisation)) return;
      state.online.delete(organisation);
      cancelRetry(state, organisation);
    }
  });
  return {
    /** Stops asking and waits for the syncs it began, which it stops: the workspace is about to close. */
    async stop(): Promise<void> {
      state.stopped = true;
      unsubscribe();
      for (const organisationId of [...state.retries.keys()]) cancelRetry(state, organisationId);
      for (const organisationId of state.syncs.keys()) {
        if (state.organisations.isKnown(organisationId)) state.sync.stop(organisationId);
      }
      await Promise.all(state.syncs.values());
    },
  };
}
export type ConnectivityPolicy = ReturnType<typeof connectivityPolicy>;
