// External clients, their granted scopes and their hashed secrets, in the Identity Server's SQLite.
import { randomUUID } from 'node:crypto';
import Database, { type Statement } from 'better-sqlite3';
import { registrationFieldsOf, type RegistrationColumns } from '../../node/registrationRow';
import type { ScopeRequest, ScopeType } from '../../shared/model';
import type { IdentityDatabase } from './database';
import { generateSecretValue, hashSecretValue, secretMatches } from './secretValue';

/** A secret's record; its value exists only in the answer that created it. */
export interface StoredSecret {
  id: string;
  description: string | null;
  creationTime: string;
  expiryTime: string | null;
  lastUsedTime: string | null;
}

export interface ClientRecord {
  id: string;
  partitionGlobalId: string;
  name: string;
  isConfidential: boolean;
  redirectUri: string | null;
  scopes: ScopeRequest[];
  secrets: StoredSecret[];
}

/** What an admin decides about an application: everything but its id and secrets. */
export interface ClientDraft {
  name: string;
  isConfidential: boolean;
  redirectUri: string | null;
  scopes: ScopeRequest[];
}

export interface SecretRequest {
  description: string | null;
  expiryTime: string | null;
}

interface IssuedSecret {
  record: StoredSecret;
  value: string;
}

interface ClientRow extends RegistrationColumns {
  id: string;
  partition_global_id: string;
}
interface ScopeRow {
  client_id: string;
  type: ScopeType;
  name: string;
}
interface SecretRow {
  id: number;
  client_id: string;
  description: string | null;
  creation_time: string;
  expiry_time: string | null;
  last_used_time: string | null;
}
interface SecretHashRow {
  id: number;
  hash: Buffer;
  expiry_time: string | null;
}

export type AuthorizingClient = Omit<ClientRecord, 'secrets'>;

/** A secret as the token endpoint checks it: its id, its SHA-256 hash and its expiry in ms since the epoch. */
interface CheckedSecret {
  id: string;
  hash: Buffer;
  expiresAt: number | null;
}

/** How many clients' token-endpoint views (the client; its secret hashes) stay in memory (oldest dropped first). */
const AUTHORIZING_CACHE_SIZE = 10_000;

/** How many clients the list reads at a time: the memory a list of any length holds at once. */
const LIST_PAGE_SIZE = 250;

/** A secret's last use is written at most this often, so a busy integration costs one small write per second. */
const LAST_USED_WRITE_INTERVAL_MS = 1000;

export class ClientStore {
  private readonly statements: ReturnType<typeof prepare>;
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly authorizing = new Map<string, AuthorizingClient>();
  private readonly checkedSecrets = new Map<string, readonly CheckedSecret[]>();

  constructor(private readonly db: IdentityDatabase) {
    this.statements = prepare(db);
  }

  /**
   * The partition's clients in name order, a page at a time, all read from one snapshot of the database on a
   * connection of their own: a list sent to the network over many writes neither holds every client at once nor
   * mixes clients from before and after a change made meanwhile. Closing the generator closes its connection.
   */
  *pagesOfPartition(partitionGlobalId: string, pageSize = LIST_PAGE_SIZE): Generator<ClientRecord[], void, undefined> {
    const reader = new Database(this.db.name, { readonly: true, fileMustExist: true });
    try {
      // Read once, in order: SQLite's usual 2 MB cache is plenty (this build gives each connection 16 MB).
      reader.pragma('cache_size = -2000');
      const s = prepareListing(reader);
      // One read transaction: every page comes from the database as it was at the first.
      reader.exec('BEGIN');
      let rows = s.firstClients.all(partitionGlobalId, pageSize) as ClientRow[];
      for (;;) {
        const ids = JSON.stringify(rows.map((row) => row.id));
        const scopes = groupBy(s.scopesOfClients.all(ids) as ScopeRow[]);
        const secrets = groupBy(s.secretsOfClients.all(ids) as SecretRow[]);
        yield rows.map((row) => toRecord(row, scopes.get(row.id) ?? [], secrets.get(row.id) ?? []));
        const last = rows.at(-1);
        if (rows.length < pageSize || last === undefined) return;
        rows = s.clientsAfter.all(partitionGlobalId, last.name, last.name, last.id, pageSize) as ClientRow[];
      }
    } finally {
      reader.close();
    }
  }

  get(clientId: string): ClientRecord | null {
    const s = this.statements;
    const row = s.client.get(clientId) as ClientRow | undefined;
    if (!row) return null;
    return toRecord(row, s.scopesOfClient.all(clientId) as ScopeRow[], s.secretsOfClient.all(clientId) as SecretRow[]);
  }

  /**
   * The client without its secrets: what the token endpoint needs on every request. Kept in memory, since this
   * store is the only writer of its database and drops an entry whenever the client changes.
   */
  getForAuthorization(clientId: string): AuthorizingClient | null {
    const cached = this.authorizing.get(clientId);
    if (cached) return cached;
    const s = this.statements;
    const row = s.client.get(clientId) as ClientRow | undefined;
    if (!row) return null;
    const { secrets: _none, ...client } = toRecord(row, s.scopesOfClient.all(clientId) as ScopeRow[], []);
    remember(this.authorizing, clientId, client);
    return client;
  }

  /** Creates the client and, for a confidential one, its first secret, in one transaction. */
  create(
    partitionGlobalId: string,
    draft: ClientDraft,
    firstSecret: SecretRequest | null,
  ): { client: ClientRecord; secret: IssuedSecret | null } {
    const id = randomUUID();
    const now = new Date().toISOString();
    const secret = this.db.transaction(() => {
      this.statements.insertClient.run(
        id,
        partitionGlobalId,
        draft.name,
        draft.isConfidential ? 1 : 0,
        draft.redirectUri,
        now,
        now,
      );
      this.insertScopes(id, draft.scopes);
      return firstSecret ? this.insertSecret(id, firstSecret) : null;
    })();
    const client = this.get(id);
    if (!client) throw new Error(`Client ${id} is missing right after it was created.`);
    return { client, secret };
  }

  /** Replaces the name, type, redirect URL and scopes; secrets are kept. */
  update(clientId: string, draft: ClientDraft): ClientRecord | null {
    const changed = this.db.transaction(() => {
      const result = this.statements.updateClient.run(
        draft.name,
        draft.isConfidential ? 1 : 0,
        draft.redirectUri,
        new Date().toISOString(),
        clientId,
      );
      if (result.changes === 0) return false;
      this.authorizing.delete(clientId);
      this.statements.deleteScopes.run(clientId);
      this.insertScopes(clientId, draft.scopes);
      return true;
    })();
    return changed ? this.get(clientId) : null;
  }

  /** Deletes the client with its scopes and secrets; false when there was none. */
  delete(clientId: string): boolean {
    this.authorizing.delete(clientId);
    this.checkedSecrets.delete(clientId);
    return this.statements.deleteClient.run(clientId).changes > 0;
  }

  addSecret(clientId: string, request: SecretRequest): IssuedSecret {
    return this.insertSecret(clientId, request);
  }

  /** The partition a secret's client lives in, so the API can check the caller named the right one. */
  secretOwner(secretId: string): { clientId: string; partitionGlobalId: string } | null {
    const row = this.statements.secretOwner.get(secretId) as
      { client_id: string; partition_global_id: string } | undefined;
    return row ? { clientId: row.client_id, partitionGlobalId: row.partition_global_id } : null;
  }

  deleteSecret(secretId: string): boolean {
    this.lastUsedWritten.delete(secretId);
    const owner = this.statements.secretOwner.get(secretId) as { client_id: string } | undefined;
    const deleted = this.statements.deleteSecret.run(secretId).changes > 0;
    if (owner) this.checkedSecrets.delete(owner.client_id);
    return deleted;
  }

  /**
   * Whether `presented` is a live secret of the client. Every unexpired secret is checked (an app may hold several
   * during a rotation); the match's last use is recorded. Expiry is checked against `now` on every call.
   */
  verifySecret(clientId: string, presented: string, now = new Date()): boolean {
    const presentedHash = hashSecretValue(presented);
    let matched: CheckedSecret | null = null;
    for (const secret of this.secretsToCheck(clientId)) {
      // Keep comparing after a match so the time spent does not tell which secret matched.
      if (secretMatches(presentedHash, secret.hash) && matched === null) matched = secret;
    }
    if (matched === null) return false;
    if (matched.expiresAt !== null && matched.expiresAt <= now.getTime()) return false;
    this.recordUse(matched.id, now);
    return true;
  }

  /**
   * The client's secret hashes, as the token endpoint checks them on every request. Kept in memory, as
   * getForAuthorization's view is: this store is the only writer of its database, and drops a client's entry
   * whenever one of its secrets is added or deleted, or the client is. Only hashes, as in the database; no value.
   */
  private secretsToCheck(clientId: string): readonly CheckedSecret[] {
    const cached = this.checkedSecrets.get(clientId);
    if (cached) return cached;
    const secrets = (this.statements.secretHashesOfClient.all(clientId) as SecretHashRow[]).map((row) => ({
      id: String(row.id),
      hash: row.hash,
      expiresAt: row.expiry_time === null ? null : Date.parse(row.expiry_time),
    }));
    remember(this.checkedSecrets, clientId, secrets);
    return secrets;
  }

  /** Writes lastUsed now and then, not on every request: see LAST_USED_WRITE_INTERVAL_MS. */
  private recordUse(secretId: string, now: Date): void {
    const last = this.lastUsedWritten.get(secretId) ?? 0;
    if (now.getTime() - last < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWritten.set(secretId, now.getTime());
    this.statements.touchSecret.run(now.toISOString(), secretId);
  }

  private insertScopes(clientId: string, scopes: readonly ScopeRequest[]): void {
    for (const scope of scopes) this.statements.insertScope.run(clientId, scope.type, scope.name);
  }

  private insertSecret(clientId: string, request: SecretRequest): IssuedSecret {
    const value = generateSecretValue();
    const creationTime = new Date().toISOString();
    // The ID is SQLite's next rowid: an int64, as UiPath's SecretDto.id is; kept as its decimal digits.
    const inserted = this.statements.insertSecret.run(
      clientId,
      hashSecretValue(value),
      request.description,
      creationTime,
      request.expiryTime,
    );
    const record: StoredSecret = {
      id: String(inserted.lastInsertRowid),
      description: request.description,
      creationTime,
      expiryTime: request.expiryTime,
      lastUsedTime: null,
    };
    this.checkedSecrets.delete(clientId);
    return { record, value };
  }
}

function prepare(db: IdentityDatabase) {
  const st = (sql: string): Statement => db.prepare(sql);
  return {
    client: st('SELECT id, partition_global_id, name, is_confidential, redirect_uri FROM external_client WHERE id = ?'),
    scopesOfClient: st('SELECT client_id, type, name FROM client_scope WHERE client_id = ? ORDER BY type, name'),
    secretsOfClient: st(
      'SELECT id, client_id, description, creation_time, expiry_time, last_used_time FROM client_secret WHERE client_id = ? ORDER BY creation_time, id',
    ),
    secretHashesOfClient: st('SELECT id, hash, expiry_time FROM client_secret WHERE client_id = ?'),
    secretOwner: st(
      'SELECT s.client_id, c.partition_global_id FROM client_secret s JOIN external_client c ON c.id = s.client_id WHERE s.id = ?',
    ),
    insertClient: st(
      `INSERT INTO external_client (id, partition_global_id, name, is_confidential, redirect_uri, creation_time, update_time)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateClient: st(
      'UPDATE external_client SET name = ?, is_confidential = ?, redirect_uri = ?, update_time = ? WHERE id = ?',
    ),
    deleteClient: st('DELETE FROM external_client WHERE id = ?'),
    insertScope: st('INSERT OR IGNORE INTO client_scope (client_id, type, name) VALUES (?, ?, ?)'),
    deleteScopes: st('DELETE FROM client_scope WHERE client_id = ?'),
    insertSecret: st(
      'INSERT INTO client_secret (client_id, hash, description, creation_time, expiry_time) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteSecret: st('DELETE FROM client_secret WHERE id = ?'),
    touchSecret: st('UPDATE client_secret SET last_used_time = ? WHERE id = ?'),
  };
}

/** The list's statements, on the connection that reads it. */
function prepareListing(reader: Database.Database) {
  const st = (sql: string): Statement => reader.prepare(sql);
  const columns = 'id, partition_global_id, name, is_confidential, redirect_uri';
  return {
    firstClients: st(
      `SELECT ${columns} FROM external_client WHERE partition_global_id = ? ORDER BY name COLLATE NOCASE, id LIMIT ?`,
    ),
    // The page after a client: `name >= ?` lets SQLite seek the index to it; the row value then skips its equals.
    clientsAfter: st(
      `SELECT ${columns} FROM external_client
       WHERE partition_global_id = ? AND name >= ? COLLATE NOCASE AND (name COLLATE NOCASE, id) > (?, ?)
       ORDER BY name COLLATE NOCASE, id LIMIT ?`,
    ),
    scopesOfClients: st(
      'SELECT client_id, type, name FROM client_scope WHERE client_id IN (SELECT value FROM json_each(?)) ORDER BY type, name',
    ),
    secretsOfClients: st(
      `SELECT id, client_id, description, creation_time, expiry_time, last_used_time FROM client_secret
       WHERE client_id IN (SELECT value FROM json_each(?)) ORDER BY creation_time, id`,
    ),
  };
}

/** Keeps `value` under `key`, dropping the oldest entry first when the cache is full. */
function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= AUTHORIZING_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, value);
}

function groupBy<T extends { client_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.client_id);
    if (group) group.push(row);
    else groups.set(row.client_id, [row]);
  }
  return groups;
}

function toRecord(row: ClientRow, scopes: ScopeRow[], secrets: SecretRow[]): ClientRecord {
  return {
    id: row.id,
    partitionGlobalId: row.partition_global_id,
    ...registrationFieldsOf(row),
    scopes: scopes.map((s) => ({ name: s.name, type: s.type })),
    secrets: secrets.map((s) => ({
      id: String(s.id),
      description: s.description,
      creationTime: s.creation_time,
      expiryTime: s.expiry_time,
      lastUsedTime: s.last_used_time,
    })),
  };
}
