// The catalogue cache: each organisation's API resources and scopes as last fetched, for the wizard offline.
import type { Catalogue } from '../../shared/model';
import type { Db } from './database';

export function catalogueCacheRepository(db: Db) {
  const read = db.prepare<[string], { json: string }>('SELECT json FROM catalogue_cache WHERE tenant_id = ?');
  const write = db.prepare(`
    INSERT INTO catalogue_cache (tenant_id, json, fetched_at) VALUES (?, ?, ?)
    ON CONFLICT (tenant_id) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`);

  return {
    get(organisationId: string): Catalogue | null {
      const row = read.get(organisationId);
      return row ? (JSON.parse(row.json) as Catalogue) : null;
    },
    save(organisationId: string, catalogue: Catalogue): void {
      write.run(organisationId, JSON.stringify(catalogue), new Date().toISOString());
    },
  };
}
export type CatalogueCacheRepository = ReturnType<typeof catalogueCacheRepository>;
