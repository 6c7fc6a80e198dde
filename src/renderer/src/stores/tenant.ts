// The organisations the admin works on and the current one (the embedded tenant by default): switching, adding,
// testing and removing one, and what the header shows of the current one (online or offline, last sync, a sync's
// progress, a rate-limit wait), polled while it matters.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { OutputOf, RawInputOf } from '../../../shared/contract';
import type { ConnectionCheck, TenantDetails, TenantStatus, TenantSummary } from '../../../shared/model';
import { api } from '../api';

const LOCAL_TENANT = 'local';
/** While a sync runs, its progress bar moves this often. */
const SYNC_POLL_MS = 500;
/** While the current organisation is offline, it is asked again this often; when it answers, it syncs by itself. */
const OFFLINE_POLL_MS = 15_000;
/** While a 429 wait runs, its countdown is refreshed this often. */
const WAIT_POLL_MS = 1_000;
/** Otherwise, often enough that a wait or a lost connection met by any request shows in the header soon. */
const IDLE_POLL_MS = 10_000;

export type NewOrganisation = RawInputOf<'addTenant'>;
export type SyncResult = OutputOf<'syncTenant'>;

/** How people read an organisation's name: the embedded one says so. */
export function organisationLabel(tenant: Pick<TenantSummary, 'displayName' | 'id' | 'isLocal'>): string {
  const name = tenant.displayName || tenant.id;
  return tenant.isLocal ? `${name} (embedded)` : name;
}

export const useTenantStore = defineStore('tenant', () => {
  const tenants = ref<TenantSummary[]>([]);
  const currentId = ref(LOCAL_TENANT);
  const current = computed(() => tenants.value.find((t) => t.id === currentId.value) ?? null);
  const currentName = computed(() => (current.value ? current.value.displayName || current.value.id : currentId.value));

  /** The current organisation's status; null until first asked. */
  const status = shallowRef<TenantStatus | null>(null);
  const offline = computed(() => status.value?.online === false);
  /** Why an action that needs the server is disabled now; null while the organisation can be reached. */
  const offlineReason = computed(() =>
    offline.value ? `${currentName.value} is offline: changes need a connection.` : null,
  );
  const syncing = computed(() => status.value?.sync != null);
  /** The last sync's outcome in this session, for the header's message. */
  const lastSync = shallowRef<SyncResult | null>(null);
  /** Raised after a switch or a sync: what the views show is to be read again. */
  const generation = ref(0);
  /** Why the current organisation's sync by itself failed; shown once by the header. */
  const syncError = ref<string | null>(null);

  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let syncRun: Promise<SyncResult> | null = null;

  async function load(): Promise<void> {
    tenants.value = await api.listTenants({});
    const marked = tenants.value.find((t) => t.isCurrent);
    if (marked) currentId.value = marked.id;
    else if (!tenants.value.some((t) => t.id === currentId.value)) {
      const fallback = tenants.value.find((t) => t.isLocal) ?? tenants.value[0];
      if (fallback) currentId.value = fallback.id;
    }
  }

  /** Asks main for the current organisation's status, and plans the next time to ask. */
  async function refreshStatus(): Promise<TenantStatus> {
    const asked = currentId.value;
    const answer = await api.tenantStatus({ tenant: asked });
    if (asked !== currentId.value) return answer;
    const wasOffline = offline.value;
    status.value = answer;
    schedulePoll();
    // The organisation answers again: sync by itself, so the cache catches up with what changed meanwhile.
    if (wasOffline && answer.online === true && !syncRun) void sync().catch(() => undefined);
    return answer;
  }

  function schedulePoll(): void {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    const s = status.value;
    if (!s) return;
    let delay = IDLE_POLL_MS;
    if (s.sync) delay = SYNC_POLL_MS;
    else if (s.rateLimitedUntil && Date.parse(s.rateLimitedUntil) > Date.now()) delay = WAIT_POLL_MS;
    else if (s.online === false) delay = OFFLINE_POLL_MS;
    pollTimer = setTimeout(() => {
      pollTimer = null;
      void (s.online === false && !s.sync ? probe() : refreshStatus()).catch(() => schedulePoll());
    }, delay);
  }

  /**
   * While offline: asks the server itself for the list (which tells main whether it answers), then the status. A
   * failure here is the expected answer of an organisation still offline.
   */
  async function probe(): Promise<void> {
    await api.listApps({ tenant: currentId.value, refresh: true, limit: 1 }).catch(() => undefined);
    await refreshStatus();
  }

  /** Refreshes the current organisation into the cache; its progress shows while it runs. */
  function sync(): Promise<SyncResult> {
    if (syncRun) return syncRun;
    const tenant = currentId.value;
    syncError.value = null;
    const run = api.syncTenant({ tenant });
    syncRun = run;
    // The first progress shows while main works; the poll keeps it moving.
    setTimeout(() => void refreshStatus().catch(() => undefined), 100);
    return run
      .then((result) => {
        if (tenant === currentId.value) {
          lastSync.value = result;
          generation.value++;
        }
        return result;
      })
      .catch((e: unknown) => {
        if (tenant === currentId.value) syncError.value = e instanceof Error ? e.message : String(e);
        throw e;
      })
      .finally(() => {
        syncRun = null;
        void refreshStatus().catch(() => undefined);
      });
  }

  async function stopSync(): Promise<boolean> {
    const { stopped } = await api.stopSync({ tenant: currentId.value });
    return stopped;
  }

  /** Makes an organisation the current one; the views read what they show again (the generation moves). */
  async function use(id: string): Promise<void> {
    const { current: now } = await api.useTenant({ tenant: id });
    currentId.value = now;
    status.value = null;
    lastSync.value = null;
    syncError.value = null;
    generation.value++;
    await load();
    await refreshStatus().catch(() => undefined);
  }

  /** Adds an organisation; main puts its secret in the keychain and answers the connection checks. */
  async function add(input: NewOrganisation): Promise<OutputOf<'addTenant'>> {
    const answer = await api.addTenant(input);
    await load();
    return answer;
  }

  function test(id: string): Promise<ConnectionCheck[]> {
    return api.testTenant({ tenant: id });
  }

  function details(id: string): Promise<TenantDetails> {
    return api.showTenant({ tenant: id });
  }

  /** Forgets an organisation; when it was the current one, main's new current one (the embedded tenant) takes over. */
  async function remove(id: string): Promise<OutputOf<'removeTenant'>> {
    const answer = await api.removeTenant({ tenant: id });
    const wasCurrent = id === currentId.value;
    await load();
    if (wasCurrent) {
      const fallback = tenants.value.find((t) => t.isLocal) ?? tenants.value[0];
      if (fallback) await use(fallback.id);
    }
    return answer;
  }

  return {
    tenants,
    currentId,
    current,
    currentName,
    status,
    offline,
    offlineReason,
    syncing,
    lastSync,
    syncError,
    generation,
    load,
    refreshStatus,
    sync,
    stopSync,
    use,
    add,
    test,
    details,
    remove,
  };
});
