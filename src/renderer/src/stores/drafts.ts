// The current organisation's drafts of registrations: saved without a server (offline the only choice), listed with
// the applications, edited in the wizard, and registered against the live catalogue once online.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { SavedDraft } from '../../../shared/model';
import type { NormalizedDraft } from '../../../shared/rules';
import { api } from '../api';
import { useApplicationsStore, type Registration } from './applications';
import { useOrganisationStore } from './organisation';

export const useDraftsStore = defineStore('drafts', () => {
  const organisation = useOrganisationStore();
  const applications = useApplicationsStore();
  const drafts = shallowRef<SavedDraft[]>([]);
  const loadedFor = ref<string | null>(null);

  async function load(): Promise<void> {
    const of = organisation.currentId;
    const answer = await api.listDrafts({ organisation: of });
    if (of !== organisation.currentId) return;
    drafts.value = answer;
    loadedFor.value = of;
  }

  function byId(draftId: string): SavedDraft | null {
    return drafts.value.find((d) => d.id === draftId) ?? null;
  }

  /** Saves the wizard's draft as it is (a new one, or `draftId`'s); main needs only a name. */
  async function save(draft: NormalizedDraft, draftId?: string): Promise<SavedDraft> {
    const saved = await api.saveDraft({ organisation: organisation.currentId, draftId, ...draft });
    const at = drafts.value.findIndex((d) => d.id === saved.id);
    drafts.value = at === -1 ? [saved, ...drafts.value] : drafts.value.map((d, i) => (i === at ? saved : d));
    return saved;
  }

  async function remove(draftId: string): Promise<void> {
    await api.deleteDraft({ draftId });
    drafts.value = drafts.value.filter((d) => d.id !== draftId);
  }

  /** Registers a saved draft (online): the new application joins the list, and the draft goes. */
  async function register(draftId: string): Promise<Registration> {
    const registered = await api.registerDraft({ draftId });
    drafts.value = drafts.value.filter((d) => d.id !== draftId);
    applications.show(registered.app);
    return registered;
  }

  return { drafts, loadedFor, load, byId, save, remove, register };
});
