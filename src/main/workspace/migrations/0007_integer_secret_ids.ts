// A secret's ID is an int64, as UiPath's SecretDto.id is; OAuth Desk once kept it as text (a UUID from its embedded
// server). The workspace is backed up before this runs (database.ts). Kept secrets recorded under an ID that is not a
// whole number wait in secrets_awaiting_id, keychain entry and all, until the organisation's answer shows the secret
// made at that same instant (`adoptAwaiting` in ../secrets.ts); the keychain entry keeps its account name. Cached
// applications whose secrets carry such IDs are dropped, and their organisation's list is fetched afresh.
import type { Migration } from './index';

/** Whether the SQL text value `x` is a whole number written in digits, with an optional minus sign. */
const isWholeNumber = (x: string) => `(ltrim(${x}, '-') <> '' AND ltrim(${x}, '-') NOT GLOB '*[^0-9]*')`;

export const integerSecretIds: Migration = {
  name: '0007_integer_secret_ids',
  sql: `
    CREATE TABLE secrets_awaiting_id (
      tenant_id        TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      client_id        TEXT NOT NULL,
      legacy_secret_id TEXT NOT NULL,
      keychain_service TEXT NOT NULL,
      keychain_account TEXT NOT NULL,
      created_at       TEXT NOT NULL,
      expires_at       TEXT,
      fingerprint      TEXT NOT NULL CHECK (length(fingerprint) = 8),
      PRIMARY KEY (tenant_id, legacy_secret_id)
    ) STRICT;
    CREATE INDEX secrets_awaiting_id_by_client ON secrets_awaiting_id (tenant_id, client_id);
    INSERT INTO secrets_awaiting_id
      SELECT tenant_id, client_id, secret_id, keychain_service, keychain_account, created_at, expires_at, fingerprint
      FROM secrets WHERE NOT ${isWholeNumber('secret_id')};
    DELETE FROM secrets WHERE NOT ${isWholeNumber('secret_id')};

    CREATE TEMP TABLE stale_caches AS
      SELECT DISTINCT r.tenant_id AS tenant_id FROM registrations r, json_each(r.json, '$.secrets') s
      WHERE typeof(json_extract(s.value, '$.id')) = 'text' AND NOT ${isWholeNumber("json_extract(s.value, '$.id')")};
    DELETE FROM registrations WHERE tenant_id IN (SELECT tenant_id FROM stale_caches);
    UPDATE tenants SET registrations_fetched_at = NULL WHERE id IN (SELECT tenant_id FROM stale_caches);
    DROP TABLE stale_caches;
  `,
};
