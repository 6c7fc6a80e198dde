// The tenant the admin is working on: the local one by default (the embedded Identity Server).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TenantSummary } from '../../../shared/model';
import { api } from '../api';

const LOCAL_TENANT = 'local';

export const useTenantStore = defineStore('tenant', () => {
  const tenants = ref<TenantSummary[]>([]);
  const currentId = ref(LOCAL_TENANT);
  const current = computed(() => tenants.value.find((t) => t.id === currentId.value) ?? null);

  async function load(): Promise<void> {
    tenants.value = await api.listTenants({});
    if (!tenants.value.some((t) => t.id === currentId.value)) {
      const fallback = tenants.value.find((t) => t.isLocal) ?? tenants.value[0];
      if (fallback) currentId.value = fallback.id;
    }
  }

  return { tenants, currentId, current, load };
});
