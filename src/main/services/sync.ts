// Sync: an organisation's catalogue and every registration, fetched into the workspace cache with its progress shown
// in the tenant's status, stoppable, and joined rather than doubled when asked twice.
import type { OutputOf } from '../../shared/contract';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import { fetchRegistrations } from './registrations';
import type { TenantService } from './tenants';

type SyncAnswer = OutputOf<'syncTenant'>;

export function syncService(deps: { workspace: Workspace; tenants: TenantService; activity: ActivityService }) {
  const { workspace, tenants, activity } = deps;
  const running = new Map<string, Promise<SyncAnswer>>();

  async function run(tenantId: string): Promise<SyncAnswer> {
    const tenant = tenants.get(tenantId);
    const stop = tenants.beginSync(tenantId);
    const stopped = (): SyncAnswer => ({ synced: 0, at: new Date().toISOString(), stopped: true });
    // Asked after each request: stopSync may have been called while it ran.
    const wasStopped = () => stop.signal.aborted;
    try {
      const client = tenants.client(tenantId);
      const catalogue = await client.catalogue({ signal: stop.signal });
      if (wasStopped()) return stopped();
      workspace.catalogue.save(tenantId, catalogue);
      // The list is never held whole, and the cache holds the old list or the new one, never half of each.
      const fetched = await fetchRegistrations(workspace, client, tenantId, {
        signal: stop.signal,
        onBatch: (done) => {
          tenants.syncProgress(tenantId, { done, total: null });
        },
        stopped: wasStopped,
      });
      if (!fetched) return stopped();
      const { count: synced, at } = fetched;
      tenants.syncProgress(tenantId, { done: synced, total: synced });
      const applications = `${synced} application${synced === 1 ? '' : 's'}`;
      activity.record({
        tenant: tenantId,
        action: 'tenant.sync',
        target: tenant.orgName,
        detail: `Synced ${applications} from ${tenant.displayName}\nSynced ${applications} and the resource catalogue of ${tenant.displayName}.`,
      });
      return { synced, at, stopped: false };
    } catch (error) {
      // What was cached before stays; a stopped request is not a failure.
      if (wasStopped()) return stopped();
      throw error;
    } finally {
      tenants.endSync(tenantId);
    }
  }

  return {
    /** Refreshes the organisation into the cache; a second call while one runs waits for the same sync. */
    sync(tenantId: string): Promise<SyncAnswer> {
      tenants.get(tenantId);
      let pending = running.get(tenantId);
      if (!pending) {
        pending = run(tenantId).finally(() => running.delete(tenantId));
        running.set(tenantId, pending);
      }
      return pending;
    },

    stop(tenantId: string): { stopped: boolean } {
      return { stopped: tenants.stopSync(tenantId) };
    },
  };
}
export type SyncService = ReturnType<typeof syncService>;
