// "What will change", one shape for every preview: an application's edit, a copy into another organisation, an import
// and a scope set applied to many. Main builds it (src/main/services/plans.ts); the window's PlanPreview.vue and the
// CLI's planText read it. A preview's own facts (an apply's estimate and previewId, an import's scope sets) stay beside
// the plan in its answer, which contains a `plan: Plan`.
import { z } from 'zod';
import type { AppChanges } from './changes';
import type { FederatedCredentialChange } from './federated';

/**
 * What happens to one application: `create` (a new one: a copy, an import), `update` (its name, redirect URL or scopes
 * change), `unchanged` (nothing to write), `refused` (the rules refuse the result: nothing is written).
 */
export const PlanAction = z.enum(['create', 'update', 'unchanged', 'refused']);
export type PlanAction = z.infer<typeof PlanAction>;

const ScopeNames = z.object({ user: z.array(z.string()), application: z.array(z.string()) });

/** AppChanges (./changes.ts, zod-free for the page) as a schema: name and redirect URL from → to, scopes per type. */
export const PlanChanges: z.ZodType<AppChanges> = z.object({
  name: z.object({ from: z.string(), to: z.string() }).nullable(),
  redirectUri: z.object({ from: z.string().nullable(), to: z.string().nullable() }).nullable(),
  added: ScopeNames,
  removed: ScopeNames,
});

/** A federated credential added or replaced (an import's); worded by describeFederatedChange (./federated.ts). */
export const PlanFederatedChange: z.ZodType<FederatedCredentialChange> = z.object({
  change: z.enum(['add', 'replace']),
  name: z.string(),
  issuer: z.string(),
  subject: z.string(),
});

/** One application in a plan. */
export const PlanEntry = z.object({
  /**
   * Its App ID (null when it would be created) and its name as it is (as it would be created); for a create, the type
   * it would be created as.
   */
  app: z.object({ id: z.string().nullable(), name: z.string(), isConfidential: z.boolean().optional() }),
  action: PlanAction,
  /** What changes: for a create, what the new application gets; for a refused one, what was asked. */
  changes: PlanChanges,
  /** The federated credentials it adds or replaces (an import's; none are deleted); left out when none. */
  federated: z.array(PlanFederatedChange).optional(),
  /** The rules' messages: why it is refused, or (with another action) what of the change is left out. */
  refusals: z.array(z.string()),
});
export type PlanEntry = z.infer<typeof PlanEntry>;

export const PlanSummary = z.object({
  /** The organisation the plan changes (for a copy, the target), by ID and by the name the window shows. */
  organisation: z.object({ id: z.string(), name: z.string() }),
  /** How many entries of each action. */
  counts: z.record(PlanAction, z.number().int()),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const Plan = z.object({ entries: z.array(PlanEntry), summary: PlanSummary });
export type Plan = z.infer<typeof Plan>;
