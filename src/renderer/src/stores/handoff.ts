// The developer handoff of one application: the details as data, and exports to a file main asks the admin for.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Handoff } from '../../../shared/model';
import { api } from '../api';
import { useOrganisationStore } from './organisation';

export type HandoffFormat = 'md' | 'json' | 'env';

export const useHandoffStore = defineStore('handoff', () => {
  const organisation = useOrganisationStore();
  const handoff = shallowRef<Handoff | null>(null);
  const loading = ref(false);

  async function load(clientId: string): Promise<Handoff> {
    loading.value = true;
    try {
      if (handoff.value?.appId !== clientId) handoff.value = null;
      const answer = await api.handoffApp({ organisation: organisation.currentId, clientId, format: 'md' });
      handoff.value = answer.handoff;
      return answer.handoff;
    } finally {
      loading.value = false;
    }
  }

  /** Writes the document where the admin chooses; `null` when the save dialog was cancelled. */
  async function exportTo(clientId: string, format: HandoffFormat, includeSecret = false): Promise<string | null> {
    const answer = await api.exportHandoff({ organisation: organisation.currentId, clientId, format, includeSecret });
    return 'path' in answer ? answer.path : null;
  }

  /**
   * The .env with the secret, encrypted to the developer's age public key (age1…): main reads the secret from the
   * keychain and encrypts it; only the developer's identity opens the file. `null` when the save dialog was cancelled.
   */
  async function exportEncrypted(clientId: string, recipient: string): Promise<string | null> {
    const answer = await api.exportHandoff({
      organisation: organisation.currentId,
      clientId,
      format: 'age',
      recipient,
    });
    return 'path' in answer ? answer.path : null;
  }

  return { handoff, loading, load, exportTo, exportEncrypted };
});
