// The first schema of the workspace: tenants, cached catalogue and registrations, secret records, activity, settings.
import type { Migration } from './index';

export const initial: Migration = {
  name: '0001_initial',
  sql: `
    CREATE TABLE tenants (
      id                  TEXT PRIMARY KEY,
      display_name        TEXT NOT NULL,
      base_url            TEXT NOT NULL,
      org_name            TEXT NOT NULL,
      partition_global_id TEXT NOT NULL,
      admin_client_id     TEXT NOT NULL,
      is_local            INTEGER NOT NULL DEFAULT 0 CHECK (is_local IN (0, 1)),
      -- When the registrations cache was last filled from the tenant; NULL: never, so the next list asks the tenant.
      registrations_fetched_at TEXT,
      created_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL
    ) STRICT;

    -- The tenant's resource catalogue as last fetched, so the wizard works offline.
    CREATE TABLE catalogue_cache (
      tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
      json       TEXT NOT NULL,
      fetched_at TEXT NOT NULL
    ) STRICT;

    -- The tenant's applications as last fetched. The summary columns let the table of 10 000 load
    -- without parsing each full ExternalClient document.
    CREATE TABLE registrations (
      tenant_id               TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      client_id               TEXT NOT NULL,
      name                    TEXT NOT NULL,
      is_confidential         INTEGER NOT NULL CHECK (is_confidential IN (0, 1)),
      redirect_uri            TEXT,
      resource_names          TEXT NOT NULL,  -- JSON array of resource display names
      user_scope_count        INTEGER NOT NULL,
      application_scope_count INTEGER NOT NULL,
      secret_count            INTEGER NOT NULL,
      json                    TEXT NOT NULL,  -- the full ExternalClient, which never carries a secret value
      fetched_at              TEXT NOT NULL,
      PRIMARY KEY (tenant_id, client_id)
    ) STRICT;
    CREATE INDEX registrations_by_name ON registrations (tenant_id, name COLLATE NOCASE, client_id);

    -- Where each secret is in the keychain. Never its value: only the first 8 hex digits of its SHA-256,
    -- enough for an admin to tell which keychain entry matches which secret.
    CREATE TABLE secrets (
      tenant_id        TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      client_id        TEXT NOT NULL,
      secret_id        TEXT NOT NULL,
      keychain_service TEXT NOT NULL,
      keychain_account TEXT NOT NULL,
      created_at       TEXT NOT NULL,
      expires_at       TEXT,
      fingerprint      TEXT NOT NULL CHECK (length(fingerprint) = 8),
      PRIMARY KEY (tenant_id, secret_id)
    ) STRICT;
    CREATE INDEX secrets_by_client ON secrets (tenant_id, client_id);

    CREATE TABLE activity (
      id        INTEGER PRIMARY KEY AUTOINCREMENT,
      at        TEXT NOT NULL,
      tenant_id TEXT NOT NULL,
      action    TEXT NOT NULL,
      target    TEXT NOT NULL,
      detail    TEXT NOT NULL
    ) STRICT;

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL  -- JSON
    ) STRICT;
  `,
};
