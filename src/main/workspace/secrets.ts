// The kept secrets: which keychain entry holds each secret, with a fingerprint. Never the secret's value.
import { createHash } from 'node:crypto';
import type { ExternalClient, KeychainRef } from '../../shared/model';
import type { Db } from './database';

/** Where this workspace keeps one secret of an application in the keychain, and when it was made. */
export interface KeptSecret {
  organisationId: string;
  clientId: string;
  secretId: string;
  keychain: KeychainRef;
  createdAt: string;
  expiresAt: string | null;
  fingerprint: string;
}

/** The first 8 hex digits of the value's SHA-256: tells entries apart, reveals nothing usable. */
export function fingerprintOf(secretValue: string): string {
  return createHash('sha256').update(secretValue, 'utf8').digest('hex').slice(0, 8);
}

interface Row {
  tenant_id: string;
  client_id: string;
  secret_id: string;
  keychain_service: string;
  keychain_account: string;
  created_at: string;
  expires_at: string | null;
  fingerprint: string;
}

function fromRow(row: Row): KeptSecret {
  return {
    organisationId: row.tenant_id,
    clientId: row.client_id,
    secretId: row.secret_id,
    keychain: { service: row.keychain_service, account: row.keychain_account },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    fingerprint: row.fingerprint,
  };
}

/** The repository's statements over the kept secrets, and over those still awaiting their integer IDs. */
function secretStatements(db: Db) {
  // Kept secrets awaiting their integer IDs (migration 0007) are still kept: listed, found and removed with the rest,
  // under their old IDs, until `adoptAwaiting` gives them their new ones.
  const awaitingColumns = `tenant_id, client_id, legacy_secret_id AS secret_id, keychain_service, keychain_account,
    created_at, expires_at, fingerprint`;
  return {
    byClient: db.prepare<[string, string, string, string], Row>(`
    SELECT * FROM secrets WHERE tenant_id = ? AND client_id = ?
    UNION ALL SELECT ${awaitingColumns} FROM secrets_awaiting_id WHERE tenant_id = ? AND client_id = ?
    ORDER BY created_at`),
    one: db.prepare<[string, string, string, string], Row>(`
    SELECT * FROM secrets WHERE tenant_id = ? AND secret_id = ?
    UNION ALL SELECT ${awaitingColumns} FROM secrets_awaiting_id WHERE tenant_id = ? AND legacy_secret_id = ?`),
    keptUnder: db.prepare<[string, string], Row>('SELECT * FROM secrets WHERE tenant_id = ? AND secret_id = ?'),
    // The ones awaiting their integer IDs too (migration 0007): their keychain entries are the organisation's as well.
    byOrganisation: db.prepare<[string, string], Row>(`
    SELECT * FROM secrets WHERE tenant_id = ?
    UNION ALL SELECT ${awaitingColumns} FROM secrets_awaiting_id WHERE tenant_id = ?
    ORDER BY created_at`),
    upsert: db.prepare(`
    INSERT INTO secrets (tenant_id, client_id, secret_id, keychain_service, keychain_account, created_at, expires_at, fingerprint)
    VALUES (@organisationId, @clientId, @secretId, @service, @account, @createdAt, @expiresAt, @fingerprint)
    ON CONFLICT (tenant_id, secret_id) DO UPDATE SET
      client_id = excluded.client_id, created_at = excluded.created_at, keychain_service = excluded.keychain_service, keychain_account = excluded.keychain_account,
      expires_at = excluded.expires_at, fingerprint = excluded.fingerprint`),
    remove: db.prepare('DELETE FROM secrets WHERE tenant_id = ? AND secret_id = ?'),
    removeForClient: db.prepare('DELETE FROM secrets WHERE tenant_id = ? AND client_id = ?'),
    removeAwaiting: db.prepare('DELETE FROM secrets_awaiting_id WHERE tenant_id = ? AND legacy_secret_id = ?'),
    removeAwaitingForClient: db.prepare('DELETE FROM secrets_awaiting_id WHERE tenant_id = ? AND client_id = ?'),
    awaitingOfClient: db.prepare<[string, string], Row & { legacy_secret_id: string }>(
      'SELECT *, legacy_secret_id AS secret_id FROM secrets_awaiting_id WHERE tenant_id = ? AND client_id = ?',
    ),
    anyAwaiting: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM secrets_awaiting_id WHERE tenant_id = ?',
    ),
    adopted: db.prepare('DELETE FROM secrets_awaiting_id WHERE tenant_id = ? AND legacy_secret_id = ?'),
  };
}

export function secretRepository(db: Db) {
  const sql = secretStatements(db);

  return {
    /** Whether kept secrets of the organisation still wait for their integer IDs (migration 0007). */
    awaitingIds(organisationId: string): boolean {
      return (sql.anyAwaiting.get(organisationId)?.n ?? 0) > 0;
    },
    /**
     * Kept secrets recorded under an old text ID (migration 0007) take the integer ID of the secret of `app` made at
     * the same instant, when exactly one is; their keychain entries stay as they are.
     */
    adoptAwaiting(organisationId: string, app: ExternalClient): void {
      const awaiting = sql.awaitingOfClient.all(organisationId, app.id);
      if (awaiting.length === 0) return;
      db.transaction(() => {
        for (const row of awaiting) {
          const matches = app.secrets.filter((s) => s.creationTime === row.created_at);
          const match = matches.length === 1 ? matches[0] : undefined;
          if (!match || sql.keptUnder.get(organisationId, match.id)) continue;
          sql.upsert.run({
            organisationId,
            clientId: row.client_id,
            secretId: match.id,
            service: row.keychain_service,
            account: row.keychain_account,
            createdAt: row.created_at,
            expiresAt: row.expires_at,
            fingerprint: row.fingerprint,
          });
          sql.adopted.run(organisationId, row.legacy_secret_id);
        }
      })();
    },
    listForClient(organisationId: string, clientId: string): KeptSecret[] {
      return sql.byClient.all(organisationId, clientId, organisationId, clientId).map(fromRow);
    },
    /** Every secret this workspace keeps for the organisation: what goes from the keychain when the organisation is removed. */
    listForOrganisation(organisationId: string): KeptSecret[] {
      return sql.byOrganisation.all(organisationId, organisationId).map(fromRow);
    },
    get(organisationId: string, secretId: string): KeptSecret | null {
      const row = sql.one.get(organisationId, secretId, organisationId, secretId);
      return row ? fromRow(row) : null;
    },
    save(kept: KeptSecret): void {
      sql.upsert.run({
        organisationId: kept.organisationId,
        clientId: kept.clientId,
        secretId: kept.secretId,
        service: kept.keychain.service,
        account: kept.keychain.account,
        createdAt: kept.createdAt,
        expiresAt: kept.expiresAt,
        fingerprint: kept.fingerprint,
      });
    },
    delete(organisationId: string, secretId: string): void {
      sql.remove.run(organisationId, secretId);
      sql.removeAwaiting.run(organisationId, secretId);
    },
    deleteForClient(organisationId: string, clientId: string): void {
      sql.removeForClient.run(organisationId, clientId);
      sql.removeAwaitingForClient.run(organisationId, clientId);
    },
  };
}
export type SecretRepository = ReturnType<typeof secretRepository>;
