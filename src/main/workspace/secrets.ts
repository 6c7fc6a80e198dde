// The kept secrets: which keychain entry holds each secret, with a fingerprint. Never the secret's value.
import { createHash } from 'node:crypto';
import type { KeychainRef } from '../../shared/model';
import type { Db } from './database';

/** Where this workspace keeps one secret of an application in the keychain, and when it was made. */
export interface KeptSecret {
  tenantId: string;
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
    tenantId: row.tenant_id,
    clientId: row.client_id,
    secretId: row.secret_id,
    keychain: { service: row.keychain_service, account: row.keychain_account },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    fingerprint: row.fingerprint,
  };
}

export function secretRepository(db: Db) {
  const byClient = db.prepare<[string, string], Row>(
    'SELECT * FROM secrets WHERE tenant_id = ? AND client_id = ? ORDER BY created_at',
  );
  const one = db.prepare<[string, string], Row>('SELECT * FROM secrets WHERE tenant_id = ? AND secret_id = ?');
  const byTenant = db.prepare<[string], Row>('SELECT * FROM secrets WHERE tenant_id = ? ORDER BY created_at');
  const upsert = db.prepare(`
    INSERT INTO secrets (tenant_id, client_id, secret_id, keychain_service, keychain_account, created_at, expires_at, fingerprint)
    VALUES (@tenantId, @clientId, @secretId, @service, @account, @createdAt, @expiresAt, @fingerprint)
    ON CONFLICT (tenant_id, secret_id) DO UPDATE SET
      keychain_service = excluded.keychain_service, keychain_account = excluded.keychain_account,
      expires_at = excluded.expires_at, fingerprint = excluded.fingerprint`);
  const remove = db.prepare('DELETE FROM secrets WHERE tenant_id = ? AND secret_id = ?');
  const removeForClient = db.prepare('DELETE FROM secrets WHERE tenant_id = ? AND client_id = ?');

  return {
    listForClient(tenantId: string, clientId: string): KeptSecret[] {
      return byClient.all(tenantId, clientId).map(fromRow);
    },
    /** Every secret this workspace keeps for the tenant: what goes from the keychain when the tenant is removed. */
    listForTenant(tenantId: string): KeptSecret[] {
      return byTenant.all(tenantId).map(fromRow);
    },
    get(tenantId: string, secretId: string): KeptSecret | null {
      const row = one.get(tenantId, secretId);
      return row ? fromRow(row) : null;
    },
    save(kept: KeptSecret): void {
      upsert.run({
        tenantId: kept.tenantId,
        clientId: kept.clientId,
        secretId: kept.secretId,
        service: kept.keychain.service,
        account: kept.keychain.account,
        createdAt: kept.createdAt,
        expiresAt: kept.expiresAt,
        fingerprint: kept.fingerprint,
      });
    },
    delete(tenantId: string, secretId: string): void {
      remove.run(tenantId, secretId);
    },
    deleteForClient(tenantId: string, clientId: string): void {
      removeForClient.run(tenantId, clientId);
    },
  };
}
export type SecretRepository = ReturnType<typeof secretRepository>;
