// The users of the local organisation, who sign in on its Identity Server's page when an application asks for user scopes.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { InputOf } from '../../../shared/contract';
import type { LocalUser } from '../../../shared/model';
import { api } from '../api';
import { useOrganisationStore } from './organisation';

/** The Add User form: what createUser takes, the organisation aside. */
export type NewUser = Omit<InputOf<'createUser'>, 'organisation'>;

export const useUsersStore = defineStore('users', () => {
  const organisation = useOrganisationStore();
  const users = shallowRef<LocalUser[]>([]);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      users.value = await api.listUsers({ organisation: organisation.currentId });
    } finally {
      loading.value = false;
    }
  }

  /** The password goes to main once and is not kept here. */
  async function create(user: NewUser): Promise<LocalUser> {
    const created = await api.createUser({
      organisation: organisation.currentId,
      userName: user.userName.trim(),
      displayName: user.displayName.trim(),
      password: user.password,
    });
    users.value = [...users.value.filter((u) => u.userName !== created.userName), created];
    return created;
  }

  async function remove(userName: string): Promise<void> {
    await api.deleteUser({ organisation: organisation.currentId, userName });
    users.value = users.value.filter((u) => u.userName !== userName);
  }

  return { users, loading, load, create, remove };
});
