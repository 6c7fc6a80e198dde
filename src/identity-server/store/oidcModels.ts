// oidc-provider's adapter for its own models (sessions, grants, codes, refresh tokens, interactions…) in SQLite.
// Nothing at rest is usable as a token: a record is keyed by the SHA-256 of its ID (the ID of a code, a refresh token
// or a session cookie is the credential itself), and its payload keeps no copy of that ID.
import { createHash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { IdentityDatabase } from './database';

interface ModelRow {
  id: string;
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

/**
 * Where the record's own ID stood in its payload (its `jti`, an interaction's `returnTo`…). JSON.stringify escapes
 * every control character, so this raw U+001F sequence cannot occur in a serialized payload by chance.
 */
const ID_MARK = '\u001fid\u001f';
/** Where a device flow's user code stood: it is typed by a person and works as a credential too. */
const USER_CODE_MARK = '\u001fuser_code\u001f';
/**
 * The ID a record found without its ID (Session by uid) answers with: its key, marked. oidc-provider may destroy or
 * save the record under it, which reaches the same row; `find` refuses it, so a key read from the database is no
 * session cookie.
 */
const KEY_PREFIX = 'sha256:';

/** The key a record is stored under: the SHA-256 of its ID (an ID that is already a key stays as it is). */
export function recordKey(id: string): string {
  return id.startsWith(KEY_PREFIX) ? id.slice(KEY_PREFIX.length) : sha256(id);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The payload as stored: without its ID, without its user code, and without the session cookie an interaction names. */
function sealed(id: string, payload: AdapterPayload): string {
  const { jti: _jti, ...rest } = payload;
  const stored: Record<string, unknown> = rest;
  const session = stored.session as { cookie?: unknown } | undefined;
  // An interaction copies its session's cookie value; oidc-provider never reads it back, its key is enough.
  if (typeof session?.cookie === 'string')
    stored.session = { ...session, cookie: `${KEY_PREFIX}${recordKey(session.cookie)}` };
  let text = JSON.stringify(stored);
  if (id !== '') text = text.replaceAll(id, ID_MARK);
  if (typeof payload.userCode === 'string' && payload.userCode !== '')
    text = text.replaceAll(payload.userCode, USER_CODE_MARK);
  return text;
}

/** The payload back, with the ID (and user code) its finder knows; what is not known is left out. */
function opened(text: string, id: string, userCode: string | null): AdapterPayload {
  let restored = text.replaceAll(ID_MARK, id);
  if (userCode !== null) restored = restored.replaceAll(USER_CODE_MARK, userCode);
  const payload = JSON.parse(restored) as AdapterPayload;
  if (userCode === null && payload.userCode === USER_CODE_MARK) delete payload.userCode;
  return { ...payload, jti: id };
}

/** One instance per model name, as oidc-provider asks; all share one table keyed by (model, SHA-256 of the ID). */
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
    const columns = 'id, payload, expires_at, consumed_at';
    this.findRow = db.prepare(`SELECT ${columns} FROM oidc_model WHERE model = ? AND id = ?`);
    this.findByUidRow = db.prepare(`SELECT ${columns} FROM oidc_model WHERE model = ? AND uid = ?`);
    this.findByUserCodeRow = db.prepare(`SELECT ${columns} FROM oidc_model WHERE model = ? AND user_code = ?`);
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
        recordKey(id),
        sealed(id, payload),
        payload.grantId ?? null,
        payload.userCode ? sha256(payload.userCode) : null,
        payload.uid ?? null,
        payload.clientId ?? null,
        payload.accountId ?? null,
        expiresAt,
      );
    });
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return settled(() => {
      // A key is not an ID: whoever holds only the database cannot present a row's key as a token or a cookie.
      if (id.startsWith(KEY_PREFIX)) return undefined;
      return this.read(this.findRow.get(this.model, recordKey(id)) as ModelRow | undefined, id, null);
    });
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return settled(() => {
      const row = this.findByUidRow.get(this.model, uid) as ModelRow | undefined;
      return this.read(row, row ? `${KEY_PREFIX}${row.id}` : '', null);
    });
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return settled(() => {
      const row = this.findByUserCodeRow.get(this.model, sha256(userCode)) as ModelRow | undefined;
      return this.read(row, row ? `${KEY_PREFIX}${row.id}` : '', userCode);
    });
  }

  consume(id: string): Promise<void> {
    return settled(() => {
      this.consumeRow.run(nowSeconds(), this.model, recordKey(id));
    });
  }

  destroy(id: string): Promise<void> {
    return settled(() => {
      this.destroyRow.run(this.model, recordKey(id));
    });
  }

  revokeByGrantId(grantId: string): Promise<void> {
    return settled(() => {
      this.revokeGrantRows.run(grantId);
    });
  }

  private read(row: ModelRow | undefined, id: string, userCode: string | null): AdapterPayload | undefined {
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= nowSeconds()) return undefined;
    const payload = opened(row.payload, id, userCode);
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
