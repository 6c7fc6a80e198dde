// The current tenant's external applications: the table's rows, its search, and registering a new one.
// Built for 10 000 rows: rows are plain (not deeply reactive) and each carries its lowercase search key,
// computed once when the list arrives, so a keystroke costs one substring test per row.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppSummary, ExternalClient, KeychainRef, NewSecret } from '../../../shared/model';
import type { RegistrationDraft } from '../../../shared/rules';
import { api } from '../api';
import { useCatalogueStore } from './catalogue';
import { useTenantStore } from './tenant';

export interface ApplicationRow extends AppSummary {
  /** The resources as people read them (catalogue display names). */
  resourceLabels: string;
  searchKey: string;
}

/** What registering answers: the application and, for a confidential one, its secret to show once. */
export interface Registration {
  app: ExternalClient;
  secret: NewSecret | null;
}

function summarize(app: ExternalClient): AppSummary {
  const scopes = app.resources.flatMap((r) => r.scopes);
  return {
    id: app.id,
    name: app.name,
    isConfidential: app.isConfidential,
    redirectUri: app.redirectUri,
    resources: app.resources.map((r) => r.displayName),
    userScopeCount: scopes.filter((s) => s.type === 'user').length,
    applicationScopeCount: scopes.filter((s) => s.type === 'application').length,
    secretCount: app.secrets.length,
  };
}

export const useApplicationsStore = defineStore('applications', () => {
  const tenant = useTenantStore();
  const catalogue = useCatalogueStore();

  const rows = shallowRef<ApplicationRow[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const query = ref('');

  function toRow(app: AppSummary): ApplicationRow {
    const labels = app.resources.map((r) => catalogue.displayNameOf(r));
    return {
      ...app,
      resourceLabels: labels.join(', '),
      searchKey: [app.name, app.id, ...app.resources, ...labels].join('\n').toLowerCase(),
    };
  }

  const filtered = computed(() => {
    const needle = query.value.trim().toLowerCase();
    if (needle.length === 0) return rows.value;
    const matches = rows.value.filter((row) => row.searchKey.includes(needle));
    // The same array when nothing is filtered out, so the table has nothing to redo.
    return matches.length === rows.value.length ? rows.value : matches;
  });

  const names = computed(() => rows.value.map((row) => row.name));

  /** Loads the list from the workspace cache, or from the Identity Server when `refresh` is set. */
  async function load(refresh = false): Promise<void> {
    loading.value = true;
    try {
      // Resource display names come from the catalogue; the list still shows if the catalogue cannot be had.
      const [apps] = await Promise.all([
        api.listApps({ tenant: tenant.currentId, refresh }),
        catalogue.load().catch(() => undefined),
      ]);
      rows.value = apps.map(toRow);
      loaded.value = true;
    } finally {
      loading.value = false;
    }
  }

  function upsert(app: AppSummary): void {
    const row = toRow(app);
    const index = rows.value.findIndex((r) => r.id === app.id);
    rows.value = index === -1 ? [row, ...rows.value] : rows.value.map((r, i) => (i === index ? row : r));
  }

  /**
   * Registers the application. The answer is handed back to the caller and not kept here:
   * a new secret lives only in the confirmation dialog until it closes.
   */
  async function register(draft: RegistrationDraft): Promise<Registration> {
    const result = await api.createApp({
      tenant: tenant.currentId,
      name: draft.name.trim(),
      isConfidential: draft.isConfidential,
      redirectUri: draft.redirectUri ? draft.redirectUri : null,
      scopes: draft.scopes,
    });
    upsert(summarize(result.app));
    return result;
  }

  function retrySecretStore(pendingId: string): Promise<{ stored: true; keychain: KeychainRef }> {
    return api.retrySecretStore({ pendingId });
  }

  function dismissPendingSecret(pendingId: string): Promise<{ dismissed: boolean }> {
    return api.dismissPendingSecret({ pendingId });
  }

  return { rows, loaded, loading, query, filtered, names, load, register, retrySecretStore, dismissPendingSecret };
});
