// Opens the Identity Server's own SQLite database and brings its schema up to date.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { keepDatabasePrivate, keepFolderPrivate } from '../../node/privateFiles';

export type IdentityDatabase = Database.Database;

/** Ordered schema steps; `PRAGMA user_version` records how many have been applied. Append, never edit. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE organization (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    name                TEXT NOT NULL,
    partition_global_id TEXT NOT NULL,
    admin_client_id     TEXT,
    creation_time       TEXT NOT NULL
  );
  CREATE TABLE external_client (
    id                  TEXT PRIMARY KEY,
    partition_global_id TEXT NOT NULL,
    name                TEXT NOT NULL,
    is_confidential     INTEGER NOT NULL CHECK (is_confidential IN (0, 1)),
    redirect_uri        TEXT,
    creation_time       TEXT NOT NULL,
    update_time         TEXT NOT NULL
  );
  CREATE INDEX external_client_partition ON external_client (partition_global_id, name);
  CREATE TABLE client_scope (
    client_id TEXT NOT NULL REFERENCES external_client (id) ON DELETE CASCADE,
    type      TEXT NOT NULL CHECK (type IN ('user', 'application')),
    name      TEXT NOT NULL,
    PRIMARY KEY (client_id, type, name)
  );
  CREATE TABLE client_secret (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES external_client (id) ON DELETE CASCADE,
    hash           BLOB NOT NULL,
    description    TEXT,
    creation_time  TEXT NOT NULL,
    expiry_time    TEXT,
    last_used_time TEXT
  );
  CREATE INDEX client_secret_client ON client_secret (client_id);
  CREATE TABLE oidc_model (
    model       TEXT NOT NULL,
    id          TEXT NOT NULL,
    payload     TEXT NOT NULL,
    grant_id    TEXT,
    user_code   TEXT,
    uid         TEXT,
    expires_at  INTEGER,
    consumed_at INTEGER,
    PRIMARY KEY (model, id)
  );
  CREATE INDEX oidc_model_grant ON oidc_model (grant_id);
  CREATE INDEX oidc_model_uid ON oidc_model (uid);
  CREATE INDEX oidc_model_user_code ON oidc_model (user_code);
  `,
  `
  CREATE TABLE local_user (
    id            TEXT PRIMARY KEY,
    user_name     TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    creation_time TEXT NOT NULL
  );
  `,
  // Who an oidc-provider record belongs to, so that deleting an application or a user takes its grants and tokens,
  // and when it ends, so that expired records can be swept without reading every payload.
  `
  ALTER TABLE oidc_model ADD COLUMN client_id TEXT;
  ALTER TABLE oidc_model ADD COLUMN account_id TEXT;
  UPDATE oidc_model SET client_id = json_extract(payload, '$.clientId'), account_id = json_extract(payload, '$.accountId');
  CREATE INDEX oidc_model_client ON oidc_model (client_id);
  CREATE INDEX oidc_model_account ON oidc_model (account_id);
  CREATE INDEX oidc_model_expiry ON oidc_model (expires_at);
  `,
  // The sign-in throttle's failure windows, kept here so that a restart does not reset a guesser's count.
  `
  CREATE TABLE sign_in_failure (
    user_key   TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    failures   INTEGER NOT NULL
  );
  CREATE INDEX sign_in_failure_started ON sign_in_failure (started_at);
  `,
  // Records are keyed by the SHA-256 of their ID from now on; those kept before held codes, refresh tokens and session
  // IDs in plain text, so they go (their holders sign in again), zeroed on disk by secure_delete.
  `
  DELETE FROM oidc_model;
  `,
  // The list of applications is read a page at a time in its order (by name, case aside, then id): an index in that
  // order, which also serves what the one by name served.
  `
  DROP INDEX external_client_partition;
  CREATE INDEX external_client_partition_name ON external_client (partition_global_id, name COLLATE NOCASE, id);
  `,
  // A secret's ID is an int64, as UiPath's SecretDto.id is (it was a UUID). The secrets keep their values' hashes and
  // times and get IDs in the order they were made; the old ID stays in legacy_id, and a workspace that recorded a
  // secret under it finds it again by its creation time (src/main/workspace/migrations/0007_integer_secret_ids.ts).
  // New IDs go on from a random point, as an organisation's do: a reset server does not hand out the IDs of the last.
  `
  CREATE TABLE client_secret_int (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    legacy_id      TEXT UNIQUE,
    client_id      TEXT NOT NULL REFERENCES external_client (id) ON DELETE CASCADE,
    hash           BLOB NOT NULL,
    description    TEXT,
    creation_time  TEXT NOT NULL,
    expiry_time    TEXT,
    last_used_time TEXT
  );
  INSERT INTO client_secret_int (legacy_id, client_id, hash, description, creation_time, expiry_time, last_used_time)
    SELECT id, client_id, hash, description, creation_time, expiry_time, last_used_time FROM client_secret
    ORDER BY creation_time, id;
  DROP TABLE client_secret;
  ALTER TABLE client_secret_int RENAME TO client_secret;
  CREATE INDEX client_secret_client ON client_secret (client_id);
  INSERT INTO sqlite_sequence (name, seq)
    SELECT 'client_secret', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'client_secret');
  UPDATE sqlite_sequence SET seq = seq + 1000000 + abs(random() % 1000000000000) WHERE name = 'client_secret';
  `,
  // Federated credentials (a JWT of the workload's own identity provider in place of a secret), and the jti of each
  // assertion used, until it expires, so that one is never used twice (store/federatedCredentials.ts).
  `
  CREATE TABLE federated_credential (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL REFERENCES external_client (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT,
    issuer        TEXT NOT NULL,
    audience      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    creation_time TEXT NOT NULL,
    UNIQUE (client_id, issuer, subject)
  );
  CREATE TABLE federated_assertion_use (
    issuer     TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, jti)
  );
  CREATE INDEX federated_assertion_use_expiry ON federated_assertion_use (expires_at);
  `,
];

const DATABASE_FILE = 'identity.db';

export function openIdentityDatabase(dataDir: string): IdentityDatabase {
  const file = join(dataDir, DATABASE_FILE);
  keepFolderPrivate(dataDir);
  keepDatabasePrivate(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // What is deleted (a used code, a rotated refresh token) is overwritten with zeros, not left in free pages.
  db.pragma('secure_delete = ON');
  // NORMAL is durable across application crashes in WAL mode and keeps the token endpoint's lastUsed writes cheap.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  keepDatabasePrivate(file);
  return db;
}

function migrate(db: IdentityDatabase): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  for (const [step, migration] of MIGRATIONS.entries()) {
    if (step < applied) continue;
    db.transaction(() => {
      db.exec(migration);
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
}
