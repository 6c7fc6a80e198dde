// The current organisation's external applications: the table's rows, its search, registering a new one, and keeping a
// row true when an application is changed, deleted or gets new secrets elsewhere in the app.
// Built for 10 000 rows: rows are plain (not deeply reactive) and each carries its lowercase search key,
// computed once when the list arrives, so a keystroke costs one substring test per row.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch, type ShallowRef } from 'vue';
import { summarizeApp } from '../../../shared/appSummary';
import type { OutputOf } from '../../../shared/contract';
import type { AppSummary, ExternalClient, KeychainRef, NewSecret } from '../../../shared/model';
import { normalizeDraft, type RegistrationDraft } from '../../../shared/rules';
import { api } from '../api';
import { useOrganisationStore } from './organisation';

export interface ApplicationRow extends AppSummary {
  /** The resources as people read them (their display names, as the summary carries them). */
  resourceLabels: string;
  searchKey: string;
}

/** What registering answers: the application and, for a confidential one, its secret to show once. */
export type Registration = OutputOf<'createApp'>;

/** Rows to paint before the whole list has arrived: more than a screen holds. */
const FIRST_SCREEN = 60;
/** Rows per request after the first screenful: the largest message between main and the page, whatever the list. */
const PAGE = 2_000;

function toRow(app: AppSummary): ApplicationRow {
  return {
    ...app,
    resourceLabels: app.resources.join(', '),
    searchKey: [app.name, app.id, ...app.resources].join('\n').toLowerCase(),
  };
}

/** The rows, their search, and a row kept true when an application changes. */
function useRows() {
  const rows = shallowRef<ApplicationRow[]>([]);
  const query = ref('');

  const filtered = computed(() => {
    const needle = query.value.trim().toLowerCase();
    if (needle.length === 0) return rows.value;
    const matches = rows.value.filter((row) => row.searchKey.includes(needle));
    // The same array when nothing is filtered out, so the table has nothing to redo.
    return matches.length === rows.value.length ? rows.value : matches;
  });

  const names = computed(() => rows.value.map((row) => row.name));

  function upsert(app: AppSummary): void {
    const index = rows.value.findIndex((r) => r.id === app.id);
    // An application's answer does not carry its federated credentials: the row keeps the count it knew.
    const federatedCredentialCount =
      app.federatedCredentialCount ?? rows.value[index]?.federatedCredentialCount ?? null;
    const row = toRow({ ...app, federatedCredentialCount });
    rows.value = index === -1 ? [row, ...rows.value] : rows.value.map((r, i) => (i === index ? row : r));
  }

  /** Shows an application as the Identity Server now has it (after an edit, or a secret generated or deleted). */
  function show(app: ExternalClient): void {
    upsert(summarizeApp(app));
  }

  function forget(clientId: string): void {
    rows.value = rows.value.filter((r) => r.id !== clientId);
  }

  /** The application's federated credential count, as just listed (the list marks a secretless one). */
  function countFederated(clientId: string, count: number): void {
    const index = rows.value.findIndex((r) => r.id === clientId);
    const row = rows.value[index];
    if (row === undefined || row.federatedCredentialCount === count) return;
    rows.value = rows.value.map((r, i) => (i === index ? { ...r, federatedCredentialCount: count } : r));
  }

  return { rows, query, filtered, names, upsert, show, forget, countFederated };
}

/** Lets the first screenful be painted before the page takes in the rest. */
async function painted(): Promise<void> {
  // Two frames: the table's virtual list lays itself out in the first and draws its rows in the second.
  for (let frame = 0; frame < 2; frame++) await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
}

/** Loading the rows a page at a time, for the current organisation once main has said which one it is. */
function useLoading(rows: ShallowRef<ApplicationRow[]>) {
  const organisation = useOrganisationStore();
  const loaded = ref(false);
  /** False while only the first screenful is here and the rest of the list is on its way. */
  const complete = ref(false);
  const loading = ref(false);
  /** The organisation the rows are of: null until the current one is known; never another's rows under its name. */
  const rowsOf = ref<string | null>(null);

  /** Another organisation: the rows of the one left go at once, so only a skeleton shows until its own arrive. */
  function clearFor(of: string | null): void {
    if (rowsOf.value === of) return;
    rowsOf.value = of;
    rows.value = [];
    loaded.value = false;
    complete.value = false;
  }
  watch(() => organisation.knownId, clearFor, { flush: 'sync' });

  /**
   * Loads the list from the workspace cache, or from the Identity Server when `refresh` is set: a screenful first,
   * then the rest page by page, each page the rows after the last one received, so neither main's query nor a
   * message between the processes grows with the organisation. An empty table fills as the pages arrive; one already
   * shown keeps its rows until the new list is whole. It waits for the current organisation to be known, and names it
   * in every request, so main never answers with another's; an answer for an organisation left meanwhile is dropped.
   */
  async function load(refresh = false): Promise<void> {
    const of = await organisation.whenReady().then(() => organisation.knownId);
    if (of === null) return;
    clearFor(of);
    loading.value = true;
    try {
      // An empty table fills as the pages arrive; one already shown waits for the whole list.
      const progressive = rows.value.length === 0;
      let received: ApplicationRow[] = [];
      let limit = FIRST_SCREEN;
      for (;;) {
        const last = received.at(-1);
        const page = await api.listApps({
          organisation: of,
          refresh: refresh && last === undefined,
          limit,
          after: last && { name: last.name, id: last.id },
        });
        // The admin switched organisations meanwhile: these rows are not the ones shown now.
        if (organisation.knownId !== of || rowsOf.value !== of) return;
        received = received.concat(page.map(toRow));
        const whole = page.length < limit;
        if (progressive || whole) {
          rows.value = received;
          loaded.value = true;
          complete.value = whole;
        }
        if (whole) return;
        if (last === undefined && progressive) await painted();
        limit = PAGE;
      }
    } catch (error) {
      // Refused for an organisation left meanwhile (removed, switched away from): not the list shown now.
      if (organisation.knownId !== of) return;
      throw error;
    } finally {
      loading.value = false;
    }
  }

  return { loaded, complete, loading, rowsOf, load };
}

export const useApplicationsStore = defineStore('applications', () => {
  const organisation = useOrganisationStore();
  const { upsert, ...list } = useRows();
  const loading = useLoading(list.rows);

  /**
   * Registers the application. The answer is handed back to the caller and not kept here:
   * a new secret lives only in the confirmation dialog until it closes.
   */
  async function register(registration: RegistrationDraft): Promise<Registration> {
    const of = await organisation.whenReady().then(() => organisation.knownId);
    if (of === null) throw new Error('The current organisation is not known yet.');
    const result = await api.createApp({ organisation: of, ...normalizeDraft(registration) });
    if (loading.rowsOf.value === of) upsert(summarizeApp(result.app));
    return result;
  }

  function retrySecretStore(pendingId: string): Promise<{ stored: true; keychain: KeychainRef; replaced: string[] }> {
    return api.retrySecretStore({ pendingId });
  }

  function dismissPendingSecret(pendingId: string): Promise<{ dismissed: boolean }> {
    return api.dismissPendingSecret({ pendingId });
  }

  /**
   * The Copy of a secret shown once: main puts it on the clipboard and clears it as every copy; the value is not sent
   * back. While the keychain refuses it, main holds it under its pendingId; once stored, its keychain entry is
   * `<organisation>/<App ID>/<secret id>` (the keychain's naming), which also names the organisation it was made in.
   */
  function copyNewSecretToClipboard(secret: NewSecret, stored: boolean): Promise<OutputOf<'copyNewSecretToClipboard'>> {
    if (!stored && secret.pendingId) return api.copyNewSecretToClipboard({ pendingId: secret.pendingId });
    const [organisationId = '', clientId = ''] = secret.keychain.account.split('/');
    return api.copyNewSecretToClipboard({ organisation: organisationId, clientId, secretId: secret.id });
  }

  return {
    ...list,
    ...loading,
    register,
    retrySecretStore,
    dismissPendingSecret,
    copyNewSecretToClipboard,
  };
});
