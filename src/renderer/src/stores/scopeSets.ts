// The workspace's scope sets (named sets of user and application scopes, not tied to an organisation): the list the
// Scope Sets view, the wizard's Start from a scope set and Apply to applications read, and keeping them.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { RawInputOf } from '../../../shared/contract';
import type { ScopeSet } from '../../../shared/model';
import { api } from '../api';

export type ScopeSetInput = RawInputOf<'saveScopeSet'>;

export const useScopeSetsStore = defineStore('scopeSets', () => {
  const sets = shallowRef<ScopeSet[]>([]);
  const loaded = ref(false);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      sets.value = await api.listScopeSets({});
      loaded.value = true;
    } finally {
      loading.value = false;
    }
  }

  function byId(setId: string): ScopeSet | null {
    return sets.value.find((s) => s.id === setId) ?? null;
  }

  function keep(set: ScopeSet): ScopeSet {
    const at = sets.value.findIndex((s) => s.id === set.id);
    sets.value = at === -1 ? [...sets.value, set] : sets.value.map((s, i) => (i === at ? set : s));
    return set;
  }

  async function save(input: ScopeSetInput): Promise<ScopeSet> {
    return keep(await api.saveScopeSet(input));
  }

  async function duplicate(setId: string): Promise<ScopeSet> {
    return keep(await api.duplicateScopeSet({ setId }));
  }

  async function remove(setId: string): Promise<void> {
    await api.deleteScopeSet({ setId });
    sets.value = sets.value.filter((s) => s.id !== setId);
  }

  return { sets, loaded, loading, load, byId, save, duplicate, remove };
});
