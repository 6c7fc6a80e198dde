// Scope sets (kept across organisations), drafts of registrations (each of one organisation) and pending changes (a
// scope set's apply previewed offline, to be previewed afresh and applied after the next sync).
import type { Migration } from './index';

export const scopeSets: Migration = {
  name: '0004_scope_sets',
  sql: `
    CREATE TABLE scope_sets (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
      description TEXT NOT NULL,
      scopes      TEXT NOT NULL,  -- JSON array of { name, type }
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;

    -- Never a secret: a draft has none until it is registered.
    CREATE TABLE drafts (
      id              TEXT PRIMARY KEY,
      tenant_id       TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      name            TEXT NOT NULL,
      is_confidential INTEGER NOT NULL CHECK (is_confidential IN (0, 1)),
      redirect_uri    TEXT,
      scopes          TEXT NOT NULL,  -- JSON array of { name, type }
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX drafts_by_tenant ON drafts (tenant_id, name COLLATE NOCASE);

    CREATE TABLE pending_changes (
      id         TEXT PRIMARY KEY,
      tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      set_id     TEXT NOT NULL REFERENCES scope_sets(id) ON DELETE CASCADE,
      mode       TEXT NOT NULL CHECK (mode IN ('add', 'remove', 'replace')),
      client_ids TEXT,  -- JSON array of App IDs; NULL: every application of the organisation
      totals     TEXT NOT NULL,  -- JSON: the totals of the preview it was saved from
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX pending_changes_by_tenant ON pending_changes (tenant_id, created_at);
  `,
};
