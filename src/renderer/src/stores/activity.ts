// What the admin did, newest first, as main records it (never a secret).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ActivityEntry } from '../../../shared/model';
import { api } from '../api';

export const useActivityStore = defineStore('activity', () => {
  const entries = shallowRef<ActivityEntry[]>([]);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      entries.value = await api.listActivity({});
    } finally {
      loading.value = false;
    }
  }

  return { entries, loading, load };
});
