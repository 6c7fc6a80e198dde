// The current organisation's API resources and their scopes, fetched once per organisation and kept for the wizard.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Catalogue, CatalogueResource } from '../../../shared/model';
import { api } from '../api';
import { useOrganisationStore } from './organisation';

export const useCatalogueStore = defineStore('catalogue', () => {
  const organisation = useOrganisationStore();
  const resources = shallowRef<Catalogue>([]);
  const loadedFor = shallowRef<string | null>(null);
  let loading: Promise<void> | null = null;

  const byName = computed(() => new Map<string, CatalogueResource>(resources.value.map((r) => [r.name, r])));

  function load(refresh = false): Promise<void> {
    if (!refresh && loadedFor.value === organisation.currentId) return Promise.resolve();
    loading ??= api
      .listCatalogue({ organisation: organisation.currentId, refresh })
      .then((catalogue) => {
        resources.value = catalogue;
        loadedFor.value = organisation.currentId;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  /** A resource's label for people; falls back to what was given when the catalogue does not know it. */
  function displayNameOf(resource: string): string {
    return byName.value.get(resource)?.displayName ?? resource;
  }

  return { resources, byName, load, displayNameOf };
});
