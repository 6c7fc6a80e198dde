// The catalogue service: a tenant's API resources and scopes, fetched from the tenant and cached for offline use.
import { AppError } from '../../shared/errors';
import type { Catalogue } from '../../shared/model';
import type { Workspace } from '../workspace/workspace';
import type { TenantService } from './tenants';

export function catalogueService(deps: { workspace: Workspace; tenants: TenantService }) {
  const { workspace, tenants } = deps;

  async function fetchAndCache(tenantId: string): Promise<Catalogue> {
    const catalogue = await tenants.client(tenantId).catalogue();
    workspace.catalogue.save(tenantId, catalogue);
    return catalogue;
  }

  return {
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
