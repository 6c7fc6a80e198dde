// A scope set's preview: what applying it changes in each chosen application, judged by the shared rules against the
// organisation's catalogue, from the cache (so it works offline and answers at once), with the time the organisation's
// rate limits make the writes take.
import { organisationInWords } from '../../../shared/organisationInWords';
import { randomUUID } from 'node:crypto';
import { diffApp, hasChanges, scopesOf } from '../../../shared/changes';
import type { InputOf } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type {
  ApplyEstimate,
  ApplyMode,
  Catalogue,
  ExternalClient,
  PreviewedApp,
  ScopeRequest,
  ScopeSetPreview,
} from '../../../shared/model';
import { checkRegistration, normalizeDraft, uniqueScopes } from '../../../shared/rules';
import { UIPATH_RATE_LIMITS, type RateLimits } from '../../../shared/rateLimits';
import type { OrganisationRecord } from '../../workspace/organisations';
import { planEntry, planOf } from '../plans';
import type { PlanEntry } from '../../../shared/plan';
import type { BulkApplyDeps } from './index';

/** A preview as main keeps it for its run: the answer, and each application as the preview saw it. */
export interface HeldPreview {
  preview: ScopeSetPreview;
  clientIds: string[] | null;
  /** Each application as the preview saw it, and the scopes it is to have. */
  bases: Map<string, ExternalClient>;
  targets: Map<string, ScopeRequest[]>;
  /** The pending change this preview was made afresh for; it stays until each of its applications is applied or refused. */
  changeId: string | null;
  runId: string | null;
}

export const scopeKey = (s: ScopeRequest) => `${s.type}:${s.name}`;

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
  const removed = new Set(setScopes.map(scopeKey));
  return { scopes: current.filter((s) => !removed.has(scopeKey(s))), leftOut };
}

function previewApp(
  app: ExternalClient,
  setScopes: readonly ScopeRequest[],
  mode: ApplyMode,
  catalogue: Catalogue,
): { row: PreviewedApp; target: ScopeRequest[]; entry: PlanEntry } {
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
  const entry = planEntry(
    app,
    { scopes: draft.scopes },
    { refusals: [...refusals, ...errors.map((e) => e.message)], refused: errors.length > 0 },
  );
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
      entry,
    };
  return {
    row: { ...base, outcome: hasChanges(changes) ? 'change' : 'unchanged', refusals },
    target: draft.scopes,
    entry,
  };
}

/**
 * What each wait for the next window costs beyond the window itself: Retry-After counts whole seconds (rounded up) and
 * the client adds up to a quarter of a second at random, so a wait ends about half a second after its window does.
 */
const WAIT_OVERSHOOT_SECONDS = 0.5;

/**
 * The time the organisation's limits make `writes` applications take. Each is one GET (the re-read) and one PUT, and
 * the run reads the catalogue once first. UiPath counts each method in fixed windows: a window's worth goes at once,
 * and each further window's worth waits for the next window, so n requests at l per window wait ⌈n / l⌉ − 1 times.
 * The method that waits most sets the pace.
 */
export function estimateOf(writes: number, limits: RateLimits, limitsOf: ApplyEstimate['limitsOf']): ApplyEstimate {
  const reads = writes > 0 ? writes + 1 : 0;
  const waits = {
    put: Math.max(0, Math.ceil(writes / limits.put) - 1),
    get: Math.max(0, Math.ceil(reads / limits.get) - 1),
  };
  const slowest = waits.put >= waits.get ? 'put' : 'get';
  const held = waits[slowest] > 0;
  return {
    reads,
    writes,
    seconds: waits[slowest] * (limits.windowSeconds + WAIT_OVERSHOOT_SECONDS),
    limitedBy: held ? slowest : null,
    limits: { get: limits.get, put: limits.put, windowSeconds: limits.windowSeconds },
    limitsOf,
  };
}

function limitsOf(
  deps: BulkApplyDeps,
  organisation: OrganisationRecord,
): { limits: RateLimits; of: ApplyEstimate['limitsOf'] } {
  return organisation.isLocal
    ? { limits: { ...UIPATH_RATE_LIMITS, ...deps.localRateLimits }, of: 'embedded' }
    : { limits: UIPATH_RATE_LIMITS, of: 'uipath' };
}

/** The applications a preview covers, from the cache; the admin application is never one of them. */
function chosenApps(
  deps: BulkApplyDeps,
  organisation: OrganisationRecord,
  clientIds: string[] | null,
): ExternalClient[] {
  const { registrations } = deps.workspace;
  if (clientIds === null)
    return registrations
      .listSummaries(organisation.id)
      .filter((summary) => summary.id !== organisation.adminClientId)
      .flatMap((summary) => registrations.get(organisation.id, summary.id) ?? []);
  return [...new Set(clientIds)].map((clientId) => {
    if (clientId === organisation.adminClientId)
      throw AppError.invalid([
        {
          field: 'clientIds',
          message: `${clientId} is the admin application OAuth Desk uses to manage ${organisationInWords(organisation)}; a scope set is not applied to it.`,
        },
      ]);
    const app = registrations.get(organisation.id, clientId);
    if (!app)
      throw AppError.invalid([
        {
          field: 'clientIds',
          message: `No application with App ID ${clientId} is known in ${organisationInWords(organisation)}.`,
        },
      ]);
    return app;
  });
}

/** The preview's totals: how many applications of each outcome, and the scopes the changes add and remove. */
export function totalsOf(rows: readonly PreviewedApp[]): ScopeSetPreview['totals'] {
  const count = (outcome: PreviewedApp['outcome']) => rows.filter((r) => r.outcome === outcome).length;
  const sum = (pick: (r: PreviewedApp) => string[]) =>
    rows.filter((r) => r.outcome === 'change').reduce((total, r) => total + pick(r).length, 0);
  return {
    apps: rows.length,
    change: count('change'),
    unchanged: count('unchanged'),
    refused: count('refused'),
    userScopesAdded: sum((r) => r.added.user),
    applicationScopesAdded: sum((r) => r.added.application),
    userScopesRemoved: sum((r) => r.removed.user),
    applicationScopesRemoved: sum((r) => r.removed.application),
  };
}

/** A new preview, held for its run; `changeId`: the pending change it is made afresh for. */
export async function makePreview(
  deps: BulkApplyDeps,
  input: InputOf<'previewScopeSet'>,
  changeId: string | null,
): Promise<HeldPreview> {
  const { organisations, registrations, catalogue, scopeSets } = deps;
  const organisation = organisations.get(input.organisation);
  const set = scopeSets.find(input.setId);
  await registrations.list(organisation.id, input.refresh);
  const grants = await catalogue.list(organisation.id, input.refresh);
  const clientIds = input.all ? null : (input.clientIds ?? []);

  const rows: PreviewedApp[] = [];
  const entries: PlanEntry[] = [];
  const bases = new Map<string, ExternalClient>();
  const targets = new Map<string, ScopeRequest[]>();
  for (const app of chosenApps(deps, organisation, clientIds)) {
    const { row, target, entry } = previewApp(app, set.scopes, input.mode, grants);
    rows.push(row);
    entries.push(entry);
    bases.set(app.id, app);
    targets.set(app.id, target);
  }
  const totals = totalsOf(rows);
  const { limits, of } = limitsOf(deps, organisation);
  const preview: ScopeSetPreview = {
    previewId: randomUUID(),
    organisation: organisation.id,
    setId: set.id,
    setName: set.name,
    mode: input.mode,
    createdAt: new Date().toISOString(),
    fromCache: organisations.status(organisation.id).online === false,
    apps: rows,
    totals,
    estimate: estimateOf(totals.change, limits, of),
    plan: planOf(organisation, entries),
  };
  return { preview, clientIds, bases, targets, changeId, runId: null };
}
