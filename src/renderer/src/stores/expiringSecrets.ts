// Secrets that expire within 30 days or have expired, in every organisation, from the workspace cache: the header's
// badge and the list behind it. Read at start, after a sync or a switch, and again every day while the window is open.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { ExpiringSecret } from '../../../shared/model';
import { EXPIRING_WITHIN_DAYS } from '../../../shared/secrets';
import { api } from '../api';

const DAY_MS = 24 * 3600 * 1000;

export const useExpiringSecretsStore = defineStore('expiringSecrets', () => {
  const secrets = shallowRef<ExpiringSecret[]>([]);
  const count = computed(() => secrets.value.length);
  const expiredCount = computed(() => secrets.value.filter((s) => s.expired).length);
  let daily: ReturnType<typeof setInterval> | null = null;

  async function load(): Promise<void> {
    const listed = await api.listExpiringSecrets({ withinDays: EXPIRING_WITHIN_DAYS });
    // Soonest first: an expired secret leads.
    secrets.value = [...listed].sort((a, b) => Date.parse(a.expiryTime) - Date.parse(b.expiryTime));
  }

  /** Reads the list now and then once a day; a failure waits for the next time (the badge keeps its last count). */
  function watchDaily(onError: (error: unknown) => void): void {
    void load().catch(onError);
    daily ??= setInterval(() => void load().catch(onError), DAY_MS);
  }

  return { secrets, count, expiredCount, load, watchDaily };
});
