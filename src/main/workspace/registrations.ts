// The registrations cache: each organisation's external applications as last fetched, for the table and offline browsing.
import { summarizeApp } from '../../shared/appSummary';
import type { AppSummary, ExternalClient } from '../../shared/model';
import { registrationFieldsOf, type RegistrationColumns } from '../../node/registrationRow';
import type { Db } from './database';

interface SummaryRow extends RegistrationColumns {
  client_id: string;
  resource_names: string;
  user_scope_count: number;
  application_scope_count: number;
  secret_count: number;
  next_secret_expiry: string | null;
  federated_credential_count: number | null;
}

function fromSummaryRow(row: SummaryRow): AppSummary {
  return {
    id: row.client_id,
    ...registrationFieldsOf(row),
    resources: JSON.parse(row.resource_names) as string[],
    userScopeCount: row.user_scope_count,
    applicationScopeCount: row.application_scope_count,
    secretCount: row.secret_count,
    nextSecretExpiry: row.next_secret_expiry,
    federatedCredentialCount: row.federated_credential_count,
  };
}

/** A page of the table: `limit` rows (all when left out), after the row named by `after` (from the start when left out). */
export interface SummaryPage {
  limit?: number | undefined;
  after?: { name: string; id: string } | undefined;
}

/**
 * A new list of one organisation's applications, written as it arrives and put in place of the cached one whole:
 * until `commit`, and after `discard`, the cache holds the old list.
 */
export interface ListReplacement {
  /** Writes a batch of the new list aside (an App ID given twice keeps its last). */
  add(apps: readonly ExternalClient[]): void;
  /** Replaces the cached list with the one written, in one transaction (the caller's, when in one). */
  commit(): void;
  /** Forgets what was written; the cached list stays as it was. */
  discard(): void;
}

/** Tells replacements apart in the table where they wait, whichever repository of this process began them. */
let replacements = 0;

const COLUMNS = `client_id, name, is_confidential, redirect_uri, resource_names,
           user_scope_count, application_scope_count, secret_count, next_secret_expiry, federated_credential_count`;

// An App ID already cached (or given twice in one list) keeps its last version, and its federated credential count:
// the application's answer does not carry its credentials.
const REPLACING_ITS_ROW = `
    ON CONFLICT (tenant_id, client_id) DO UPDATE SET
      name = excluded.name, is_confidential = excluded.is_confidential, redirect_uri = excluded.redirect_uri,
      resource_names = excluded.resource_names, user_scope_count = excluded.user_scope_count,
      application_scope_count = excluded.application_scope_count, secret_count = excluded.secret_count,
      next_secret_expiry = excluded.next_secret_expiry,
      json = excluded.json, fetched_at = excluded.fetched_at`;

/** The columns of an app's row. */
function rowOf(app: ExternalClient) {
  const summary = summarizeApp(app);
  return {
    id: summary.id,
    name: summary.name,
    isConfidential: summary.isConfidential ? 1 : 0,
    redirectUri: summary.redirectUri,
    resourceNames: JSON.stringify(summary.resources),
    userScopeCount: summary.userScopeCount,
    applicationScopeCount: summary.applicationScopeCount,
    secretCount: summary.secretCount,
    nextSecretExpiry: summary.nextSecretExpiry,
    json: JSON.stringify(app),
  };
}

/** The table's rows in name order: all of them, or `limit` rows from the start or after the row `after`. */
function summaryLister(db: Db): (organisationId: string, page?: SummaryPage) => AppSummary[] {
  const summaries = db.prepare<[string, number], SummaryRow>(
    `SELECT ${COLUMNS} FROM registrations WHERE tenant_id = ? ORDER BY name COLLATE NOCASE, client_id LIMIT ?`,
  );
  // The page after a row: the name-order index walked from that row on, whatever the list's length.
  // (`name >= @name` lets SQLite seek the index to the row; the row value comparison then skips its equals.)
  const summariesAfter = db.prepare<[{ organisationId: string; name: string; id: string; limit: number }], SummaryRow>(
    `SELECT ${COLUMNS} FROM registrations
     WHERE tenant_id = @organisationId AND name >= @name COLLATE NOCASE AND (name COLLATE NOCASE, client_id) > (@name, @id)
     ORDER BY name COLLATE NOCASE, client_id LIMIT @limit`,
  );
  return (organisationId, { limit, after } = {}) => {
    const rows = after
      ? summariesAfter.all({ organisationId, name: after.name, id: after.id, limit: limit ?? -1 })
      : summaries.all(organisationId, limit ?? -1);
    return rows.map(fromSummaryRow);
  };
}

/**
 * What this process wrote to one organisation's cache while a replacement of its list was open (a create, an update,
 * a delete racing a sync): put on top of the new list when it commits, so that a list read before such a change
 * never brings back a deleted application nor drops a created one. An App ID maps to its latest version, or null.
 */
type RacingWrites = Map<number, { organisationId: string; writes: Map<string, ExternalClient | null> }>;

/** How a replacement of a organisation's list begins (see `ListReplacement`). */
function listReplacements(
  db: Db,
  racing: RacingWrites,
  redo: (organisationId: string, writes: Map<string, ExternalClient | null>) => void,
): (organisationId: string) => ListReplacement {
  // A list being fetched waits in a temporary table: this connection's own, never in the workspace file, and with a
  // small cache of its own, so that past 1 MB it waits in SQLite's temporary file rather than in memory. Rows are
  // appended in the order they come (no key to keep sorted), and moved in that order.
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS incoming_registrations (
      replacement             INTEGER NOT NULL,
      client_id               TEXT NOT NULL,
      name                    TEXT NOT NULL,
      is_confidential         INTEGER NOT NULL,
      redirect_uri            TEXT,
      resource_names          TEXT NOT NULL,
      user_scope_count        INTEGER NOT NULL,
      application_scope_count INTEGER NOT NULL,
      secret_count            INTEGER NOT NULL,
      next_secret_expiry      TEXT,
      json                    TEXT NOT NULL
    )`);
  db.pragma('temp.cache_size = -1024');
  // The applications the new list no longer has; those it has keep their rows (and their federated credential count).
  const removeGone = db.prepare(`
    DELETE FROM registrations WHERE tenant_id = @organisationId AND client_id NOT IN (
      SELECT client_id FROM temp.incoming_registrations WHERE replacement = @replacement)`);
  const stage = db.prepare(`
    INSERT INTO temp.incoming_registrations (replacement, client_id, name, is_confidential, redirect_uri,
      resource_names, user_scope_count, application_scope_count, secret_count, next_secret_expiry, json)
    VALUES (@replacement, @id, @name, @isConfidential, @redirectUri, @resourceNames,
            @userScopeCount, @applicationScopeCount, @secretCount, @nextSecretExpiry, @json)`);
  const moveIn = db.prepare(`
    INSERT INTO registrations (tenant_id, client_id, name, is_confidential, redirect_uri, resource_names,
                               user_scope_count, application_scope_count, secret_count, next_secret_expiry, json, fetched_at)
    SELECT @organisationId, client_id, name, is_confidential, redirect_uri, resource_names,
           user_scope_count, application_scope_count, secret_count, next_secret_expiry, json, @fetchedAt
    FROM temp.incoming_registrations WHERE replacement = @replacement ORDER BY rowid
    ${REPLACING_ITS_ROW}`);
  const unstage = db.prepare('DELETE FROM temp.incoming_registrations WHERE replacement = ?');

  return (organisationId) => {
    const replacement = ++replacements;
    const writes = new Map<string, ExternalClient | null>();
    racing.set(replacement, { organisationId, writes });
    const add = db.transaction((apps: readonly ExternalClient[]) => {
      for (const app of apps) stage.run({ replacement, ...rowOf(app) });
    });
    // The server's list is the truth: an app deleted elsewhere disappears from the cache too. What was written here
    // while the list came in is newer than the list, and stays.
    const commit = db.transaction(() => {
      removeGone.run({ organisationId, replacement });
      moveIn.run({ organisationId, replacement, fetchedAt: new Date().toISOString() });
      unstage.run(replacement);
      redo(organisationId, writes);
    });
    const end = () => racing.delete(replacement);
    return {
      add: (apps) => add(apps),
      commit: () => {
        try {
          commit();
        } finally {
          end();
        }
      },
      discard: () => {
        end();
        unstage.run(replacement);
      },
    };
  };
}

/** The cached applications' federated credential counts (the list's Secretless mark). */
function federatedCredentialCounts(db: Db) {
  const countFederated = db.prepare(
    'UPDATE registrations SET federated_credential_count = ? WHERE tenant_id = ? AND client_id = ?',
  );
  // Confidential applications without a secret (the only ones the list may mark Secretless), those not known first.
  const withoutSecret = db.prepare<[string, number], { client_id: string }>(
    `SELECT client_id FROM registrations WHERE tenant_id = ? AND is_confidential = 1 AND secret_count = 0
     ORDER BY federated_credential_count IS NOT NULL, name COLLATE NOCASE, client_id LIMIT ?`,
  );
  return {
    /** How many federated credentials the cached application has, as just read from the organisation. */
    setFederatedCredentialCount(organisationId: string, clientId: string, count: number): void {
      countFederated.run(count, organisationId, clientId);
    },
    /** Up to `limit` confidential applications without a secret, those whose credential count is not known first. */
    confidentialWithoutSecret(organisationId: string, limit: number): string[] {
      return withoutSecret.all(organisationId, limit).map((row) => row.client_id);
    },
  };
}

export function registrationRepository(db: Db) {
  // Through the partial index registrations_by_expiry: only applications with an expiring secret are read.
  const expiringBy = db.prepare<[string, string], { json: string }>(
    `SELECT json FROM registrations
     WHERE tenant_id = ? AND next_secret_expiry IS NOT NULL AND next_secret_expiry <= ?`,
  );
  const one = db.prepare<[string, string], { json: string }>(
    'SELECT json FROM registrations WHERE tenant_id = ? AND client_id = ?',
  );
  const removeOne = db.prepare('DELETE FROM registrations WHERE tenant_id = ? AND client_id = ?');
  const upsert = db.prepare(`
    INSERT INTO registrations (tenant_id, client_id, name, is_confidential, redirect_uri, resource_names,
                               user_scope_count, application_scope_count, secret_count, next_secret_expiry, json, fetched_at)
    VALUES (@organisationId, @id, @name, @isConfidential, @redirectUri, @resourceNames,
            @userScopeCount, @applicationScopeCount, @secretCount, @nextSecretExpiry, @json, @fetchedAt)
    ${REPLACING_ITS_ROW}`);
  const named = db.prepare<[string, string], { client_id: string }>(
    'SELECT client_id FROM registrations WHERE tenant_id = ? AND name = ?',
  );
  const racing: RacingWrites = new Map();
  const note = (organisationId: string, clientId: string, app: ExternalClient | null) => {
    for (const open of racing.values()) if (open.organisationId === organisationId) open.writes.set(clientId, app);
  };
  const beginReplace = listReplacements(db, racing, (organisationId, writes) => {
    for (const [clientId, app] of writes)
      if (app) upsert.run({ organisationId, ...rowOf(app), fetchedAt: new Date().toISOString() });
      else removeOne.run(organisationId, clientId);
  });

  return {
    listSummaries: summaryLister(db),
    /**
     * The applications whose soonest secret expiry is at or before `by` (an ISO date-time, compared as text: a caller
     * that needs the exact instant gives a later bound and checks each secret itself).
     */
    withSecretsExpiringBy(organisationId: string, by: string): ExternalClient[] {
      return expiringBy.all(organisationId, by).map((row) => JSON.parse(row.json) as ExternalClient);
    },
    get(organisationId: string, clientId: string): ExternalClient | null {
      const row = one.get(organisationId, clientId);
      return row ? (JSON.parse(row.json) as ExternalClient) : null;
    },
    save(organisationId: string, app: ExternalClient): void {
      upsert.run({ organisationId, ...rowOf(app), fetchedAt: new Date().toISOString() });
      note(organisationId, app.id, app);
    },
    /** The App IDs of the cached applications named exactly `name`. */
    idsNamed(organisationId: string, name: string): string[] {
      return named.all(organisationId, name).map((row) => row.client_id);
    },
    delete(organisationId: string, clientId: string): void {
      removeOne.run(organisationId, clientId);
      note(organisationId, clientId, null);
    },
    replaceAll(organisationId: string, apps: readonly ExternalClient[]): void {
      const replacing = beginReplace(organisationId);
      try {
        replacing.add(apps);
        replacing.commit();
      } catch (error) {
        replacing.discard();
        throw error;
      }
    },
    ...federatedCredentialCounts(db),
    /** A replacement of the organisation's list written in batches as it arrives (a sync); see `ListReplacement`. */
    beginReplace,
  };
}
export type RegistrationRepository = ReturnType<typeof registrationRepository>;
