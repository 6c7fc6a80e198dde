// The scope set form of the Scope Sets editor: a name, a description and the Resources rows (resourceGrants.ts), by the
// shared scope set rule. A set is not tied to one organisation: its scopes may be granted as either type, and one this
// organisation's catalogue does not know is a warning, not an error. It knows no route and no store, only options.
import { computed, ref, watch } from 'vue';
import type { Catalogue, ScopeRequest } from '../../../shared/model';
import { checkScopeSet, type Verdict } from '../../../shared/rules';
import { useFieldVerdicts } from './fieldVerdicts';
import { useResourceGrants } from './resourceGrants';

export type ScopeSetField = 'name' | 'scopes';

const SCOPE_SET_FIELDS: readonly ScopeSetField[] = ['name', 'scopes'];

/** The set as it is saved: its name trimmed, its scopes each once. */
export interface ScopeSetValue {
  name: string;
  description: string;
  scopes: ScopeRequest[];
}

export interface ScopeSetFormOptions {
  /** The current organisation's resources and their scopes, which group the rows and say which scopes it knows. */
  catalogue: () => Catalogue;
  /** The workspace's other sets, whose names this one must not take. */
  otherSets: () => readonly { name: string }[];
}

export function useScopeSetForm(options: ScopeSetFormOptions) {
  const name = ref('');
  const description = ref('');
  const resources = useResourceGrants({
    catalogue: options.catalogue,
    allowsApplicationScopes: () => true,
    onEdit: () => feedback.forgetServerIssues('scopes'),
  });
  const { scopes } = resources;
  const scopeSet = computed<ScopeSetValue>(() => ({
    name: name.value.trim(),
    description: description.value,
    scopes: scopes.value,
  }));

  const verdicts = computed<Record<ScopeSetField, Verdict>>(() => {
    const set = checkScopeSet({ name: name.value, description: '', scopes: scopes.value });
    const trimmed = name.value.trim().toLowerCase();
    const namesake = options.otherSets().find((s) => s.name.trim().toLowerCase() === trimmed)?.name;
    const nameErrors = set.errors.filter((e) => e.field === 'name');
    if (nameErrors.length === 0 && namesake !== undefined)
      nameErrors.push({ field: 'name', message: `A scope set named "${namesake}" already exists.` });
    return {
      name: { errors: nameErrors, warnings: [] },
      // An empty set is the set rule's to refuse; the catalogue's only says which scopes it does not know.
      scopes: { errors: set.errors.filter((e) => e.field === 'scopes'), warnings: resources.unknownScopes() },
    };
  });
  const feedback = useFieldVerdicts({
    fields: SCOPE_SET_FIELDS,
    verdicts: () => verdicts.value,
    triggers: { name: ['input'], scopes: [] },
  });
  // Naive UI's form reads field values by path; the rules themselves ask the verdicts.
  const model = computed(() => ({ name: name.value, scopes: scopes.value }));

  watch(scopes, () => feedback.recheck(['scopes']));
  watch(name, () => feedback.forgetServerIssues('name'));

  /** Fills the form with a saved set. */
  function fill(set: { name: string; description: string; scopes: readonly ScopeRequest[] }): void {
    name.value = set.name;
    description.value = set.description;
    resources.fillScopes(set.scopes);
  }

  /** What leaving now would lose: the name, every resource with its scopes, and the description. */
  const unsavedLines = computed<string[]>(() => [
    ...(scopeSet.value.name !== '' ? [`Name: "${scopeSet.value.name}"`] : []),
    ...resources.lines.value,
    ...(description.value.trim() !== '' ? [`Description: "${description.value.trim()}"`] : []),
  ]);

  const { fillScopes } = resources;
  return {
    ...feedback,
    name,
    description,
    resources,
    scopes,
    scopeSet,
    verdicts,
    model,
    fill,
    fillScopes,
    unsavedLines,
  };
}

export type ScopeSetForm = ReturnType<typeof useScopeSetForm>;
