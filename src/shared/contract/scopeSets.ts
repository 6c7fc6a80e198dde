// Scope sets (named sets of scopes, not tied to an organisation), applying one to many applications (a preview, a run
// in main, its status), and the pending changes kept offline to apply after the next sync.
import { z } from 'zod';
import type { ApplyStatus, PendingChange, ScopeSet, ScopeSetPreview } from '../model';
import { clientId, refresh, scopes, organisation } from './fields';
import { event, labelled, op } from './operation';

/** A scope set by its ID or its name. */
const setId = labelled(z.string({ error: 'Scope set is required.' }).min(1, 'Scope set is required.'), 'Scope set');
const previewId = labelled(
  z.string({ error: 'Preview ID is required.' }).min(1, 'Preview ID is required.'),
  'Preview ID',
);
const runId = labelled(z.string({ error: 'Run ID is required.' }).min(1, 'Run ID is required.'), 'Run ID');
const changeId = labelled(
  z.string({ error: 'Pending change ID is required.' }).min(1, 'Pending change ID is required.'),
  'Pending change ID',
);

export const scopeSetOperations = {
  /** The workspace's scope sets, each with the organisations whose cached catalogue holds all its scopes. */
  listScopeSets: op<ScopeSet[]>()(z.object({}).strict()),
  getScopeSet: op<ScopeSet>()(z.object({ setId }).strict()),
  /** Creates a scope set, or (with `id`) changes one; names are unique, compared without case. */
  saveScopeSet: op<ScopeSet>()(
    z
      .object({
        id: labelled(z.string().min(1, 'Scope set ID must not be empty.'), 'Scope set ID').optional(),
        name: labelled(z.string({ error: 'Scope set name is required.' }), 'Scope set name'),
        description: labelled(z.string({ error: 'Description must be text.' }), 'Description').default(''),
        scopes,
      })
      .strict(),
  ),
  /** A copy of a set under a new name ("<name> (copy)" when none is given). */
  duplicateScopeSet: op<ScopeSet>()(
    z.object({ setId, name: labelled(z.string(), 'Scope set name').optional() }).strict(),
  ),
  /** Deletes a set; its pending changes go with it. Applications keep the scopes they were given. */
  deleteScopeSet: op<{ deleted: true }>()(z.object({ setId }).strict()),
  /**
   * What applying a scope set to applications would change, per application and in total, with the time the
   * organisation's rate limits make it take. `refresh` reads the applications from the server first (the cache
   * answers offline). Nothing is written; applyScopeSet applies exactly this preview.
   */
  previewScopeSet: op<ScopeSetPreview>()(
    z
      .object({
        organisation,
        setId,
        mode: labelled(
          z.enum(['add', 'remove', 'replace'], { error: 'Mode must be add, remove or replace.' }),
          'Mode',
        ).default('add'),
        clientIds: labelled(
          z.array(clientId, { error: 'Applications must be a list of App IDs.' }),
          'Applications',
        ).optional(),
        all: labelled(z.boolean(), 'All applications').default(false),
        refresh,
      })
      .strict()
      .refine((input) => input.all !== (input.clientIds !== undefined && input.clientIds.length > 0), {
        path: ['clientIds'],
        error: 'Choose the applications: some App IDs, or all of them (not both).',
      }),
  ),
  /**
   * Starts applying a preview in main and answers at once; applyStatus follows it. Each application is read again
   * just before it is written: one changed on the server since the preview is held back as a conflict.
   */
  applyScopeSet: op<ApplyStatus>()(z.object({ previewId }).strict()),
  /** Progress, per-application results and conflicts of an apply. */
  applyStatus: op<ApplyStatus>()(z.object({ runId }).strict()),
  /**
   * Stops an apply: the applications whose PUT is on its way are finished, a rate-limit wait ends at once, and the rest
   * are reported as not run. The status says `stopping` at once.
   */
  stopApply: op<{ stopped: boolean }>()(z.object({ runId }).strict()),
  /** Keeps a preview (made offline) as a pending change of its organisation, to apply after the next sync. */
  savePendingChange: op<PendingChange>()(z.object({ previewId }).strict()),
  listPendingChanges: op<PendingChange[]>()(z.object({ organisation }).strict()),
  /**
   * Goes on with a pending change: syncs the organisation's applications, answers a fresh preview (apply it with
   * applyScopeSet; the pending change goes when that run starts).
   */
  previewPendingChange: op<ScopeSetPreview>()(z.object({ changeId }).strict()),
  deletePendingChange: op<{ deleted: true }>()(z.object({ changeId }).strict()),
} as const;

/** What main pushes about scope sets: an apply's progress, as it goes. */
export const scopeSetEvents = {
  /**
   * A run of applyScopeSet moved on: an application's PUT sent, an application written, held back or refused; a
   * rate-limit wait begun or ended (`rateLimitedUntil`); Stop asked; its end.
   */
  applyProgress: event<ApplyStatus>(),
};
