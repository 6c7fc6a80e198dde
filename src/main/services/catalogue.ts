// The catalogue service: a tenant's API resources and scopes, fetched from the tenant and cached for offline use.
import { AppError } from '../../shared/errors';
import type { Catalogue } from '../../shared/model';
import type { CallOptions } from '../tenant/client';
import type { Workspace } from '../workspace/workspace';
import type { TenantService } from './organisations';

export function catalogueService(deps: { workspace: Workspace; tenants: TenantService }) {
  const { workspace, tenants } = deps;

  async function fetchAndCache(tenantId: string, call: CallOptions = {}): Promise<Catalogue> {
    const catalogue = await tenants.client(tenantId).catalogue(call);
    workspace.catalogue.save(tenantId, catalogue);
    return catalogue;
  }

  return {
    /** Fetches the catalogue from the organisation and caches it, whatever is cached (a sync); stoppable by `signal`. */
    refresh: fetchAndCache,

    /** The cached catalogue; fetched when asked, or when none is cached yet. Offline, the cache answers. */
    async list(tenantId: string, refresh: boolean): Promise<Catalogue> {
      tenants.get(tenantId);
      const cached = workspace.catalogue.get(tenantId);
      if (cached && !refresh) return cached;
      try {
        return await fetchAndCache(tenantId);
      } catch (error) {
        if (cached && error instanceof AppError && error.code === 'tenant_unreachable') return cached;
        throw error;
      }
    },
  };
}
export type CatalogueService = ReturnType<typeof catalogueService>;
