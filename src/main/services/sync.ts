// Sync: an organisation's catalogue (through the catalogue service) and every registration, fetched into the
// workspace cache with its progress shown in the organisation's status, stoppable (the sync holds its own
// AbortController), joined rather than doubled when asked twice, and announced as `organisationDataChanged`.
import type { OutputOf } from '../../shared/contract';
import type { EventBus } from '../events';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import type { CatalogueService } from './catalogue';
import type { TenantService } from './organisations';
import { fetchRegistrations } from './registrations';

type SyncAnswer = OutputOf<'syncTenant'>;

export interface SyncDeps {
  workspace: Workspace;
  tenants: TenantService;
  catalogue: CatalogueService;
  activity: ActivityService;
  events: EventBus;
}

function stoppedAnswer(): SyncAnswer {
  return { synced: 0, at: new Date().toISOString(), stopped: true };
}

function recordSynced(deps: SyncDeps, tenantId: string, synced: number): void {
  const tenant = deps.tenants.get(tenantId);
  const applications = `${synced} application${synced === 1 ? '' : 's'}`;
  deps.activity.record({
    tenant: tenantId,
    action: 'tenant.sync',
    target: tenant.orgName,
    detail: `Synced ${applications} from ${tenant.displayName}\nSynced ${applications} and the resource catalogue of ${tenant.displayName}.`,
  });
}

/** One sync of `tenantId`, until it ends or `stop` aborts it. */
async function run(deps: SyncDeps, tenantId: string, stop: AbortController): Promise<SyncAnswer> {
  const { workspace, tenants, catalogue, events } = deps;
  // Asked after each request: stop may have been called while it ran.
  const wasStopped = () => stop.signal.aborted;
  tenants.showSyncProgress(tenantId, { done: 0, total: null });
  try {
    await catalogue.refresh(tenantId, { signal: stop.signal });
    events.emit('organisationDataChanged', { tenant: tenantId, what: 'catalogue' });
    if (wasStopped()) return stoppedAnswer();
    // The list is never held whole, and the cache holds the old list or the new one, never half of each.
    const fetched = await fetchRegistrations(workspace, tenants.client(tenantId), tenantId, {
      signal: stop.signal,
      onBatch: (done) => tenants.showSyncProgress(tenantId, { done, total: null }),
      stopped: wasStopped,
    });
    if (!fetched) return stoppedAnswer();
    const { count: synced, at } = fetched;
    tenants.showSyncProgress(tenantId, { done: synced, total: synced });
    events.emit('organisationDataChanged', { tenant: tenantId, what: 'applications' });
    recordSynced(deps, tenantId, synced);
    return { synced, at, stopped: false };
  } catch (error) {
    // What was cached before stays; a stopped request is not a failure.
    if (wasStopped()) return stoppedAnswer();
    throw error;
  } finally {
    tenants.showSyncProgress(tenantId, null);
  }
}

export function syncService(deps: SyncDeps) {
  const running = new Map<string, { answer: Promise<SyncAnswer>; stop: AbortController }>();
  // An organisation being forgotten stops its sync first.
  deps.tenants.whenRemoving((tenantId) => running.get(tenantId)?.stop.abort());

  return {
    /** Refreshes the organisation into the cache; a second call while one runs waits for the same sync. */
    sync(tenantId: string): Promise<SyncAnswer> {
      deps.tenants.get(tenantId);
      const existing = running.get(tenantId);
      if (existing) return existing.answer;
      const stop = new AbortController();
      const answer = run(deps, tenantId, stop).finally(() => running.delete(tenantId));
      running.set(tenantId, { answer, stop });
      return answer;
    },

    /** Stops the sync under way, if any; what was cached stays. */
    stop(tenantId: string): { stopped: boolean } {
      deps.tenants.get(tenantId);
      const sync = running.get(tenantId);
      if (!sync) return { stopped: false };
      sync.stop.abort();
      return { stopped: true };
    },
  };
}
export type SyncService = ReturnType<typeof syncService>;
