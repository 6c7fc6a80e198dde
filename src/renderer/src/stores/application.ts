// One application as the details page shows it: read from the Identity Server, saved after the admin confirmed the
// preview, deleted; every change is reflected in the External Applications list at once.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AppEdit } from '../../../shared/changes';
import type { ExternalClient } from '../../../shared/model';
import type { Plan } from '../../../shared/plan';
import { api } from '../api';
import { useApplicationsStore } from './applications';
import { useOrganisationStore } from './organisation';

/** The fields an edit sets, as updateApp and previewAppUpdate take them. */
function editInput(edit: AppEdit) {
  return {
    ...(edit.name !== undefined ? { name: edit.name } : {}),
    ...(edit.redirectUri !== undefined ? { redirectUri: edit.redirectUri } : {}),
    ...(edit.scopes !== undefined ? { scopes: [...edit.scopes] } : {}),
  };
}

export const useApplicationStore = defineStore('application', () => {
  const organisation = useOrganisationStore();
  const applications = useApplicationsStore();

  const app = shallowRef<ExternalClient | null>(null);
  const loading = ref(false);

  async function load(clientId: string): Promise<ExternalClient> {
    loading.value = true;
    try {
      if (app.value?.id !== clientId) app.value = null;
      const loaded = await api.getApp({ organisation: organisation.currentId, clientId });
      app.value = loaded;
      applications.show(loaded);
      return loaded;
    } finally {
      loading.value = false;
    }
  }

  /** What saving `edit` would change, as main previews it with the rules it saves by: the Save preview's plan. */
  function preview(clientId: string, edit: AppEdit): Promise<Plan> {
    return api.previewAppUpdate({ organisation: organisation.currentId, clientId, ...editInput(edit) });
  }

  /**
   * Applies an edit the admin confirmed, as the application form normalised it (normalizeDraft); the answer is the
   * application as the server now has it.
   */
  async function save(clientId: string, edit: AppEdit): Promise<ExternalClient> {
    const updated = await api.updateApp({ organisation: organisation.currentId, clientId, ...editInput(edit) });
    app.value = updated;
    applications.show(updated);
    return updated;
  }

  async function remove(clientId: string): Promise<{ keychainEntriesRemoved: number }> {
    const answer = await api.deleteApp({ organisation: organisation.currentId, clientId });
    applications.forget(clientId);
    if (app.value?.id === clientId) app.value = null;
    return answer;
  }

  return { app, loading, load, preview, save, remove };
});
