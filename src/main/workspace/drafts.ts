// The drafts repository: registrations saved without a server, each of one organisation, until they are registered.
import type { ScopeRequest } from '../../shared/model';
import { registrationFieldsOf, type RegistrationColumns } from '../../node/registrationRow';
import type { Db } from './database';

export interface DraftRecord {
  id: string;
  organisation: string;
  name: string;
  isConfidential: boolean;
  redirectUri: string | null;
  scopes: ScopeRequest[];
  createdAt: string;
  updatedAt: string;
}

interface Row extends RegistrationColumns {
  id: string;
  tenant_id: string;
  scopes: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, tenant_id, name, is_confidential, redirect_uri, scopes, created_at, updated_at';

function fromRow(row: Row): DraftRecord {
  return {
    id: row.id,
    organisation: row.tenant_id,
    ...registrationFieldsOf(row),
    scopes: JSON.parse(row.scopes) as ScopeRequest[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function draftRepository(db: Db) {
  const ofOrganisation = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM drafts WHERE tenant_id = ? ORDER BY name COLLATE NOCASE, id`,
  );
  const one = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM drafts WHERE id = ?`);
  const upsert = db.prepare(`
    INSERT INTO drafts (${COLUMNS})
    VALUES (@id, @organisation, @name, @isConfidential, @redirectUri, @scopes, @createdAt, @updatedAt)
    ON CONFLICT (id) DO UPDATE SET
      name = excluded.name, is_confidential = excluded.is_confidential, redirect_uri = excluded.redirect_uri,
      scopes = excluded.scopes, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM drafts WHERE id = ?');

  return {
    list(organisationId: string): DraftRecord[] {
      return ofOrganisation.all(organisationId).map(fromRow);
    },
    get(id: string): DraftRecord | null {
      const row = one.get(id);
      return row ? fromRow(row) : null;
    },
    save(draft: DraftRecord): void {
      upsert.run({ ...draft, isConfidential: draft.isConfidential ? 1 : 0, scopes: JSON.stringify(draft.scopes) });
    },
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
  };
}
export type DraftRepository = ReturnType<typeof draftRepository>;
