// What the app knows of an organisation's reachability, and the lines of Test connection; re-exported by model.ts.
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
  ok: z.boolean(),
  /** What passed, or why it failed and what that breaks, e.g. "the token lacks PM.OAuthAppSecret.Write: …". */
  detail: z.string(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;
