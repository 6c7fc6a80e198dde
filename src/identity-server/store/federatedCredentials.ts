// An application's federated credentials, and the assertions already used (their jti until they expire), in the
// Identity Server's SQLite.
import { randomUUID } from 'node:crypto';
import type { FederatedCredentialFields, FederatedCredentialLike } from '../../shared/federated';
import type { IdentityDatabase } from './database';

export interface StoredFederatedCredential extends FederatedCredentialLike {
  clientId: string;
  creationTime: string;
}

interface CredentialRow {
  id: string;
  client_id: string;
  name: string;
  description: string | null;
  issuer: string;
  audience: string;
  subject: string;
  creation_time: string;
}

function fromRow(row: CredentialRow): StoredFederatedCredential {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    issuer: row.issuer,
    audience: row.audience,
    subject: row.subject,
    creationTime: row.creation_time,
  };
}

export class FederatedCredentialStore {
  constructor(private readonly db: IdentityDatabase) {}

  list(clientId: string): StoredFederatedCredential[] {
    const rows = this.db
      .prepare('SELECT * FROM federated_credential WHERE client_id = ? ORDER BY creation_time, id')
      .all(clientId) as CredentialRow[];
    return rows.map(fromRow);
  }

  get(clientId: string, id: string): StoredFederatedCredential | null {
    const row = this.db
      .prepare('SELECT * FROM federated_credential WHERE client_id = ? AND lower(id) = lower(?)')
      .get(clientId, id) as CredentialRow | undefined;
    return row ? fromRow(row) : null;
  }

  create(clientId: string, fields: FederatedCredentialFields, now = new Date()): StoredFederatedCredential {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO federated_credential (id, client_id, name, description, issuer, audience, subject, creation_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        clientId,
        fields.name,
        fields.description,
        fields.issuer,
        fields.audience,
        fields.subject,
        now.toISOString(),
      );
    const created = this.get(clientId, id);
    if (!created) throw new Error(`Federated credential ${id} is missing right after it was written.`);
    return created;
  }

  replace(clientId: string, id: string, fields: FederatedCredentialFields): StoredFederatedCredential | null {
    this.db
      .prepare(
        `UPDATE federated_credential SET name = ?, description = ?, issuer = ?, audience = ?, subject = ?
         WHERE client_id = ? AND id = ?`,
      )
      .run(fields.name, fields.description, fields.issuer, fields.audience, fields.subject, clientId, id);
    return this.get(clientId, id);
  }

  delete(clientId: string, id: string): boolean {
    return (
      this.db.prepare('DELETE FROM federated_credential WHERE client_id = ? AND id = ?').run(clientId, id).changes > 0
    );
  }

  /**
   * Records an assertion's jti until `expiresAt` (seconds since the epoch); false when it was already recorded and
   * has not expired yet (a replay). Expired records are swept on the way.
   */
  useOnce(issuer: string, jti: string, expiresAt: number, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM federated_assertion_use WHERE expires_at < ?').run(nowSeconds);
      const inserted = this.db
        .prepare('INSERT OR IGNORE INTO federated_assertion_use (issuer, jti, expires_at) VALUES (?, ?, ?)')
        .run(issuer, jti, expiresAt);
      return inserted.changes > 0;
    })();
  }
}
