// Applying a scope set to many applications: a preview per application (from the cache, so it works offline and
// answers at once), then a run in main that re-reads each application just before writing it and holds back one
// changed since the preview as a conflict, stoppable between applications, paced by the organisation's rate limits.
import type { EventBus } from '../events';
import { randomUUID } from 'node:crypto';
import { describeChanges, diffApp, hasChanges, scopesOf } from '../../shared/changes';
import type { InputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type {
  ApplyConflict,
  ApplyEstimate,
  ApplyMode,
  ApplyResult,
  ApplyStatus,
  Catalogue,
  ExternalClient,
  PendingChange,
  PreviewedApp,
  ScopeRequest,
  ScopeSetPreview,
} from '../../shared/model';
import { checkRegistration, normalizeDraft, uniqueScopes } from '../../shared/rules';
import { UIPATH_RATE_LIMITS, type RateLimits } from '../../shared/rateLimits';
import type { TenantRecord } from '../workspace/tenants';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import type { CatalogueService } from './catalogue';
import type { RegistrationService } from './registrations';
import type { ScopeSetService } from './scopeSets';
import type { TenantService } from './organisations';

export interface BulkApplyDeps {
  /** Where each step of a run is told (applyProgress) and its end (organisationDataChanged). */
  events: EventBus;
  workspace: Workspace;
  tenants: TenantService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  scopeSets: ScopeSetService;
  activity: ActivityService;
  /** The limits the embedded server was started with; UiPath's when unknown (another process runs it). */
  localRateLimits?: Partial<RateLimits>;
}

/** Applications written at once: enough to keep a lifted server busy; under real limits the 429 waits pace them. */
const WORKERS = 4;
/** Previews and runs kept in memory for this session; the oldest go first. */
const KEPT = 20;

interface HeldPreview {
  preview: ScopeSetPreview;
  clientIds: string[] | null;
  /** Each application as the preview saw it, and the scopes it is to have. */
  bases: Map<string, ExternalClient>;
  targets: Map<string, ScopeRequest[]>;
  /** The pending change this preview was made afresh for; it goes when the run starts. */
  changeId: string | null;
  runId: string | null;
}

interface Run {
  status: ApplyStatus;
  stopRequested: boolean;
}

const key = (s: ScopeRequest) => `${s.type}:${s.name}`;

/** An application's registration as a comparable text: what a change elsewhere would make differ. */
function registrationOf(app: ExternalClient): string {
  return JSON.stringify([app.name, app.isConfidential, app.redirectUri, scopesOf(app).map(key).sort()]);
}

/** The scopes an application is to have once the set is applied, and the set's scopes the rules leave out. */
export function targetScopes(
  app: ExternalClient,
  setScopes: readonly ScopeRequest[],
  mode: ApplyMode,
): { scopes: ScopeRequest[]; leftOut: ScopeRequest[] } {
  const current = scopesOf(app);
  // A non-confidential application cannot hold application scopes: those of the set are left out, and said so.
  const leftOut = mode === 'remove' || app.isConfidential ? [] : setScopes.filter((s) => s.type === 'application');
  const given = setScopes.filter((s) => !leftOut.includes(s));
  if (mode === 'add') return { scopes: uniqueScopes([...current, ...given]), leftOut };
  if (mode === 'replace') return { scopes: uniqueScopes(given), leftOut };
  const removed = new Set(setScopes.map(key));
  return { scopes: current.filter((s) => !removed.has(key(s))), leftOut };
}

function previewApp(
  app: ExternalClient,
  setScopes: readonly ScopeRequest[],
  mode: ApplyMode,
  catalogue: Catalogue,
): { row: PreviewedApp; target: ScopeRequest[] } {
  const { scopes, leftOut } = targetScopes(app, setScopes, mode);
  const draft = normalizeDraft({
    name: app.name,
    isConfidential: app.isConfidential,
    redirectUri: app.redirectUri,
    scopes,
  });
  const refusals = leftOut.length
    ? [
        `A non-confidential application cannot have application scopes (${leftOut.map((s) => s.name).join(', ')}); they are left out.`,
      ]
    : [];
  const errors = checkRegistration(draft, catalogue).errors;
  const changes = diffApp(app, { scopes: draft.scopes });
  const base = {
    clientId: app.id,
    name: app.name,
    isConfidential: app.isConfidential,
    added: changes.added,
    removed: changes.removed,
  };
  if (errors.length > 0)
    return {
      row: { ...base, outcome: 'refused', refusals: [...refusals, ...errors.map((e) => e.message)] },
      target: draft.scopes,
    };
  return { row: { ...base, outcome: hasChanges(changes) ? 'change' : 'unchanged', refusals }, target: draft.scopes };
}

/** The time the organisation's limits make `writes` applications take: each is one GET (the re-read) and one PUT. */
export function estimateOf(writes: number, limits: RateLimits, limitsOf: ApplyEstimate['limitsOf']): ApplyEstimate {
  const windows = { put: writes / limits.put, get: writes / limits.get };
  const slowest = windows.put >= windows.get ? 'put' : 'get';
  // Within one window every request goes at once; beyond it, each further window's worth waits a window.
  const held = windows[slowest] > 1;
  return {
    reads: writes,
    writes,
    seconds: held ? Math.round(windows[slowest] * limits.windowSeconds) : 0,
    limitedBy: held ? slowest : null,
    limits: { get: limits.get, put: limits.put, windowSeconds: limits.windowSeconds },
    limitsOf,
  };
}

function keepNewest<T>(map: Map<string, T>): void {
  while (map.size > KEPT) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

export function bulkApplyService(deps: BulkApplyDeps) {
  const { workspace, tenants, catalogue, registrations, scopeSets, activity } = deps;
  const previews = new Map<string, HeldPreview>();
  const runs = new Map<string, Run>();

  function limitsOf(tenant: TenantRecord): { limits: RateLimits; of: ApplyEstimate['limitsOf'] } {
    return tenant.isLocal
      ? { limits: { ...UIPATH_RATE_LIMITS, ...deps.localRateLimits }, of: 'embedded' }
      : { limits: UIPATH_RATE_LIMITS, of: 'uipath' };
  }

  /** The applications a preview covers, from the cache; the admin application is never one of them. */
  function chosenApps(tenant: TenantRecord, clientIds: string[] | null): ExternalClient[] {
    if (clientIds === null)
      return workspace.registrations
        .listSummaries(tenant.id)
        .filter((summary) => summary.id !== tenant.adminClientId)
        .flatMap((summary) => workspace.registrations.get(tenant.id, summary.id) ?? []);
    return [...new Set(clientIds)].map((clientId) => {
      if (clientId === tenant.adminClientId)
        throw AppError.invalid([
          {
            field: 'clientIds',
            message: `${clientId} is the admin application OAuth Desk uses to manage ${tenant.orgName}; a scope set is not applied to it.`,
          },
        ]);
      const app = workspace.registrations.get(tenant.id, clientId);
      if (!app)
        throw AppError.invalid([
          { field: 'clientIds', message: `No application with App ID ${clientId} is known in ${tenant.orgName}.` },
        ]);
      return app;
    });
  }

  async function preview(input: InputOf<'previewScopeSet'>, changeId: string | null = null): Promise<ScopeSetPreview> {
    const tenant = tenants.get(input.tenant);
    const set = scopeSets.find(input.setId);
    await registrations.list(tenant.id, input.refresh);
    const grants = await catalogue.list(tenant.id, input.refresh);
    const clientIds = input.all ? null : (input.clientIds ?? []);
    const apps = chosenApps(tenant, clientIds);

    const rows: PreviewedApp[] = [];
    const bases = new Map<string, ExternalClient>();
    const targets = new Map<string, ScopeRequest[]>();
    for (const app of apps) {
      const { row, target } = previewApp(app, set.scopes, input.mode, grants);
      rows.push(row);
      bases.set(app.id, app);
      targets.set(app.id, target);
    }
    const count = (outcome: PreviewedApp['outcome']) => rows.filter((r) => r.outcome === outcome).length;
    const sum = (pick: (r: PreviewedApp) => string[]) =>
      rows.filter((r) => r.outcome === 'change').reduce((total, r) => total + pick(r).length, 0);
    const { limits, of } = limitsOf(tenant);
    const result: ScopeSetPreview = {
      previewId: randomUUID(),
      tenant: tenant.id,
      setId: set.id,
      setName: set.name,
      mode: input.mode,
      createdAt: new Date().toISOString(),
      fromCache: tenants.status(tenant.id).online === false,
      apps: rows,
      totals: {
        apps: rows.length,
        change: count('change'),
        unchanged: count('unchanged'),
        refused: count('refused'),
        userScopesAdded: sum((r) => r.added.user),
        applicationScopesAdded: sum((r) => r.added.application),
        userScopesRemoved: sum((r) => r.removed.user),
        applicationScopesRemoved: sum((r) => r.removed.application),
      },
      estimate: estimateOf(count('change'), limits, of),
    };
    previews.set(result.previewId, { preview: result, clientIds, bases, targets, changeId, runId: null });
    keepNewest(previews);
    return result;
  }

  function heldPreview(previewId: string): HeldPreview {
    const held = previews.get(previewId);
    if (!held)
      throw new AppError(
        'not_found',
        `No preview ${previewId}: make a new preview (previews last until the app closes).`,
        [{ field: 'previewId', message: `No preview ${previewId}: make a new preview.` }],
      );
    return held;
  }

  function findRun(runId: string): Run {
    const run = runs.get(runId);
    if (!run)
      throw new AppError('not_found', `No apply ${runId} is known to this session.`, [
        { field: 'runId', message: `No apply ${runId} is known to this session.` },
      ]);
    return run;
  }

  function snapshot(run: Run): ApplyStatus {
    const { status } = run;
    return {
      ...status,
      results: status.results.map((r) => ({ ...r })),
      conflicts: [...status.conflicts],
      rateLimitedUntil: status.state === 'running' ? tenants.status(status.tenant).rateLimitedUntil : null,
    };
  }

  /** Writes one application, unless it changed on the server since the preview; never more than one PUT. */
  async function applyOne(
    held: HeldPreview,
    grants: Catalogue,
    app: ExternalClient,
  ): Promise<{ result: ApplyResult; conflict?: ApplyConflict }> {
    const tenantId = held.preview.tenant;
    const client = tenants.client(tenantId);
    const done = (outcome: ApplyResult['outcome'], message: string | null = null) => ({
      result: { clientId: app.id, name: app.name, outcome, message },
    });
    try {
      const current = await client.getApp(app.id);
      workspace.registrations.save(tenantId, current);
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
      const written = await client.updateApp(app.id, {
        name: draft.name,
        redirectUri: draft.redirectUri,
        scopes: draft.scopes,
      });
      workspace.registrations.save(tenantId, written);
      return done('applied', describeChanges(diffApp(current, { scopes: draft.scopes })).join('; '));
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') workspace.registrations.delete(tenantId, app.id);
      return done('failed', error instanceof AppError ? error.message : 'Something went wrong inside OAuth Desk.');
    }
  }

  async function execute(held: HeldPreview, run: Run): Promise<void> {
    const { preview: p } = held;
    const { status } = run;
    const index = new Map(status.results.map((r, i) => [r.clientId, i]));
    const queue = p.apps.filter((a) => a.outcome === 'change').flatMap((a) => held.bases.get(a.clientId) ?? []);
    // The rules judge each write against the catalogue as the organisation has it now (the cache when offline).
    const grants = await catalogue.list(p.tenant, true).catch(() => workspace.catalogue.get(p.tenant) ?? []);
    const worker = async () => {
      for (let app = queue.shift(); app !== undefined && !run.stopRequested; app = queue.shift()) {
        const { result, conflict } = await applyOne(held, grants, app);
        const at = index.get(app.id);
        if (at !== undefined) status.results[at] = result;
        if (conflict) status.conflicts.push(conflict);
        status.done++;
        deps.events.emit('applyProgress', snapshot(run));
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const stopped = status.results.some((r) => r.outcome === 'notRun');
    status.state = stopped ? 'stopped' : 'done';
    status.finishedAt = new Date().toISOString();
    deps.events.emit('applyProgress', snapshot(run));
    deps.events.emit('organisationDataChanged', { tenant: p.tenant, what: 'applications' });
    const tally = (outcome: ApplyResult['outcome']) => status.results.filter((r) => r.outcome === outcome).length;
    activity.record({
      tenant: p.tenant,
      action: 'scopeSet.apply',
      target: p.setName,
      detail: `${stopped ? 'Stopped applying' : 'Applied'} scope set "${p.setName}" (${p.mode}) to ${p.apps.length} application${
        p.apps.length === 1 ? '' : 's'
      }: ${tally('applied')} changed, ${tally('unchanged')} unchanged, ${tally('conflict')} held back as conflicts, ${tally(
        'refused',
      )} refused, ${tally('failed')} failed${stopped ? `, ${tally('notRun')} not reached` : ''}.`,
    });
  }

  return {
    preview: (input: InputOf<'previewScopeSet'>) => preview(input),

    /** Starts the run of a preview and answers its first status; the run goes on in main. */
    apply(previewId: string): ApplyStatus {
      const held = heldPreview(previewId);
      if (held.runId !== null)
        throw AppError.invalid([
          { field: 'previewId', message: `This preview was applied already (run ${held.runId}); make a new preview.` },
        ]);
      const p = held.preview;
      tenants.get(p.tenant);
      const results: ApplyResult[] = p.apps.map((a) => ({
        clientId: a.clientId,
        name: a.name,
        outcome: a.outcome === 'change' ? 'notRun' : a.outcome,
        message: a.refusals.length > 0 ? a.refusals.join(' ') : null,
      }));
      const run: Run = {
        stopRequested: false,
        status: {
          runId: randomUUID(),
          tenant: p.tenant,
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
        },
      };
      held.runId = run.status.runId;
      runs.set(run.status.runId, run);
      keepNewest(runs);
      if (held.changeId !== null) workspace.scopeSets.deletePendingChange(held.changeId);
      void execute(held, run).catch((error: unknown) => {
        // A fault outside any one application (the workspace closed under it): the run ends, its results stand.
        run.status.state = 'stopped';
        run.status.finishedAt = new Date().toISOString();
        deps.events.emit('applyProgress', snapshot(run));
        console.error(
          `[oauth-desk] applying a scope set stopped: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      return snapshot(run);
    },

    status(runId: string): ApplyStatus {
      return snapshot(findRun(runId));
    },

    /** Asks the run to stop after the applications being written; answers whether it was still running. */
    stop(runId: string): { stopped: boolean } {
      const run = findRun(runId);
      if (run.status.state !== 'running') return { stopped: false };
      run.stopRequested = true;
      return { stopped: true };
    },

    savePending(previewId: string): PendingChange {
      const { preview: p, clientIds } = heldPreview(previewId);
      const change = {
        id: randomUUID(),
        tenant: p.tenant,
        setId: p.setId,
        mode: p.mode,
        clientIds,
        totals: p.totals,
        createdAt: new Date().toISOString(),
      };
      workspace.scopeSets.savePendingChange(change);
      return { ...change, setName: p.setName };
    },

    listPending(tenantId: string): PendingChange[] {
      tenants.get(tenantId);
      return workspace.scopeSets.pendingChanges(tenantId);
    },

    /** The pending change previewed afresh after syncing its organisation; refused while it cannot be reached. */
    async previewPending(changeId: string): Promise<ScopeSetPreview> {
      const change = workspace.scopeSets.pendingChange(changeId);
      if (!change)
        throw AppError.invalid([{ field: 'changeId', message: `No pending change ${changeId} is in this workspace.` }]);
      const fresh = await preview(
        {
          tenant: change.tenant,
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
          'tenant_unreachable',
          `${tenants.get(change.tenant).orgName} cannot be reached, so the pending change cannot be previewed afresh; it stays until the next sync.`,
        );
      return fresh;
    },

    deletePending(changeId: string): { deleted: true } {
      if (!workspace.scopeSets.deletePendingChange(changeId))
        throw AppError.invalid([{ field: 'changeId', message: `No pending change ${changeId} is in this workspace.` }]);
      return { deleted: true };
    },
  };
}
export type BulkApplyService = ReturnType<typeof bulkApplyService>;
