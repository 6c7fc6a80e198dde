// External clients, their granted scopes and their hashed secrets, in the Identity Server's SQLite.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
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

interface ClientRow {
  id: string;
  partition_global_id: string;
  name: string;
  is_confidential: number;
  redirect_uri: string | null;
}
interface ScopeRow {
  client_id: string;
  type: ScopeType;
  name: string;
}
interface SecretRow {
  id: string;
  client_id: string;
  description: string | null;
  creation_time: string;
  expiry_time: string | null;
  last_used_time: string | null;
}
interface SecretHashRow {
  id: string;
  hash: Buffer;
  expiry_time: string | null;
}

export type AuthorizingClient = Omit<ClientRecord, 'secrets'>;

/** How many clients' token-endpoint view stays in memory (oldest dropped first). */
const AUTHORIZING_CACHE_SIZE = 10_000;

/** A secret's last use is written at most this often, so a busy integration costs one small write per second. */
const LAST_USED_WRITE_INTERVAL_MS = 1000;

export class ClientStore {
  private readonly statements: ReturnType<typeof prepare>;
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly authorizing = new Map<string, AuthorizingClient>();

  constructor(private readonly db: IdentityDatabase) {
    this.statements = prepare(db);
  }

  list(partitionGlobalId: string): ClientRecord[] {
    const s = this.statements;
    const scopes = groupBy(s.scopesOfPartition.all(partitionGlobalId) as ScopeRow[]);
    const secrets = groupBy(s.secretsOfPartition.all(partitionGlobalId) as SecretRow[]);
    return (s.clientsOfPartition.all(partitionGlobalId) as ClientRow[]).map((row) =>
      toRecord(row, scopes.get(row.id) ?? [], secrets.get(row.id) ?? []),
    );
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
    if (this.authorizing.size >= AUTHORIZING_CACHE_SIZE) {
      const oldest = this.authorizing.keys().next();
      if (!oldest.done) this.authorizing.delete(oldest.value);
    }
    this.authorizing.set(clientId, client);
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
    return this.statements.deleteSecret.run(secretId).changes > 0;
  }

  /**
   * Whether `presented` is a live secret of the client. Every unexpired secret is checked (an app may hold several
   * during a rotation); the match's last use is recorded.
   */
  verifySecret(clientId: string, presented: string, now = new Date()): boolean {
    const presentedHash = hashSecretValue(presented);
    const rows = this.statements.secretHashesOfClient.all(clientId) as SecretHashRow[];
    let matched: SecretHashRow | null = null;
    for (const row of rows) {
      // Keep comparing after a match so the time spent does not tell which secret matched.
      if (secretMatches(presentedHash, row.hash) && matched === null) matched = row;
    }
    if (matched === null) return false;
    if (matched.expiry_time !== null && Date.parse(matched.expiry_time) <= now.getTime()) return false;
    this.recordUse(matched.id, now);
    return true;
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
    const record: StoredSecret = {
      id: randomUUID(),
      description: request.description,
      creationTime: new Date().toISOString(),
      expiryTime: request.expiryTime,
      lastUsedTime: null,
    };
    this.statements.insertSecret.run(
      record.id,
      clientId,
      hashSecretValue(value),
      record.description,
      record.creationTime,
      record.expiryTime,
    );
    return { record, value };
  }
}

function prepare(db: IdentityDatabase) {
  const st = (sql: string): Statement => db.prepare(sql);
  return {
    client: st('SELECT id, partition_global_id, name, is_confidential, redirect_uri FROM external_client WHERE id = ?'),
    clientsOfPartition: st(
      'SELECT id, partition_global_id, name, is_confidential, redirect_uri FROM external_client WHERE partition_global_id = ? ORDER BY name COLLATE NOCASE, id',
    ),
    scopesOfClient: st('SELECT client_id, type, name FROM client_scope WHERE client_id = ? ORDER BY type, name'),
    scopesOfPartition: st(
      `SELECT s.client_id, s.type, s.name FROM client_scope s JOIN external_client c ON c.id = s.client_id
       WHERE c.partition_global_id = ? ORDER BY s.type, s.name`,
    ),
    secretsOfClient: st(
      'SELECT id, client_id, description, creation_time, expiry_time, last_used_time FROM client_secret WHERE client_id = ? ORDER BY creation_time, id',
    ),
    secretsOfPartition: st(
      `SELECT s.id, s.client_id, s.description, s.creation_time, s.expiry_time, s.last_used_time FROM client_secret s
       JOIN external_client c ON c.id = s.client_id WHERE c.partition_global_id = ? ORDER BY s.creation_time, s.id`,
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
      'INSERT INTO client_secret (id, client_id, hash, description, creation_time, expiry_time) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    deleteSecret: st('DELETE FROM client_secret WHERE id = ?'),
    touchSecret: st('UPDATE client_secret SET last_used_time = ? WHERE id = ?'),
  };
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
    name: row.name,
    isConfidential: row.is_confidential === 1,
    redirectUri: row.redirect_uri,
    scopes: scopes.map((s) => ({ name: s.name, type: s.type })),
    secrets: secrets.map((s) => ({
      id: s.id,
      description: s.description,
      creationTime: s.creation_time,
      expiryTime: s.expiry_time,
      lastUsedTime: s.last_used_time,
    })),
  };
}
