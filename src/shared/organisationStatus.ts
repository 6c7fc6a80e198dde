// What the app knows of an organisation's reachability, the lines of Test connection, and the application secrets
// kept after an organisation was removed; re-exported by model.ts.
import { z } from 'zod';

/** What the app knows of an organisation's reachability: the header's Online/Offline, last sync, a sync, a wait. */
export const OrganisationStatus = z.object({
  /** null until the organisation was asked once in this session. */
  online: z.boolean().nullable(),
  /** Why the last request failed, as a sentence; null when it succeeded. */
  lastError: z.string().nullable(),
  /** When the cache last received the whole list of applications (ISO); null when never. */
  lastSyncAt: z.string().nullable(),
  /** A sync under way: applications cached so far, of how many; null when none runs. */
  sync: z.object({ done: z.number(), total: z.number().nullable() }).nullable(),
  /** While a 429 makes the client wait: until when (ISO); null otherwise. */
  rateLimitedUntil: z.string().nullable(),
});
export type OrganisationStatus = z.infer<typeof OrganisationStatus>;

/** One line of Test connection. */
export const ConnectionCheck = z.object({
  check: z.enum(['discovery', 'token', 'listApps', 'catalogue', 'secretManagement']),
  /** True only for a check that ran and passed. */
  ok: z.boolean(),
  /** Passed, failed, or not checked because a check it stands on failed. */
  result: z.enum(['passed', 'failed', 'notChecked']),
  /** What passed, or why it failed and what that breaks, e.g. "the token lacks PM.OAuthAppSecret.Write: …". */
  detail: z.string(),
  /** What to do about a failed check, e.g. "Add PM.OAuthAppSecret.Write to the admin application in the portal, …". */
  fix: z.string().optional(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

/** An application secret of an organisation removed from this workspace, kept in the keychain under its own entry. */
export const KeptSecretOfRemoved = z.object({
  organisationId: z.string(),
  /** The organisation's name as it was shown when it was removed. */
  organisationName: z.string(),
  clientId: z.string(),
  /** The application's name as last cached; null when it was not. */
  appName: z.string().nullable(),
  secretId: z.string(),
  keychain: z.object({ service: z.string(), account: z.string() }),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  removedAt: z.string(),
});
export type KeptSecretOfRemoved = z.infer<typeof KeptSecretOfRemoved>;
