// The App Secret section of one application: its secrets with their keychain entries, generating a new one (replace or
// rotate with overlap), deleting one, and copying one from the keychain (main puts it on the clipboard, never here).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { OutputOf, RawInputOf } from '../../../shared/contract';
import type { AppSecret } from '../../../shared/model';
import { secretsLeftBehind } from '../../../shared/secrets';
import { api } from '../api';
import { useApplicationStore } from './application';
import { useOrganisationStore } from './organisation';

/** What Generate New asks for: description, expiry and mode; the organisation and application are the section's. */
export type SecretRequest = Omit<RawInputOf<'generateSecret'>, 'organisation' | 'clientId'>;
export type RotationMode = SecretRequest['mode'];

/** What Generate New answers: the secret to show once, and for a replacement the secrets deleted. */
export type GeneratedSecret = OutputOf<'generateSecret'> & {
  mode: RotationMode;
  /** The deleted secrets as the section listed them, to say which ones stopped working. */
  replacedRecords: AppSecret[];
};

export const useSecretsStore = defineStore('secrets', () => {
  const organisation = useOrganisationStore();
  const application = useApplicationStore();

  const clientId = ref<string | null>(null);
  const secrets = shallowRef<AppSecret[]>([]);
  const loading = ref(false);

  /** Older secrets the integration has stopped using since the newest one was created (after an overlap rotation). */
  const leftBehind = computed(() => {
    const ids = new Set(secretsLeftBehind(secrets.value));
    return secrets.value.filter((s) => ids.has(s.id));
  });

  async function load(forClient: string): Promise<void> {
    if (clientId.value !== forClient) secrets.value = [];
    clientId.value = forClient;
    loading.value = true;
    try {
      const listed = await api.listSecrets({ organisation: organisation.currentId, clientId: forClient });
      // Newest first: the secret an integration should be using leads.
      if (clientId.value === forClient)
        secrets.value = [...listed].sort((a, b) => Date.parse(b.creationTime ?? '') - Date.parse(a.creationTime ?? ''));
    } finally {
      loading.value = false;
    }
  }

  /** Reloads the secrets and the application (the list's secret count and expiry mark follow). */
  async function reload(forClient: string): Promise<void> {
    await Promise.all([load(forClient), application.load(forClient)]);
  }

  /** The answer (and the secret in it) goes back to the caller, to be shown until its dialog closes; it is not kept here. */
  async function generate(forClient: string, request: SecretRequest): Promise<GeneratedSecret> {
    const before = secrets.value;
    const answer = await api.generateSecret({ organisation: organisation.currentId, clientId: forClient, ...request });
    await reload(forClient).catch(() => undefined);
    const replaced = new Set(answer.replaced);
    return { ...answer, mode: request.mode, replacedRecords: before.filter((s) => replaced.has(s.id)) };
  }

  async function remove(forClient: string, secretId: string): Promise<void> {
    await api.deleteSecret({ organisation: organisation.currentId, clientId: forClient, secretId });
    await reload(forClient).catch(() => undefined);
  }

  function copy(forClient: string, secretId: string): Promise<OutputOf<'copySecretToClipboard'>> {
    return api.copySecretToClipboard({ organisation: organisation.currentId, clientId: forClient, secretId });
  }

  return { secrets, loading, leftBehind, load, reload, generate, remove, copy };
});
