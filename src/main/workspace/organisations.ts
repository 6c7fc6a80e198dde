// The organisations repository: the Identity Server organisations this workspace connects to.
import type { SignInMethod } from '../../shared/model';
import type { Db } from './database';

export interface OrganisationRecord {
  id: string;
  displayName: string;
  baseUrl: string;
  orgName: string;
  partitionGlobalId: string;
  /** The admin application's App ID (adminApp, embedded), or the App ID the admin signs in through (account). */
  adminClientId: string;
  isLocal: boolean;
  signIn: SignInMethod;
}

interface Row {
  id: string;
  display_name: string;
  base_url: string;
  org_name: string;
  partition_global_id: string;
  admin_client_id: string;
  is_local: number;
  sign_in: SignInMethod;
}

const COLUMNS = 'id, display_name, base_url, org_name, partition_global_id, admin_client_id, is_local, sign_in';

function fromRow(row: Row): OrganisationRecord {
  return {
    id: row.id,
    displayName: row.display_name,
    baseUrl: row.base_url,
    orgName: row.org_name,
    partitionGlobalId: row.partition_global_id,
    adminClientId: row.admin_client_id,
    isLocal: row.is_local === 1,
    signIn: row.sign_in,
  };
}

export function organisationRepository(db: Db) {
  const all = db.prepare<[], Row>(`SELECT ${COLUMNS} FROM tenants ORDER BY is_local DESC, display_name`);
  const one = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM tenants WHERE id = ?`);
  const upsert = db.prepare(`
    INSERT INTO tenants (${COLUMNS}, created_at, updated_at)
    VALUES (@id, @displayName, @baseUrl, @orgName, @partitionGlobalId, @adminClientId, @isLocal, @signIn, @now, @now)
    ON CONFLICT (id) DO UPDATE SET
      display_name = excluded.display_name, base_url = excluded.base_url, org_name = excluded.org_name,
      partition_global_id = excluded.partition_global_id, admin_client_id = excluded.admin_client_id,
      is_local = excluded.is_local, sign_in = excluded.sign_in, updated_at = excluded.updated_at`);
  const fetchedAt = db.prepare<[string], { at: string | null }>(
    'SELECT registrations_fetched_at AS at FROM tenants WHERE id = ?',
  );
  const setFetchedAt = db.prepare('UPDATE tenants SET registrations_fetched_at = ? WHERE id = ?');
  // Its cache rows and kept secrets go with it (ON DELETE CASCADE); the activity list keeps its history.
  const remove = db.prepare('DELETE FROM tenants WHERE id = ?');

  return {
    list(): OrganisationRecord[] {
      return all.all().map(fromRow);
    },
    get(id: string): OrganisationRecord | null {
      const row = one.get(id);
      return row ? fromRow(row) : null;
    },
    /** Records the organisation; without a sign-in method, the embedded one's own or an admin application's. */
    save(organisation: Omit<OrganisationRecord, 'signIn'> & { signIn?: SignInMethod }): void {
      upsert.run({
        ...organisation,
        isLocal: organisation.isLocal ? 1 : 0,
        signIn: organisation.signIn ?? (organisation.isLocal ? 'embedded' : 'adminApp'),
        now: new Date().toISOString(),
      });
    },
    /** Forgets the organisation and, by cascade, its cached catalogue and registrations and its kept secrets' records. */
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
    /** When the organisation's applications were last fetched into the cache; null when never. */
    registrationsFetchedAt(id: string): string | null {
      return fetchedAt.get(id)?.at ?? null;
    },
    setRegistrationsFetchedAt(id: string, at: string | null): void {
      setFetchedAt.run(at, id);
    },
  };
}
export type OrganisationRepository = ReturnType<typeof organisationRepository>;
