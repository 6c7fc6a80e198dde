// The scope sets and pending changes repository: named sets of scopes kept across organisations, and applies of a set
// saved offline for after the next sync.
import type { ApplyMode, PendingChange, ScopeRequest } from '../../shared/model';
import type { Db } from './database';

export interface ScopeSetRecord {
  id: string;
  name: string;
  description: string;
  scopes: ScopeRequest[];
  createdAt: string;
  updatedAt: string;
}

interface SetRow {
  id: string;
  name: string;
  description: string;
  scopes: string;
  created_at: string;
  updated_at: string;
}

interface PendingRow {
  id: string;
  tenant_id: string;
  set_id: string;
  set_name: string;
  mode: ApplyMode;
  client_ids: string | null;
  totals: string;
  created_at: string;
}

export type PendingChangeRecord = PendingChange;

function fromSetRow(row: SetRow): ScopeSetRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    scopes: JSON.parse(row.scopes) as ScopeRequest[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function fromPendingRow(row: PendingRow): PendingChangeRecord {
  return {
    id: row.id,
    organisation: row.tenant_id,
    setId: row.set_id,
    setName: row.set_name,
    mode: row.mode,
    clientIds: row.client_ids === null ? null : (JSON.parse(row.client_ids) as string[]),
    totals: JSON.parse(row.totals) as PendingChange['totals'],
    createdAt: row.created_at,
  };
}

const SET_COLUMNS = 'id, name, description, scopes, created_at, updated_at';
const PENDING_SELECT = `
  SELECT p.id, p.tenant_id, p.set_id, s.name AS set_name, p.mode, p.client_ids, p.totals, p.created_at
  FROM pending_changes p JOIN scope_sets s ON s.id = p.set_id`;

export function scopeSetRepository(db: Db) {
  const all = db.prepare<[], SetRow>(`SELECT ${SET_COLUMNS} FROM scope_sets ORDER BY name COLLATE NOCASE`);
  const byId = db.prepare<[string], SetRow>(`SELECT ${SET_COLUMNS} FROM scope_sets WHERE id = ?`);
  const byName = db.prepare<[string], SetRow>(`SELECT ${SET_COLUMNS} FROM scope_sets WHERE name = ? COLLATE NOCASE`);
  const upsert = db.prepare(`
    INSERT INTO scope_sets (${SET_COLUMNS}) VALUES (@id, @name, @description, @scopes, @createdAt, @updatedAt)
    ON CONFLICT (id) DO UPDATE SET
      name = excluded.name, description = excluded.description, scopes = excluded.scopes, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM scope_sets WHERE id = ?');
  const pendingOf = db.prepare<[string], PendingRow>(`${PENDING_SELECT} WHERE p.tenant_id = ? ORDER BY p.created_at`);
  const pendingOne = db.prepare<[string], PendingRow>(`${PENDING_SELECT} WHERE p.id = ?`);
  const insertPending = db.prepare(`
    INSERT INTO pending_changes (id, tenant_id, set_id, mode, client_ids, totals, created_at)
    VALUES (@id, @organisation, @setId, @mode, @clientIds, @totals, @createdAt)`);
  const removePending = db.prepare('DELETE FROM pending_changes WHERE id = ?');
  const narrowPending = db.prepare('UPDATE pending_changes SET client_ids = ?, totals = ? WHERE id = ?');

  return {
    list(): ScopeSetRecord[] {
      return all.all().map(fromSetRow);
    },
    get(id: string): ScopeSetRecord | null {
      const row = byId.get(id);
      return row ? fromSetRow(row) : null;
    },
    /** The set whose name is `name`, compared without case. */
    findByName(name: string): ScopeSetRecord | null {
      const row = byName.get(name);
      return row ? fromSetRow(row) : null;
    },
    save(set: ScopeSetRecord): void {
      upsert.run({ ...set, scopes: JSON.stringify(set.scopes) });
    },
    /** Deletes the set and, by cascade, its pending changes. */
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
    pendingChanges(organisationId: string): PendingChangeRecord[] {
      return pendingOf.all(organisationId).map(fromPendingRow);
    },
    pendingChange(id: string): PendingChangeRecord | null {
      const row = pendingOne.get(id);
      return row ? fromPendingRow(row) : null;
    },
    savePendingChange(change: Omit<PendingChangeRecord, 'setName'>): void {
      insertPending.run({
        ...change,
        clientIds: change.clientIds === null ? null : JSON.stringify(change.clientIds),
        totals: JSON.stringify(change.totals),
      });
    },
    deletePendingChange(id: string): boolean {
      return removePending.run(id).changes > 0;
    },
    /** What remains of a pending change after a run: the applications not applied or refused yet, and their totals. */
    narrowPendingChange(id: string, clientIds: readonly string[], totals: PendingChange['totals']): boolean {
      return narrowPending.run(JSON.stringify(clientIds), JSON.stringify(totals), id).changes > 0;
    },
  };
}
export type ScopeSetRepository = ReturnType<typeof scopeSetRepository>;
