// The one organisation (and its partition) this Identity Server serves, created on first start and kept.
import { randomUUID } from 'node:crypto';
import type { IdentityDatabase } from './database';

export interface Organization {
  name: string;
  partitionGlobalId: string;
  adminClientId: string | null;
}

interface OrganizationRow {
  name: string;
  partition_global_id: string;
  admin_client_id: string | null;
}

/** Reads the organisation, creating it on first start; a changed `name` is recorded, the partition never changes. */
export function loadOrganization(db: IdentityDatabase, name: string): Organization {
  return db.transaction(() => {
    let row = db.prepare('SELECT name, partition_global_id, admin_client_id FROM organization WHERE id = 1').get() as
      OrganizationRow | undefined;
    if (!row) {
      row = { name, partition_global_id: randomUUID(), admin_client_id: null };
      db.prepare('INSERT INTO organization (id, name, partition_global_id, creation_time) VALUES (1, ?, ?, ?)').run(
        name,
        row.partition_global_id,
        new Date().toISOString(),
      );
    } else if (row.name !== name) {
      db.prepare('UPDATE organization SET name = ? WHERE id = 1').run(name);
      row = { ...row, name };
    }
    return { name: row.name, partitionGlobalId: row.partition_global_id, adminClientId: row.admin_client_id };
  })();
}

export function recordAdminClient(db: IdentityDatabase, clientId: string): void {
  db.prepare('UPDATE organization SET admin_client_id = ? WHERE id = 1').run(clientId);
}
