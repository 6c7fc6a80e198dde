// What OrganisationClient is given and answers: the organisation's address, its options, and the shapes of its requests.
import type { ExternalClient, ScopeRequest, SecretInfo } from '../../shared/model';
import type { BackoffPolicy } from './backoff';
import type { OrganisationAddress } from './endpoints';
import type { TokenSource } from './tokens';

export interface OrganisationConnection extends OrganisationAddress {
  partitionGlobalId: string;
  adminClientId: string;
}

/** Whether the organisation answered the last request, and why not. */
export type Reachability = { online: true } | { online: false; error: string };

export interface OrganisationClientOptions {
  /** Read when each request is made: adding an organisation learns its partition from the first token. */
  connection: OrganisationConnection;
  /**
   * The organisation as the client's sentences name it: organisationInWords (src/shared/organisationInWords.ts), its
   * display name. The connection's `orgName` is only for URLs.
   */
  inWords: string;
  /** Where admin tokens come from: the admin application's client credentials, or the admin's account. */
  tokens: TokenSource;
  fetch?: typeof fetch;
  backoff?: BackoffPolicy;
  /** How many times a 429 is retried at most (default 100); the backoff's total wait usually ends it first. */
  maxRetries?: number;
  requestTimeoutMs?: number;
  /** Waits `ms`; ends at once, rejecting, when `signal` aborts (a Stop during a rate-limit wait). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told when a 429 makes a request wait (until when, in epoch ms) and when it goes on (null). */
  onRateLimitWait?: (untilMs: number | null) => void;
  /** Told after every request whether the organisation answered. */
  onReachability?: (reach: Reachability) => void;
}

/** Cancels a long call (a sync the admin stopped). */
export interface CallOptions {
  signal?: AbortSignal;
  /** Ends a rate-limit wait of the call, never a request under way (an apply's Stop: a write is never cut off). */
  stopWaiting?: AbortSignal;
}

export interface CreateAppRequest {
  name: string;
  isConfidential: boolean;
  redirectUri: string | null;
  scopes: ScopeRequest[];
}

export interface UpdateAppRequest {
  name: string;
  redirectUri: string | null;
  scopes: ScopeRequest[];
}

export interface SecretRequest {
  description: string | null;
  /** ISO date-time, or null for a secret that does not expire. */
  expiryTime: string | null;
}

export interface NewUserRequest {
  userName: string;
  displayName: string;
  password: string;
}

/**
 * The answer of a write that may carry a secret value (create, GenerateSecret). The value is taken from the raw answer
 * first, before anything else in it is checked, so that an answer the app cannot otherwise read never loses it.
 */
export interface SecretBearingAnswer<T> {
  /** The secret value, or null when the answer holds none that can be read. */
  secretValue: string | null;
  /** Where the secret belongs, as far as the raw answer tells: for its keychain entry. */
  clientId: string | null;
  secretId: string | null;
  /** The rest of the answer in the app's shapes; throws an AppError saying what could not be read. */
  read: () => T;
}

export type CreatedApp = SecretBearingAnswer<ExternalClient>;
export type GeneratedSecret = SecretBearingAnswer<SecretInfo>;
