// oidc-provider's adapter for its own models (sessions, grants, codes, refresh tokens, interactions…) in SQLite.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { IdentityDatabase } from './database';

interface ModelRow {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

/** One instance per model name, as oidc-provider asks; all share one table keyed by (model, id). */
export class OidcModelAdapter implements Adapter {
  private readonly upsertRow;
  private readonly findRow;
  private readonly findByUidRow;
  private readonly findByUserCodeRow;
  private readonly consumeRow;
  private readonly destroyRow;
  private readonly revokeGrantRows;

  constructor(
    db: IdentityDatabase,
    private readonly model: string,
  ) {
    this.upsertRow = db.prepare(
      `INSERT INTO oidc_model (model, id, payload, grant_id, user_code, uid, client_id, account_id, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
         user_code = excluded.user_code, uid = excluded.uid, client_id = excluded.client_id,
         account_id = excluded.account_id, expires_at = excluded.expires_at`,
    );
    this.findRow = db.prepare('SELECT payload, expires_at, consumed_at FROM oidc_model WHERE model = ? AND id = ?');
    this.findByUidRow = db.prepare(
      'SELECT payload, expires_at, consumed_at FROM oidc_model WHERE model = ? AND uid = ?',
    );
    this.findByUserCodeRow = db.prepare(
      'SELECT payload, expires_at, consumed_at FROM oidc_model WHERE model = ? AND user_code = ?',
    );
    this.consumeRow = db.prepare('UPDATE oidc_model SET consumed_at = ? WHERE model = ? AND id = ?');
    this.destroyRow = db.prepare('DELETE FROM oidc_model WHERE model = ? AND id = ?');
    // A grant's revocation takes every artifact issued under it, whatever its model.
    this.revokeGrantRows = db.prepare('DELETE FROM oidc_model WHERE grant_id = ?');
  }

  upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    return settled(() => {
      const expiresAt = expiresIn ? nowSeconds() + expiresIn : null;
      this.upsertRow.run(
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.userCode ?? null,
        payload.uid ?? null,
        payload.clientId ?? null,
        payload.accountId ?? null,
        expiresAt,
      );
    });
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return settled(() => this.read(this.findRow.get(this.model, id) as ModelRow | undefined));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return settled(() => this.read(this.findByUidRow.get(this.model, uid) as ModelRow | undefined));
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return settled(() => this.read(this.findByUserCodeRow.get(this.model, userCode) as ModelRow | undefined));
  }

  consume(id: string): Promise<void> {
    return settled(() => {
      this.consumeRow.run(nowSeconds(), this.model, id);
    });
  }

  destroy(id: string): Promise<void> {
    return settled(() => {
      this.destroyRow.run(this.model, id);
    });
  }

  revokeByGrantId(grantId: string): Promise<void> {
    return settled(() => {
      this.revokeGrantRows.run(grantId);
    });
  }

  private read(row: ModelRow | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= nowSeconds()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at !== null ? { ...payload, consumed: row.consumed_at } : payload;
  }
}

/**
 * The records as a whole, outside oidc-provider: sweeping the expired ones (the provider ignores them but never
 * deletes them), and taking an application's or a user's grants, codes, sessions and tokens when it is deleted.
 */
export class OidcRecords {
  private readonly deleteExpiredRows;
  private readonly deleteClientRows;
  private readonly deleteAccountRows;

  constructor(db: IdentityDatabase) {
    this.deleteExpiredRows = db.prepare('DELETE FROM oidc_model WHERE expires_at <= ?');
    this.deleteClientRows = db.prepare('DELETE FROM oidc_model WHERE client_id = ?');
    this.deleteAccountRows = db.prepare('DELETE FROM oidc_model WHERE account_id = ?');
  }

  /** Deletes every record expired at `now`; returns how many. */
  deleteExpired(now: Date = new Date()): number {
    return this.deleteExpiredRows.run(Math.floor(now.getTime() / 1000)).changes;
  }

  /** The application's grants, codes and tokens. */
  forgetClient(clientId: string): number {
    return this.deleteClientRows.run(clientId).changes;
  }

  /** The user's sessions, grants, codes and tokens: the user is signed out everywhere. */
  forgetAccount(accountId: string): number {
    return this.deleteAccountRows.run(accountId).changes;
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * oidc-provider's adapter methods answer with promises; better-sqlite3 works synchronously. The work runs now, and a
 * throw rejects the promise, as it would from an async method.
 */
export function settled<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}
