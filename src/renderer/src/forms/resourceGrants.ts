// The Resources rows both forms edit (an application's, a scope set's): each resource with the scopes it grants for a
// user and for the application itself, Remove with its Undo, the catalogue's names, and the verdicts of those scopes.
// A form creates it and provides it; the Resources table and the Edit Resource panel inject it.
import { computed, ref, shallowRef } from 'vue';
import { provided } from './provided';
import type { Catalogue, ExternalClient, ScopeRequest } from '../../../shared/model';
import { checkScopes, scopeTypeAllows, uniqueScopes, type Verdict } from '../../../shared/rules';

/** One row of the form's Resources table: the scopes of one resource, by how they are used. */
export interface ResourceGrant {
  resource: string;
  userScopes: string[];
  applicationScopes: string[];
}

/** A row Remove took out, with where it stood: Undo puts it back there until the form is saved, added or discarded. */
export interface RemovedGrant {
  grant: ResourceGrant;
  index: number;
}

/** The row of scopes this organisation's catalogue does not know (a set made from another one's catalogue). */
export const NOT_IN_CATALOGUE = 'Not in this organisation’s catalogue';

/** The Resources rows of a list of scopes: each under the catalogue resource that grants it as its type asks. */
export function grantsOf(scopes: readonly ScopeRequest[], catalogue: Catalogue): ResourceGrant[] {
  const rows = new Map<string, ResourceGrant>();
  for (const scope of uniqueScopes(scopes)) {
    const resource =
      catalogue.find((r) => r.scopes.some((s) => s.name === scope.name && scopeTypeAllows(s.type, scope.type)))?.name ??
      catalogue.find((r) => r.scopes.some((s) => s.name === scope.name))?.name ??
      NOT_IN_CATALOGUE;
    const row = rows.get(resource) ?? { resource, userScopes: [], applicationScopes: [] };
    (scope.type === 'user' ? row.userScopes : row.applicationScopes).push(scope.name);
    rows.set(resource, row);
  }
  return [...rows.values()];
}

/** The rows of an application as the server has it, one per resource it has scopes of. */
function grantsOfApp(app: ExternalClient): ResourceGrant[] {
  return app.resources
    .map((r) => ({
      resource: r.name,
      userScopes: r.scopes.filter((s) => s.type === 'user').map((s) => s.name),
      applicationScopes: r.scopes.filter((s) => s.type === 'application').map((s) => s.name),
    }))
    .filter((g) => g.userScopes.length + g.applicationScopes.length > 0);
}

function scopeCount(grant: ResourceGrant): number {
  return grant.userScopes.length + grant.applicationScopes.length;
}

export interface ResourceGrantsOptions {
  /** The organisation's resources and their scopes, which the rows and the scope rules read. */
  catalogue: () => Catalogue;
  /** Whether application scopes may be granted: an application's type decides; a scope set always may. */
  allowsApplicationScopes: () => boolean;
  /** The admin changed the rows: the form drops what main said about its scopes. */
  onEdit: () => void;
}

/** The rows themselves: a row saved, removed and brought back by Undo, where it stood. */
function useGrantRows(onEdit: () => void) {
  const grants = ref<ResourceGrant[]>([]);
  /** Rows removed since the form was filled, latest last, each until its Undo. */
  const removedGrants = ref<RemovedGrant[]>([]);

  function grantOf(resource: string): ResourceGrant | null {
    return grants.value.find((g) => g.resource === resource) ?? null;
  }

  /** Adds the resource's row, or replaces it; a resource with no scope left leaves the table. */
  function saveGrant(grant: ResourceGrant): void {
    const index = grants.value.findIndex((g) => g.resource === grant.resource);
    if (scopeCount(grant) === 0) grants.value = grants.value.filter((g) => g.resource !== grant.resource);
    else if (index === -1) grants.value = [...grants.value, grant];
    else grants.value = grants.value.map((g, i) => (i === index ? grant : g));
    // Added again through the panel: the new scopes are the row now, and the removed ones are not offered back.
    removedGrants.value = removedGrants.value.filter((r) => r.grant.resource !== grant.resource);
    onEdit();
  }

  /** Takes the resource's row out; undoRemoveGrant puts it back until the form is saved, added or discarded. */
  function removeGrant(resource: string): void {
    const index = grants.value.findIndex((g) => g.resource === resource);
    const grant = grants.value[index];
    if (!grant) return;
    removedGrants.value = [...removedGrants.value, { grant, index }];
    grants.value = grants.value.filter((g) => g.resource !== resource);
    onEdit();
  }

  /** Puts a removed row back where it stood. */
  function undoRemoveGrant(resource: string): void {
    const removed = removedGrants.value.find((r) => r.grant.resource === resource);
    if (!removed) return;
    removedGrants.value = removedGrants.value.filter((r) => r !== removed);
    const at = Math.min(removed.index, grants.value.length);
    grants.value = [...grants.value.slice(0, at), removed.grant, ...grants.value.slice(at)];
    onEdit();
  }

  /** Drops every application scope (a non-confidential type), from the rows and from what Undo would bring back. */
  function dropApplicationScopes(): void {
    grants.value = grants.value.map((g) => ({ ...g, applicationScopes: [] })).filter((g) => g.userScopes.length > 0);
    removedGrants.value = removedGrants.value
      .map((r) => ({ ...r, grant: { ...r.grant, applicationScopes: [] } }))
      .filter((r) => r.grant.userScopes.length > 0);
  }

  /** New rows in place of the old, with nothing removed to undo. */
  function replace(rows: ResourceGrant[]): void {
    grants.value = rows;
    removedGrants.value = [];
  }

  return { grants, removedGrants, grantOf, saveGrant, removeGrant, undoRemoveGrant, dropApplicationScopes, replace };
}

/** A row as leaving would lose it: "Orchestrator API Access: user scopes OR.Jobs; application scopes OR.Queues". */
function describeGrant(grant: ResourceGrant, displayName: string): string {
  const parts = [
    grant.userScopes.length > 0 ? `user scopes ${grant.userScopes.join(', ')}` : '',
    grant.applicationScopes.length > 0 ? `application scopes ${grant.applicationScopes.join(', ')}` : '',
  ];
  return `${displayName}: ${parts.filter(Boolean).join('; ')}`;
}

/** Scopes a row may not lose (the admin application's admin scopes), and why, in the words main refuses with. */
export interface LockedScopes {
  scopes: ScopeRequest[];
  reason: string;
}

/** What the form may not change: scopes it must keep, and (offline) whether the rows are read-only and why. */
function useGrantLocks() {
  const locked = shallowRef<LockedScopes | null>(null);
  /** Why the rows cannot be changed now (the organisation is offline); null while they can. */
  const readOnly = ref<string | null>(null);

  /** The locked scopes of one type. */
  function lockedNames(type: ScopeRequest['type']): string[] {
    return locked.value?.scopes.filter((s) => s.type === type).map((s) => s.name) ?? [];
  }

  /** Whether the row holds a scope it must keep: then it cannot be removed. */
  function holdsLocked(grant: ResourceGrant): boolean {
    const user = lockedNames('user');
    const application = lockedNames('application');
    return (
      grant.userScopes.some((s) => user.includes(s)) || grant.applicationScopes.some((s) => application.includes(s))
    );
  }

  return { locked, readOnly, lockedNames, holdsLocked };
}

export function useResourceGrants(options: ResourceGrantsOptions) {
  const rows = useGrantRows(options.onEdit);
  const locks = useGrantLocks();
  const { grants } = rows;
  const allowsApplicationScopes = computed(options.allowsApplicationScopes);

  // Apart from the form's value, so that typing a name does not count as the scopes changing.
  const scopes = computed<ScopeRequest[]>(() =>
    uniqueScopes(
      grants.value.flatMap((g) => [
        ...g.userScopes.map((s) => ({ name: s, type: 'user' as const })),
        ...g.applicationScopes.map((s) => ({ name: s, type: 'application' as const })),
      ]),
    ),
  );
  const applicationScopes = computed(() => scopes.value.filter((s) => s.type === 'application').map((s) => s.name));

  /**
   * Puts these scopes in the rows (Start from a scope set, a draft, a set being edited); where application scopes
   * are not allowed, only the user scopes.
   */
  function fillScopes(list: readonly ScopeRequest[]): void {
    const kept = allowsApplicationScopes.value ? list : list.filter((s) => s.type === 'user');
    rows.replace(grantsOf(kept, options.catalogue()));
    options.onEdit();
  }

  /** The rows of an application as the server has it. */
  function fillFromApp(app: ExternalClient): void {
    rows.replace(grantsOfApp(app));
  }

  function displayNameOf(resource: string): string {
    return options.catalogue().find((r) => r.name === resource)?.displayName ?? resource;
  }

  /** Each row as leaving would lose it. */
  const lines = computed(() => grants.value.map((g) => describeGrant(g, displayNameOf(g.resource))));

  /** An application's verdict of its scopes: each known to the catalogue, as its type allows. */
  function verdict(isConfidential: boolean): Verdict {
    return checkScopes(scopes.value, options.catalogue(), isConfidential);
  }

  /** The scopes this organisation's catalogue does not know (a scope set's warning); an empty list has none. */
  function unknownScopes(): Verdict['warnings'] {
    return scopes.value.length === 0 ? [] : checkScopes(scopes.value, options.catalogue(), true).errors;
  }

  return {
    ...rows,
    ...locks,
    scopes,
    applicationScopes,
    allowsApplicationScopes,
    lines,
    fillScopes,
    fillFromApp,
    clear: () => rows.replace([]),
    displayNameOf,
    verdict,
    unknownScopes,
  };
}

export type ResourceGrants = ReturnType<typeof useResourceGrants>;

const resourceGrants = provided<ResourceGrants>('provideResourceGrants');

export const provideResourceGrants = resourceGrants.provide;

/** The rows of the form this component sits in; a component of the form used outside one is a programming error. */
export const injectResourceGrants = resourceGrants.inject;
