// The federated credentials of one application (secretless sign-in): listed, added, replaced and deleted on the
// organisation through main, a pasted JWT checked against them in main, and when this workspace added the first one
// (its Activity entry), which going secretless measures the secrets' last use against.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { FederatedCredential, FederatedTokenCheck } from '../../../shared/contract';
import type { FederatedCredentialFields } from '../../../shared/federated';
import { api } from '../api';
import { useApplicationsStore } from './applications';
import { useOrganisationStore } from './organisation';

export const useFederatedCredentialsStore = defineStore('federatedCredentials', () => {
  const organisation = useOrganisationStore();
  const applications = useApplicationsStore();

  const clientId = ref<string | null>(null);
  const credentials = shallowRef<FederatedCredential[]>([]);
  const loaded = ref(false);
  /** When the first of its credentials was added, as Activity recorded it (ISO); null when not known here. */
  const addedAt = ref<string | null>(null);
  /** The organisation's identity URL (…/identity_), the audience a pipeline asks for by default. */
  const identityUrl = ref('');

  /** The earliest Activity entry that added one of the credentials the application has now (its detail names its ID). */
  async function readAddedAt(forClient: string): Promise<void> {
    const ids = credentials.value.map((c) => c.id);
    const entries = await api.listActivity({ limit: 1000 });
    const added = entries
      .filter(
        (e) => e.action === 'federated.create' && e.target === forClient && e.organisation === organisation.currentId,
      )
      .filter((e) => ids.some((id) => e.detail.includes(`(${id})`)))
      .map((e) => e.at)
      .sort();
    if (clientId.value === forClient) addedAt.value = added[0] ?? null;
  }

  async function readIdentityUrl(): Promise<void> {
    const details = await api.showOrganisation({ organisation: organisation.currentId });
    identityUrl.value = details.issuer;
  }

  async function load(forClient: string): Promise<void> {
    if (clientId.value !== forClient) {
      credentials.value = [];
      loaded.value = false;
      addedAt.value = null;
    }
    clientId.value = forClient;
    const listed = await api.listFederatedCredentials({ organisation: organisation.currentId, clientId: forClient });
    applications.countFederated(forClient, listed.length);
    if (clientId.value !== forClient) return;
    credentials.value = listed;
    loaded.value = true;
    await Promise.all([readAddedAt(forClient), readIdentityUrl()]).catch(() => undefined);
  }

  /** Adds one (`id` null) or replaces one whole, then reads the list again. */
  async function save(forClient: string, id: string | null, fields: FederatedCredentialFields) {
    const place = { organisation: organisation.currentId, clientId: forClient, ...fields };
    const saved = await (id === null
      ? api.createFederatedCredential(place)
      : api.updateFederatedCredential({ ...place, id }));
    await load(forClient).catch(() => undefined);
    return saved;
  }

  async function remove(forClient: string, id: string): Promise<void> {
    await api.deleteFederatedCredential({ organisation: organisation.currentId, clientId: forClient, id });
    await load(forClient).catch(() => undefined);
  }

  /** Main decodes the token and judges it; the page only sends it there. */
  function check(forClient: string, jwt: string): Promise<FederatedTokenCheck> {
    return api.checkFederatedToken({ organisation: organisation.currentId, clientId: forClient, jwt });
  }

  /** The credentials, when they are this application's. */
  function of(forClient: string): FederatedCredential[] {
    return clientId.value === forClient ? credentials.value : [];
  }

  return { clientId, credentials, loaded, addedAt, identityUrl, load, save, remove, check, of };
});
