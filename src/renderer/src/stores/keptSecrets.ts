// The application secrets of removed organisations that the keychain still holds: listed in organisation settings,
// each copied through main's clipboard or deleted from the keychain. Read when that list is shown, and after a removal.
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { OutputOf } from '../../../shared/contract';
import type { KeptSecretOfRemoved } from '../../../shared/model';
import { api } from '../api';

export const useKeptSecretsStore = defineStore('keptSecrets', () => {
  const secrets = shallowRef<KeptSecretOfRemoved[]>([]);

  async function load(): Promise<void> {
    secrets.value = await api.listKeptSecretsOfRemoved({});
  }

  function copy(account: string): Promise<OutputOf<'copyKeptSecretOfRemoved'>> {
    return api.copyKeptSecretOfRemoved({ account });
  }

  async function remove(account: string): Promise<void> {
    await api.deleteKeptSecretOfRemoved({ account });
    secrets.value = secrets.value.filter((k) => k.keychain.account !== account);
  }

  return { secrets, load, copy, remove };
});
