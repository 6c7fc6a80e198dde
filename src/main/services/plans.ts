// Plans (src/shared/plan.ts): every preview's "what will change" built the one way, from each application as it is
// (none, for one to be created) and as it would be. The update preview, a copy's and an import's dry runs and a scope
// set's preview all answer one.
import { diffApp, hasChanges, type AppChanges, type AppEdit } from '../../shared/changes';
import { AppError } from '../../shared/errors';
import type { FederatedCredentialChange } from '../../shared/federated';
import type { ExternalClient, ScopeRequest, ScopeType } from '../../shared/model';
import type { Plan, PlanAction, PlanEntry } from '../../shared/plan';
import type { OrganisationRecord } from '../workspace/organisations';

/** An application as a create would register it: the fields a plan compares. */
export interface PlannedApp {
  name: string;
  /** The type a new application gets, said beside its name in the plan. */
  isConfidential?: boolean;
  redirectUri: string | null;
  scopes: readonly ScopeRequest[];
}

/** What a new application gets: its redirect URL, and each of its scopes as added. */
function createChanges(after: PlannedApp): AppChanges {
  const names = (type: ScopeType) => [...new Set(after.scopes.filter((s) => s.type === type).map((s) => s.name))];
  return {
    name: null,
    redirectUri: after.redirectUri ? { from: null, to: after.redirectUri } : null,
    added: { user: names('user').sort(), application: names('application').sort() },
    removed: { user: [], application: [] },
  };
}

interface Refusals {
  refusals?: readonly string[];
  refused?: boolean;
  /** The federated credentials it adds or replaces: a change of its own, as a scope's is. */
  federated?: readonly FederatedCredentialChange[];
}

/** `refusals` make an entry refused unless `refused` says otherwise (a change that goes ahead with scopes left out). */
function entryOf(app: PlanEntry['app'], changes: AppChanges, creates: boolean, options: Refusals): PlanEntry {
  const refusals = [...(options.refusals ?? [])];
  const federated = [...(options.federated ?? [])];
  const action: PlanAction =
    (options.refused ?? refusals.length > 0)
      ? 'refused'
      : creates
        ? 'create'
        : hasChanges(changes) || federated.length > 0
          ? 'update'
          : 'unchanged';
  return { app, action, changes, ...(federated.length > 0 ? { federated } : {}), refusals };
}

/** An existing application's entry: `edit` over it as diffApp reads an edit (a field left out stays). */
export function planEntry(before: ExternalClient, edit: AppEdit, options: Refusals = {}): PlanEntry {
  return entryOf({ id: before.id, name: before.name }, diffApp(before, edit), false, options);
}

/** The entry of an application the plan creates (a copy, an import's new one). */
export function createEntry(after: PlannedApp, options: Refusals = {}): PlanEntry {
  const app =
    after.isConfidential === undefined
      ? { id: null, name: after.name }
      : { id: null, name: after.name, isConfidential: after.isConfidential };
  return entryOf(app, createChanges(after), true, options);
}

/** The plan of `entries` in `organisation` (for a copy, the target), counted by action. */
export function planOf(organisation: Pick<OrganisationRecord, 'id' | 'displayName'>, entries: PlanEntry[]): Plan {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, refused: 0 };
  for (const entry of entries) counts[entry.action] += 1;
  return {
    entries,
    summary: { organisation: { id: organisation.id, name: organisation.displayName || organisation.id }, counts },
  };
}

/** What a check that throws its refusal (refuseAdminApp, …) refuses, as messages; none when it lets it pass. */
export function refusalsOf(check: () => void): string[] {
  try {
    check();
    return [];
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
    return error.issues?.map((issue) => issue.message) ?? [error.message];
  }
}
