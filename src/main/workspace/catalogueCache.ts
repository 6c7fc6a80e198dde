// The catalogue cache: each tenant's API resources and scopes as last fetched, for the wizard offline.
import type { Catalogue } from '../../shared/model';
import type { Db } from './database';

export interface CachedCatalogue {
  catalogue: Catalogue;
  fetchedAt: string;
}

export function catalogueCacheRepository(db: Db) {
  const read = db.prepare<[string], { json: string; fetched_at: string }>(
    'SELECT json, fetched_at FROM catalogue_cache WHERE tenant_id = ?',
  );
  const write = db.prepare(`
    INSERT INTO catalogue_cache (tenant_id, json, fetched_at) VALUES (?, ?, ?)
    ON CONFLICT (tenant_id) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`);

  return {
    get(tenantId: string): CachedCatalogue | null {
      const row = read.get(tenantId);
      return row ? { catalogue: JSON.parse(row.json) as Catalogue, fetchedAt: row.fetched_at } : null;
    },
    save(tenantId: string, catalogue: Catalogue): void {
      write.run(tenantId, JSON.stringify(catalogue), new Date().toISOString());
    },
  };
}
export type CatalogueCacheRepository = ReturnType<typeof catalogueCacheRepository>;
