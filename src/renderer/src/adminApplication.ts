// Which application of the current organisation is its admin application (the one OAuth Desk manages it through),
// so the list and its page can mark it, and the page offer how to retire it instead of Delete.
import { shallowRef, watch, type ShallowRef } from 'vue';
import type { OrganisationDetails } from '../../shared/model';
import { useOrganisationStore } from './stores/organisation';

export type AdminApplication = Pick<OrganisationDetails, 'adminClientId' | 'isLocal' | 'orgName'>;

/** The current organisation's admin application; null until known (or when its details cannot be read). */
export function useAdminApplication(): ShallowRef<AdminApplication | null> {
  const organisation = useOrganisationStore();
  const admin = shallowRef<AdminApplication | null>(null);
  watch(
    () => organisation.currentId,
    async (id) => {
      admin.value = null;
      // Without the details nothing is marked; Delete is still refused by main with its reason.
      const details = await organisation.details(id).catch(() => null);
      if (details && id === organisation.currentId) admin.value = details;
    },
    { immediate: true },
  );
  return admin;
}
