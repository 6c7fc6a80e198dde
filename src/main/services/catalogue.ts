// The catalogue service: a organisation's API resources and scopes, fetched from the organisation and cached for offline use.
import { AppError } from '../../shared/errors';
import type { Catalogue } from '../../shared/model';
import type { CallOptions } from '../organisation/client';
import type { Workspace } from '../workspace/workspace';
import type { OrganisationService } from './organisations';
import { writeIfPossible } from '../workspace/unwritable';

export function catalogueService(deps: { workspace: Workspace; organisations: OrganisationService }) {
  const { workspace, organisations } = deps;

  async function fetchAndCache(organisationId: string, call: CallOptions = {}): Promise<Catalogue> {
    const catalogue = await organisations.client(organisationId).catalogue(call);
    // A cache: on a full or read-only disk the catalogue is used without being kept.
    writeIfPossible(() => workspace.catalogue.save(organisationId, catalogue));
    return catalogue;
  }

  return {
    /** Fetches the catalogue from the organisation and caches it, whatever is cached (a sync); stoppable by `signal`. */
    refresh: fetchAndCache,

    /** The cached catalogue; fetched when asked, or when none is cached yet. Offline, the cache answers. */
    async list(organisationId: string, refresh: boolean): Promise<Catalogue> {
      organisations.get(organisationId);
      const cached = workspace.catalogue.get(organisationId);
      if (cached && !refresh) return cached;
      try {
        return await fetchAndCache(organisationId);
      } catch (error) {
        if (cached && error instanceof AppError && error.code === 'organisation_unreachable') return cached;
        throw error;
      }
    },
  };
}
export type CatalogueService = ReturnType<typeof catalogueService>;
