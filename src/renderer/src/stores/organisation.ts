// The organisations the admin works on and the current one (the embedded organisation by default): switching, adding,
// testing and removing one, and what the header shows of the current one (online or offline, last sync, a sync's
// progress, a rate-limit wait), as main pushes it. Main owns when to ask an offline organisation again and when to
// sync by itself; the window only listens.
import { defineStore } from 'pinia';
import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { OutputOf, RawInputOf } from '../../../shared/contract';
import type { OrganisationData } from '../../../shared/contract';
import type {
  ConnectionCheck,
  OrganisationDetails,
  OrganisationStatus,
  OrganisationSummary,
} from '../../../shared/model';
import { api } from '../api';

export type NewOrganisation = RawInputOf<'addOrganisation'>;
export type SyncResult = OutputOf<'syncOrganisation'>;

/** How people read an organisation's name: the embedded one says so. */
export function organisationLabel(organisation: Pick<OrganisationSummary, 'displayName' | 'id' | 'isLocal'>): string {
  const name = organisation.displayName || organisation.id;
  return organisation.isLocal ? `${name} (embedded)` : name;
}

/**
 * Who reads the current organisation's data again when it changes: after a switch (`dataChanged`), and each time main
 * says it changed.
 */
function useDataChanges(currentId: Ref<string | null>, followOrganisations: () => Promise<void>) {
  const dataReaders = new Set<(what: OrganisationData) => void>();

  function dataChanged(what: OrganisationData): void {
    for (const read of [...dataReaders]) read(what);
  }

  api.on('organisationDataChanged', (event) => {
    if (event.organisation !== currentId.value) return;
    // The organisations changed (the current one removed, its sign-in changed): the views read again only once the
    // window knows which one is current now, so nothing is asked of an organisation that is gone.
    if (event.what === 'organisations')
      void followOrganisations()
        .catch(() => undefined)
        .then(() => dataChanged('organisations'));
    else dataChanged(event.what);
  });

  /**
   * Calls `read` whenever the current organisation's data is to be read again: after a switch, and each time main
   * says it changed (a sync, a change made by another door). Stops with the component or scope that asked.
   */
  function onDataChange(read: (what: OrganisationData) => void): () => void {
    dataReaders.add(read);
    const stop = () => {
      dataReaders.delete(read);
    };
    if (getCurrentScope()) onScopeDispose(stop);
    return stop;
  }

  return { dataChanged, onDataChange };
}

/** The current organisation's status as main pushes it: online or offline, a sync's progress, a rate-limit wait. */
function useStatus(currentId: Ref<string | null>, currentName: Readonly<Ref<string>>) {
  /** The current organisation's status; null until first asked. */
  const status = shallowRef<OrganisationStatus | null>(null);
  const offline = computed(() => status.value?.online === false);
  /** Why an action that needs the server is disabled now; null while the organisation can be reached. */
  const offlineReason = computed(() =>
    offline.value ? `${currentName.value} is offline: changes need a connection.` : null,
  );
  const syncing = computed(() => status.value?.sync != null);

  api.on('organisationStatus', (event) => {
    if (event.organisation === currentId.value) status.value = event.status;
  });

  /** Reads the current organisation's status once (at start, after a switch); main pushes every change after that. */
  async function refreshStatus(): Promise<OrganisationStatus> {
    const asked = currentId.value;
    if (asked === null) throw new Error('The current organisation is not known yet.');
    const answer = await api.organisationStatus({ organisation: asked });
    if (asked === currentId.value) status.value = answer;
    return answer;
  }

  return { status, offline, offlineReason, syncing, refreshStatus };
}

/** Syncing the current organisation, Stop (said at once), and how the last sync of this session ended. */
function useSync(currentId: Ref<string | null>, status: Readonly<Ref<OrganisationStatus | null>>) {
  /** The last sync's outcome in this session, for the header's message. */
  const lastSync = shallowRef<SyncResult | null>(null);
  /** Why the current organisation's sync by itself failed; shown once by the header. */
  const syncError = ref<string | null>(null);
  let syncRun: Promise<SyncResult> | null = null;
  /** Stop was clicked: "Stopping…" shows from that moment until main says the sync ended. */
  const stopAsked = ref(false);
  const syncStopping = computed(() => stopAsked.value && status.value?.sync != null);
  watch(
    () => status.value?.sync == null,
    (ended) => {
      if (ended) stopAsked.value = false;
    },
  );

  /** Refreshes the current organisation into the cache; its progress shows while it runs. */
  function sync(): Promise<SyncResult> {
    if (syncRun) return syncRun;
    const organisation = currentId.value;
    if (organisation === null) return Promise.reject(new Error('The current organisation is not known yet.'));
    syncError.value = null;
    // Its progress and its end reach the window as main's events; the answer says how it ended.
    const run = api.syncOrganisation({ organisation });
    syncRun = run;
    return run
      .then((result) => {
        if (organisation === currentId.value) lastSync.value = result;
        return result;
      })
      .catch((e: unknown) => {
        if (organisation === currentId.value) syncError.value = e instanceof Error ? e.message : String(e);
        throw e;
      })
      .finally(() => {
        syncRun = null;
      });
  }

  /** Stops the sync under way: a rate-limit wait ends at once, what was cached stays. */
  async function stopSync(): Promise<boolean> {
    if (currentId.value === null) return false;
    stopAsked.value = true;
    try {
      const { stopped } = await api.stopSync({ organisation: currentId.value });
      if (!stopped) stopAsked.value = false;
      return stopped;
    } catch (error) {
      stopAsked.value = false;
      throw error;
    }
  }

  /** Another organisation: the last one's sync says nothing about it. */
  function forgetSync(): void {
    lastSync.value = null;
    syncError.value = null;
    stopAsked.value = false;
  }

  return { lastSync, syncError, syncStopping, sync, stopSync, forgetSync };
}

/**
 * Which organisation is the current one: unknown (null) until main has said so, never guessed. `ready` settles with
 * its ID once known; `isReady` says the same for templates.
 */
function useCurrent() {
  const organisations = ref<OrganisationSummary[]>([]);
  const knownId = ref<string | null>(null);
  let known: (id: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (known = resolve));
  let reading: Promise<void> | null = null;

  async function read(): Promise<void> {
    organisations.value = await api.listOrganisations({});
    const marked = organisations.value.find((t) => t.isCurrent);
    if (marked) knownId.value = marked.id;
    else if (!organisations.value.some((t) => t.id === knownId.value)) {
      // Main marks its current one; only a list without a mark falls back, and never to a guess before reading.
      const fallback = organisations.value.find((t) => t.isLocal) ?? organisations.value[0];
      if (fallback) knownId.value = fallback.id;
    }
    if (knownId.value !== null) known(knownId.value);
  }

  /** Reads the organisations and which one is current from main; calls made meanwhile share the one read. */
  function load(): Promise<void> {
    reading ??= read().finally(() => (reading = null));
    return reading;
  }

  /** The current organisation's ID once main has said it, reading the organisations first if nobody has yet. */
  function whenReady(): Promise<string> {
    if (knownId.value === null && reading === null) void load().catch(() => undefined);
    return ready;
  }

  return { organisations, knownId, ready, load, whenReady };
}

/** What organisation settings asks: an organisation's details, Test connection, Change sign-in. */
function useSettings(load: () => Promise<void>) {
  /** A new sign-in for an organisation: main proves it (a token, every check) before it replaces the old one. */
  async function changeSignIn(input: RawInputOf<'changeSignIn'>): Promise<OutputOf<'changeSignIn'>> {
    const answer = await api.changeSignIn(input);
    if (answer.changed) await load();
    return answer;
  }

  function test(id: string): Promise<ConnectionCheck[]> {
    return api.testOrganisation({ organisation: id });
  }

  function details(id: string): Promise<OrganisationDetails> {
    return api.showOrganisation({ organisation: id });
  }

  return { changeSignIn, test, details };
}

/**
 * Reads the organisations again (main said they changed); when main's current one is another now, `switched` reads
 * the new one's status in place of the last one's.
 */
function followerOf(knownId: Ref<string | null>, load: () => Promise<void>, switched: () => Promise<void>) {
  return async (): Promise<void> => {
    const before = knownId.value;
    await load();
    if (knownId.value !== before) await switched().catch(() => undefined);
  };
}

export const useOrganisationStore = defineStore('organisation', () => {
  const { organisations, knownId, ready, load, whenReady } = useCurrent();
  /** The current organisation's ID, '' while not known yet: `knownId` (null until then) says it without a stand-in. */
  const currentId = computed(() => knownId.value ?? '');
  const isReady = computed(() => knownId.value !== null);
  const current = computed(() => organisations.value.find((t) => t.id === knownId.value) ?? null);
  const currentName = computed(() => (current.value ? current.value.displayName || current.value.id : currentId.value));
  // Main speaks first: the current organisation's status as it changes, and that its data changed.
  const status = useStatus(knownId, currentName);
  const { dataChanged, onDataChange } = useDataChanges(knownId, () => followOrganisations());
  const { forgetSync, ...syncs } = useSync(knownId, status.status);
  const followOrganisations = followerOf(knownId, load, () => {
    status.status.value = null;
    forgetSync();
    return status.refreshStatus().then(() => undefined);
  });

  /** Makes an organisation the current one; the views read what they show again. */
  async function use(id: string): Promise<void> {
    const { current: now } = await api.useOrganisation({ organisation: id });
    knownId.value = now;
    status.status.value = null;
    forgetSync();
    dataChanged('organisations');
    await load();
    await status.refreshStatus().catch(() => undefined);
  }

  /** Adds an organisation; main puts its secret in the keychain and answers the connection checks. */
  async function add(input: NewOrganisation): Promise<OutputOf<'addOrganisation'>> {
    const answer = await api.addOrganisation(input);
    await load();
    return answer;
  }

  const { changeSignIn, test, details } = useSettings(load);

  /** Forgets an organisation (its application secrets kept unless 'delete'); when it was the current one, main's new current one (the embedded organisation) takes over. */
  async function remove(id: string, secrets: 'keep' | 'delete' = 'keep'): Promise<OutputOf<'removeOrganisation'>> {
    const answer = await api.removeOrganisation({ organisation: id, secrets });
    const wasCurrent = id === knownId.value;
    await load();
    if (wasCurrent) {
      const fallback = organisations.value.find((t) => t.isLocal) ?? organisations.value[0];
      if (fallback) await use(fallback.id);
    }
    return answer;
  }

  return {
    organisations,
    knownId,
    currentId,
    isReady,
    ready,
    whenReady,
    current,
    currentName,
    ...status,
    ...syncs,
    onDataChange,
    load,
    use,
    add,
    changeSignIn,
    test,
    details,
    remove,
  };
});
