// One application as the details page shows it: read from the Identity Server, saved after the admin confirmed the
// preview, deleted; every change is reflected in the External Applications list at once.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AppEdit } from '../../../shared/changes';
import type { PendingAppEdit } from '../../../shared/contract';
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
      if (app.value?.id !== clientId) {
        app.value = null;
        pending.value = null;
      }
      const loaded = await api.getApp({ organisation: organisation.currentId, clientId });
      app.value = loaded;
      applications.show(loaded);
      void loadPending(clientId).catch(() => undefined);
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

  /** The application's edit kept while its organisation could not be reached; null when it has none. */
  const pending = shallowRef<PendingAppEdit | null>(null);

  async function loadPending(clientId: string): Promise<void> {
    const answer = await api.getPendingAppEdit({ organisation: organisation.currentId, clientId });
    if (app.value?.id === clientId) pending.value = answer.pending;
  }

  /** Keeps the edit as the application's pending change (offline), in place of an earlier one. */
  async function keepPending(clientId: string, edit: AppEdit): Promise<PendingAppEdit> {
    const kept = await api.savePendingAppEdit({ organisation: organisation.currentId, clientId, ...editInput(edit) });
    pending.value = kept;
    return kept;
  }

  /** Applies the pending change (main re-reads the application first), as a confirmed Save does. */
  async function applyPending(clientId: string): Promise<ExternalClient> {
    const updated = await api.applyPendingAppEdit({ organisation: organisation.currentId, clientId });
    pending.value = null;
    app.value = updated;
    applications.show(updated);
    return updated;
  }

  async function discardPending(clientId: string): Promise<void> {
    await api.discardPendingAppEdit({ organisation: organisation.currentId, clientId });
    pending.value = null;
  }

  async function remove(clientId: string): Promise<{ keychainEntriesRemoved: number }> {
    const answer = await api.deleteApp({ organisation: organisation.currentId, clientId });
    applications.forget(clientId);
    if (app.value?.id === clientId) app.value = null;
    return answer;
  }

  return { app, loading, load, preview, save, remove, pending, keepPending, applyPending, discardPending };
});
