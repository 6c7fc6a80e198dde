// The scope sets service: named sets of scopes kept in the workspace across organisations, each answering which
// organisations' cached catalogues hold all its scopes. Works offline: nothing here asks a server.
import { randomUUID } from 'node:crypto';
import type { InputOf, scopeSetOperations } from '../../shared/contract';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import { AppError } from '../../shared/errors';
import type { ScopeRequest, ScopeSet } from '../../shared/model';
import { catalogueGrants, checkScopeSet, uniqueScopes } from '../../shared/rules';
import type { Workspace } from '../workspace/workspace';
import type { ScopeSetRecord } from '../workspace/scopeSets';
import type { ActivityService } from './activity';

export interface ScopeSetServiceDeps {
  workspace: Workspace;
  activity: ActivityService;
}

function withCoverage(workspace: Workspace, set: ScopeSetRecord): ScopeSet {
  const coverage = workspace.organisations.list().map((organisation) => {
    const catalogue = workspace.catalogue.get(organisation.id);
    return {
      organisation: organisation.id,
      displayName: organisation.displayName,
      cached: catalogue !== null,
      missing: catalogue === null ? [] : set.scopes.filter((scope) => !catalogueGrants(catalogue, scope)),
    };
  });
  return {
    ...set,
    heldBy: coverage.filter((c) => c.cached && c.missing.length === 0).map((c) => c.organisation),
    coverage,
  };
}

/** A set by its ID or, as the CLI names them, by its name. */
function find(workspace: Workspace, setId: string): ScopeSetRecord {
  const set = workspace.scopeSets.get(setId) ?? workspace.scopeSets.findByName(setId.trim());
  if (!set)
    throw new AppError('not_found', `No scope set named "${setId}" is in this workspace.`, [
      { field: 'setId', message: `No scope set named "${setId}" is in this workspace.` },
    ]);
  return set;
}

/** Checks and stores a set; a name another set has is refused. */
function store(
  { workspace, activity }: ScopeSetServiceDeps,
  input: { id?: string; name: string; description: string; scopes: readonly ScopeRequest[] },
): ScopeSet {
  const existing = input.id === undefined ? null : find(workspace, input.id);
  const candidate = {
    name: input.name.trim(),
    description: input.description.trim(),
    scopes: uniqueScopes(input.scopes.map((s) => ({ name: s.name.trim(), type: s.type }))),
  };
  const verdict = checkScopeSet(candidate);
  const namesake = workspace.scopeSets.findByName(candidate.name);
  if (candidate.name !== '' && namesake && namesake.id !== existing?.id)
    verdict.errors.push({ field: 'name', message: `A scope set named "${namesake.name}" already exists.` });
  if (verdict.errors.length > 0) throw AppError.invalid(verdict.errors);
  const now = new Date().toISOString();
  const record: ScopeSetRecord = {
    id: existing?.id ?? randomUUID(),
    ...candidate,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  workspace.scopeSets.save(record);
  activity.record({
    organisation: '',
    action: existing ? 'scopeSet.update' : 'scopeSet.create',
    target: record.name,
    headline: `${existing ? 'Changed' : 'Created'} scope set "${record.name}" (${record.scopes
      .map((s) => `${s.name} as ${s.type}`)
      .join(', ')}).`,
  });
  return withCoverage(workspace, record);
}

/** A copy of a set, named as given or "<name> (copy)", "<name> (copy 2)", … whichever is free. */
function duplicate(deps: ScopeSetServiceDeps, setId: string, name?: string): ScopeSet {
  const original = find(deps.workspace, setId);
  let copyName = name?.trim() ?? '';
  if (copyName === '') {
    copyName = `${original.name} (copy)`;
    for (let n = 2; deps.workspace.scopeSets.findByName(copyName); n++) copyName = `${original.name} (copy ${n})`;
  }
  return store(deps, { name: copyName, description: original.description, scopes: original.scopes });
}

function remove({ workspace, activity }: ScopeSetServiceDeps, setId: string): { deleted: true } {
  const set = find(workspace, setId);
  workspace.scopeSets.delete(set.id);
  activity.record({
    organisation: '',
    action: 'scopeSet.delete',
    target: set.name,
    headline: `Deleted scope set "${set.name}"; applications keep the scopes it gave them.`,
  });
  return { deleted: true };
}

export function scopeSetService(deps: ScopeSetServiceDeps) {
  const { workspace } = deps;
  return {
    find: (setId: string) => find(workspace, setId),
    list: (): ScopeSet[] => workspace.scopeSets.list().map((set) => withCoverage(workspace, set)),
    get: (setId: string) => withCoverage(workspace, find(workspace, setId)),
    save: (input: InputOf<'saveScopeSet'>) => store(deps, input),
    duplicate: (setId: string, name?: string) => duplicate(deps, setId, name),
    delete: (setId: string) => remove(deps, setId),
  };
}
export type ScopeSetService = ReturnType<typeof scopeSetService>;

/** The handlers of the scope sets' operations, applying them included (src/shared/contract/scopeSets.ts): one line each onto the services. */
export function scopeSetHandlers(s: Services): HandlersOf<typeof scopeSetOperations> {
  return {
    listScopeSets: () => Promise.resolve(s.scopeSets.list()),
    getScopeSet: ({ setId }) => Promise.resolve(s.scopeSets.get(setId)),
    saveScopeSet: (input) => Promise.resolve(s.scopeSets.save(input)),
    duplicateScopeSet: ({ setId, name }) => Promise.resolve(s.scopeSets.duplicate(setId, name)),
    deleteScopeSet: ({ setId }) => Promise.resolve(s.scopeSets.delete(setId)),
    previewScopeSet: (input) => s.bulkApply.preview(input),
    applyScopeSet: ({ previewId }) => Promise.resolve(s.bulkApply.apply(previewId)),
    applyStatus: ({ runId }) => Promise.resolve(s.bulkApply.status(runId)),
    stopApply: ({ runId }) => Promise.resolve(s.bulkApply.stop(runId)),
    savePendingChange: ({ previewId }) => Promise.resolve(s.bulkApply.savePending(previewId)),
    listPendingChanges: ({ organisation }) => Promise.resolve(s.bulkApply.listPending(organisation)),
    previewPendingChange: ({ changeId }) => s.bulkApply.previewPending(changeId),
    deletePendingChange: ({ changeId }) => Promise.resolve(s.bulkApply.deletePending(changeId)),
  };
}
