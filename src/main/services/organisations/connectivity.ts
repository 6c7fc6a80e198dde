// The connectivity policy, main's for every door (the window and the CLI alike): while an organisation is offline it
// is asked again every 15 s (its discovery document, through its client, so the answer or the silence reaches its
// status), and when it answers again, whoever's request it was, main syncs it by itself so the cache catches up.
import type { EventBus } from '../../events';
import type { SyncService } from '../sync';
import type { TenantService } from './index';

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
  tenants: Pick<TenantService, 'client' | 'isKnown' | 'isOffline'>;
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

function scheduleRetry(state: PolicyState, tenantId: string): void {
  if (state.stopped || state.retries.has(tenantId)) return;
  const handle = state.timers.set(() => {
    state.retries.delete(tenantId);
    // Never a failure of its own: a workspace closing under it ends the asking.
    probe(state, tenantId).catch(() => undefined);
  }, state.retryMs);
  state.retries.set(tenantId, handle);
}

function cancelRetry(state: PolicyState, tenantId: string): void {
  const handle = state.retries.get(tenantId);
  if (handle === undefined) return;
  state.timers.clear(handle);
  state.retries.delete(tenantId);
}

/** Read again after an await: stop() may have run meanwhile. */
function stoppedNow(state: PolicyState): boolean {
  return state.stopped;
}

/** Asks an offline organisation whether it answers; still offline, it is asked again later. */
async function probe(state: PolicyState, tenantId: string): Promise<void> {
  if (state.stopped || !state.tenants.isKnown(tenantId)) return;
  try {
    await state.tenants.client(tenantId).discovery();
  } catch {
    // Offline still (its status says why), or answering wrongly: reachable is all this asks.
  }
  // Stopped meanwhile (the workspace may be closed): nothing more is asked.
  if (stoppedNow(state)) return;
  if (state.tenants.isKnown(tenantId) && state.tenants.isOffline(tenantId)) scheduleRetry(state, tenantId);
}

/** The organisation answers again: it is synced, once at a time (a sync asked meanwhile joins this one). */
function syncBack(state: PolicyState, tenantId: string): void {
  if (state.stopped || state.syncs.has(tenantId) || !state.tenants.isKnown(tenantId)) return;
  const done = state.sync
    .sync(tenantId)
    .then(
      () => undefined,
      // Its failure is the sync's own: the status shows reachability, and the next sync asked reports it.
      () => undefined,
    )
    .finally(() => state.syncs.delete(tenantId));
  state.syncs.set(tenantId, done);
}

function heardStatus(state: PolicyState, tenantId: string, online: boolean | null): void {
  const before = state.online.get(tenantId) ?? null;
  state.online.set(tenantId, online);
  if (online === false) scheduleRetry(state, tenantId);
  else if (online === true) {
    cancelRetry(state, tenantId);
    // Not from inside the request that reported it: the sync starts once that request's reporting is done.
    if (before === false) queueMicrotask(() => syncBack(state, tenantId));
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
      const { tenant, status } = payload as { tenant: string; status: { online: boolean | null } };
      heardStatus(state, tenant, status.online);
    } else if (name === 'organisationDataChanged' && (payload as { what: string }).what === 'organisations') {
      // Forgotten: what was known of it no longer holds (an organisation added later under its ID starts afresh).
      const { tenant } = payload as { tenant: string };
      if (state.tenants.isKnown(tenant)) return;
      state.online.delete(tenant);
      cancelRetry(state, tenant);
    }
  });
  return {
    /** Stops asking and waits for the syncs it began, which it stops: the workspace is about to close. */
    async stop(): Promise<void> {
      state.stopped = true;
      unsubscribe();
      for (const tenantId of [...state.retries.keys()]) cancelRetry(state, tenantId);
      for (const tenantId of state.syncs.keys()) {
        if (state.tenants.isKnown(tenantId)) state.sync.stop(tenantId);
      }
      await Promise.all(state.syncs.values());
    },
  };
}
export type ConnectivityPolicy = ReturnType<typeof connectivityPolicy>;
