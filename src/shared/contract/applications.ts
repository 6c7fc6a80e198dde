// An organisation's applications: the list and one application, registering, changing and deleting one, copying one
// into another organisation, and the resource catalogue their scopes come from.
import { z } from 'zod';
import type { AppSummary, Catalogue, ExternalClient, NewSecret, ScopeRequest } from '../model';
import type { Plan } from '../plan';
import type { FederatedCredential } from './federatedCredentials';
import { clientId, isConfidential, redirectUri, refresh, scopes, organisation } from './fields';
import { labelled, op } from './operation';

/** An edit of an application, as updateApp applies it and previewAppUpdate previews it. */
const appEdit = z
  .object({
    organisation,
    clientId,
    name: labelled(z.string(), 'Application Name').optional(),
    redirectUri: redirectUri.optional(),
    scopes: scopes.optional(),
  })
  .strict();

/** An application's edit kept while its organisation could not be reached: only the fields the admin changed. */
export interface PendingAppEdit {
  organisation: string;
  clientId: string;
  /** The application's name when the edit was kept. */
  appName: string;
  edit: { name?: string; redirectUri?: string | null; scopes?: ScopeRequest[] };
  createdAt: string;
}

const oneApp = z.object({ organisation, clientId }).strict();

export const applicationOperations = {
  /** The organisation's API resources and their scopes (GET /ExternalApiResource), cached for offline use. */
  listCatalogue: op<Catalogue>()(z.object({ organisation, refresh }).strict()),
  /** The External Applications table: from the workspace cache, refreshed from the server when asked. */
  listApps: op<AppSummary[]>()(
    z
      .object({
        organisation,
        refresh,
        /** At most this many rows in name order: a screenful to paint at once, then the rest page by page. */
        limit: labelled(z.number().int().min(1), 'Limit').optional(),
        /** The rows after this one in name order (the last row of the page before), so pages never overlap. */
        after: labelled(z.object({ name: z.string(), id: z.string() }).strict(), 'After').optional(),
      })
      .strict(),
  ),
  getApp: op<ExternalClient>()(z.object({ organisation, clientId }).strict()),
  /** Registers an application; a confidential one's secret goes to the keychain before this answers. */
  /** `notice`: the application exists, but the workspace could not record it (a full disk), in a sentence. */
  createApp: op<{ app: ExternalClient; secret: NewSecret | null; notice?: string }>()(
    z
      .object({
        organisation,
        name: labelled(z.string({ error: 'Application Name is required.' }), 'Application Name'),
        isConfidential,
        redirectUri: redirectUri.default(null),
        scopes,
      })
      .strict(),
  ),
  /**
   * Changes an application's name, redirect URL and scopes (the scopes given replace the app's scopes; a field left
   * out stays as it is). The rules of a registration hold; the application type cannot change.
   */
  updateApp: op<ExternalClient>()(appEdit),
  /**
   * What updateApp with the same input would change, judged by the same rules, as a plan of one entry (refused, with
   * the rules' messages, where updateApp would refuse); nothing is written. The window's Save preview and
   * `apps update --dry-run`.
   */
  previewAppUpdate: op<Plan>()(appEdit),
  /**
   * Keeps an edit made offline as the application's pending change (the fields that differ from the application as
   * cached), to preview afresh with previewAppUpdate and apply once the organisation answers. Replaces an earlier one.
   */
  savePendingAppEdit: op<PendingAppEdit>()(appEdit),
  /** The application's pending edit; `pending` null when it has none. */
  getPendingAppEdit: op<{ pending: PendingAppEdit | null }>()(oneApp),
  /** Applies the pending edit as updateApp does (the application re-read first, the same rules), then forgets it. */
  applyPendingAppEdit: op<ExternalClient>()(oneApp),
  /** Forgets the pending edit; nothing changes on the organisation. */
  discardPendingAppEdit: op<{ discarded: boolean }>()(oneApp),
  /** Deletes an application on the organisation, and its secrets' keychain entries. */
  deleteApp: op<{ deleted: true; keychainEntriesRemoved: number }>()(z.object({ organisation, clientId }).strict()),
  /**
   * Copies an application to another organisation: its type, scopes by type and redirect URL. A confidential copy gets
   * its own new secret, into the keychain; secrets are never copied. `dryRun` only reports the scopes the target's
   * catalogue lacks, and the plan of the copy (null once it is made); a copy with such scopes is refused and creates
   * nothing.
   */
  copyAppToOrganisation: op<{
    missingScopes: ScopeRequest[];
    app: ExternalClient | null;
    secret: NewSecret | null;
    plan: Plan | null;
    /** The federated credentials the copy carries (they are not secrets), as created in the target. */
    federatedCredentials?: FederatedCredential[];
    /** Those the target refused as it created them (e.g. it could not reach the issuer's keys), each in a sentence. */
    federatedCredentialsRefused?: string[];
  }>()(
    z
      .object({
        organisation,
        clientId,
        to: labelled(
          z.string({ error: 'Target organisation is required.' }).min(1, 'Target organisation is required.'),
          'Target organisation',
        ),
        dryRun: labelled(z.boolean(), 'Dry run').default(false),
      })
      .strict(),
  ),
} as const;
