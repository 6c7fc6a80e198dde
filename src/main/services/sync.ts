// Sync: an organisation's catalogue (through the catalogue service) and every registration, fetched into the
// workspace cache with its progress shown in the organisation's status, stoppable (the sync holds its own
// AbortController), joined rather than doubled when asked twice, and announced as `organisationDataChanged`.
import type { OutputOf } from '../../shared/contract';
import type { EventBus } from '../events';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import type { CatalogueService } from './catalogue';
import type { OrganisationService } from './organisations';
import { fillFederatedCounts } from './federatedCounts';
import { fetchRegistrations } from './registrations';

type SyncAnswer = OutputOf<'syncOrganisation'>;

export interface SyncDeps {
  workspace: Workspace;
  organisations: OrganisationService;
  catalogue: CatalogueService;
  activity: ActivityService;
  events: EventBus;
}

function stoppedAnswer(): SyncAnswer {
  return { synced: 0, at: new Date().toISOString(), stopped: true };
}

function recordSynced(deps: SyncDeps, organisationId: string, synced: number): void {
  const organisation = deps.organisations.get(organisationId);
  const applications = `${synced} application${synced === 1 ? '' : 's'}`;
  deps.activity.record({
    organisation: organisationId,
    action: 'organisation.sync',
    target: organisation.orgName,
    headline: `Synced ${applications} from ${organisation.displayName}`,
    detail: `Synced ${applications} and the resource catalogue of ${organisation.displayName}.`,
  });
}

/** One sync of `organisationId`, until it ends or `stop` aborts it. */
async function run(deps: SyncDeps, organisationId: string, stop: AbortController): Promise<SyncAnswer> {
  const { workspace, organisations, catalogue, events } = deps;
  // Asked after each request: stop may have been called while it ran.
  const wasStopped = () => stop.signal.aborted;
  organisations.showSyncProgress(organisationId, { done: 0, total: null });
  try {
    await catalogue.refresh(organisationId, { signal: stop.signal });
    events.emit('organisationDataChanged', { organisation: organisationId, what: 'catalogue' });
    if (wasStopped()) return stoppedAnswer();
    // The list is never held whole, and the cache holds the old list or the new one, never half of each.
    const fetched = await fetchRegistrations(workspace, organisations.client(organisationId), organisationId, {
      signal: stop.signal,
      onBatch: (done) => organisations.showSyncProgress(organisationId, { done, total: null }),
      stopped: wasStopped,
    });
    if (!fetched) return stoppedAnswer();
    const { count: synced, at } = fetched;
    // Which applications are secretless, for the list: bounded, see federatedCounts.ts.
    await fillFederatedCounts(workspace, organisations.client(organisationId), organisationId, { stopped: wasStopped });
    organisations.showSyncProgress(organisationId, { done: synced, total: synced });
    events.emit('organisationDataChanged', { organisation: organisationId, what: 'applications' });
    recordSynced(deps, organisationId, synced);
    return { synced, at, stopped: false };
  } catch (error) {
    // What was cached before stays; a stopped request is not a failure.
    if (wasStopped()) return stoppedAnswer();
    throw error;
  } finally {
    organisations.showSyncProgress(organisationId, null);
  }
}

export function syncService(deps: SyncDeps) {
  const running = new Map<string, { answer: Promise<SyncAnswer>; stop: AbortController }>();
  // An organisation being forgotten stops its sync first.
  deps.organisations.whenRemoving((organisationId) => running.get(organisationId)?.stop.abort());

  return {
    /** Refreshes the organisation into the cache; a second call while one runs waits for the same sync. */
    sync(organisationId: string): Promise<SyncAnswer> {
      deps.organisations.get(organisationId);
      const existing = running.get(organisationId);
      if (existing) return existing.answer;
      const stop = new AbortController();
      const answer = run(deps, organisationId, stop).finally(() => running.delete(organisationId));
      running.set(organisationId, { answer, stop });
      return answer;
    },

    /** Stops the sync under way, if any; what was cached stays. */
    stop(organisationId: string): { stopped: boolean } {
      deps.organisations.get(organisationId);
      const sync = running.get(organisationId);
      if (!sync) return { stopped: false };
      sync.stop.abort();
      return { stopped: true };
    },
  };
}
export type SyncService = ReturnType<typeof syncService>;
