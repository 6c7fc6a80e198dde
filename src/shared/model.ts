// The domain's shapes, as zod schemas; every type of the app flows from these (z.infer).
import { z } from 'zod';

/** How a granted scope is used: on behalf of a signed-in user, or by the application itself. */
export const ScopeType = z.enum(['user', 'application']);
export type ScopeType = z.infer<typeof ScopeType>;

/** How the catalogue allows a scope to be used. */
export const CatalogueScopeType = z.enum(['user', 'application', 'userAndApplication']);
export type CatalogueScopeType = z.infer<typeof CatalogueScopeType>;

export const CatalogueScope = z.object({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  type: CatalogueScopeType,
});
export type CatalogueScope = z.infer<typeof CatalogueScope>;

/** An API resource an external application can be given scopes of (GET /ExternalApiResource). */
export const CatalogueResource = z.object({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  scopes: z.array(CatalogueScope),
});
export type CatalogueResource = z.infer<typeof CatalogueResource>;
export type Catalogue = CatalogueResource[];

/** A scope as the admin requests it for an application. */
export const ScopeRequest = z.object({
  name: z.string(),
  type: ScopeType,
});
export type ScopeRequest = z.infer<typeof ScopeRequest>;

export const GrantedScope = z.object({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  type: ScopeType,
});
export type GrantedScope = z.infer<typeof GrantedScope>;

export const AppResource = z.object({
  name: z.string(),
  displayName: z.string(),
  description: z.string(),
  scopes: z.array(GrantedScope),
});
export type AppResource = z.infer<typeof AppResource>;

/** A secret's record. Never its value. */
export const SecretInfo = z.object({
  id: z.string(),
  description: z.string().nullable(),
  creationTime: z.string(),
  expiryTime: z.string().nullable(),
  lastUsedTime: z.string().nullable().optional(),
});
export type SecretInfo = z.infer<typeof SecretInfo>;

/** An external application as the Identity Server returns it (ExternalClientDto). */
export const ExternalClient = z.object({
  id: z.string(),
  name: z.string(),
  isConfidential: z.boolean(),
  redirectUri: z.string().nullable(),
  resources: z.array(AppResource),
  secrets: z.array(SecretInfo),
});
export type ExternalClient = z.infer<typeof ExternalClient>;

/** One row of the External Applications table, kept small so 10 000 of them cross IPC quickly. */
export const AppSummary = z.object({
  id: z.string(),
  name: z.string(),
  isConfidential: z.boolean(),
  redirectUri: z.string().nullable(),
  resources: z.array(z.string()),
  userScopeCount: z.number(),
  applicationScopeCount: z.number(),
  secretCount: z.number(),
  /** The soonest expiry among the app's secrets (ISO), or null when none expires: the list marks it when close. */
  nextSecretExpiry: z.string().nullable(),
});
export type AppSummary = z.infer<typeof AppSummary>;

/** Where a secret is kept in the OS keychain: the names `secret-tool`, Keychain Access or Credential Manager show. */
export const KeychainRef = z.object({
  service: z.string(),
  account: z.string(),
});
export type KeychainRef = z.infer<typeof KeychainRef>;

/**
 * A secret just created. `value` is shown once; `stored` tells whether it reached the keychain.
 * When it did not, `pendingId` lets the admin retry: main holds the value in memory until then.
 */
export const NewSecret = z.object({
  id: z.string(),
  value: z.string(),
  keychain: KeychainRef,
  stored: z.boolean(),
  keychainError: z.string().nullable(),
  pendingId: z.string().nullable(),
});
export type NewSecret = z.infer<typeof NewSecret>;

/** How OAuth Desk signs in to an organisation as its admin: the embedded tenant's own admin application, an admin
 * application whose secret the admin pasted, or the admin's own account through the system browser. */
export const SignInMethod = z.enum(['embedded', 'adminApp', 'account']);
export type SignInMethod = z.infer<typeof SignInMethod>;

export const TenantSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  baseUrl: z.string(),
  orgName: z.string(),
  isLocal: z.boolean(),
  signIn: SignInMethod,
  /** The organisation the window and the CLI work on when none is named. */
  isCurrent: z.boolean(),
});
export type TenantSummary = z.infer<typeof TenantSummary>;

export const TenantDetails = TenantSummary.extend({
  partitionGlobalId: z.string(),
  issuer: z.string(),
  tokenUrl: z.string(),
  authorizeUrl: z.string(),
  adminClientId: z.string(),
  adminSecret: KeychainRef,
});
export type TenantDetails = z.infer<typeof TenantDetails>;

/** What a developer needs to build the integration. Carries where the secret is, never the secret. */
export const Handoff = z.object({
  tenant: z.string(),
  appId: z.string(),
  name: z.string(),
  applicationType: z.enum(['Confidential', 'Non-confidential']),
  userScopes: z.array(z.string()),
  applicationScopes: z.array(z.string()),
  redirectUri: z.string().nullable(),
  issuer: z.string(),
  tokenUrl: z.string(),
  authorizeUrl: z.string(),
  secrets: z.array(z.object({ id: z.string(), keychain: KeychainRef, expiryTime: z.string().nullable() })),
});
export type Handoff = z.infer<typeof Handoff>;

export const ActivityEntry = z.object({
  id: z.number(),
  at: z.string(),
  tenant: z.string(),
  action: z.string(),
  target: z.string(),
  detail: z.string(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;

/** A secret of an application as the App Secret section shows it: the server's record plus where it is kept. */
export const AppSecret = SecretInfo.extend({
  /** Where this workspace keeps its value; null when it was made elsewhere (another workspace, the portal). */
  keychain: KeychainRef.nullable(),
  /** First 8 hex digits of SHA-256 of the value, to tell secrets apart without showing them. */
  fingerprint: z.string().nullable(),
});
export type AppSecret = z.infer<typeof AppSecret>;

/** A user of the local tenant, who signs in on the Identity Server's page during an authorization-code flow. */
export const LocalUser = z.object({
  id: z.string(),
  userName: z.string(),
  displayName: z.string(),
  creationTime: z.string(),
});
export type LocalUser = z.infer<typeof LocalUser>;

/**
 * The application scopes of an admin application: what OAuth Desk needs to manage an organisation's external
 * applications and their secrets. The same names serve as user scopes when the admin signs in with their account.
 */
export const ADMIN_APP_SCOPES = ['PM.OAuthApp', 'PM.OAuthAppSecret.Write'] as const;

/** The scope that manages a tenant's users: the local tenant's admin application holds it too (Users view). */
export const USER_ADMIN_SCOPE = 'PM.User';

/** What the app knows of an organisation's reachability: the header's Online/Offline, last sync, a sync, a wait. */
export const TenantStatus = z.object({
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
export type TenantStatus = z.infer<typeof TenantStatus>;

/** One line of Test connection. */
export const ConnectionCheck = z.object({
  check: z.enum(['discovery', 'token', 'listApps', 'catalogue', 'secretManagement']),
  ok: z.boolean(),
  /** What passed, or why it failed and what that breaks, e.g. "the token lacks PM.OAuthAppSecret.Write: …". */
  detail: z.string(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

/** A secret that expires soon or has expired, in any organisation: the badge and the list of expiring secrets. */
export const ExpiringSecret = z.object({
  tenant: z.string(),
  tenantName: z.string(),
  clientId: z.string(),
  appName: z.string(),
  secretId: z.string(),
  description: z.string().nullable(),
  expiryTime: z.string(),
  expired: z.boolean(),
});
export type ExpiringSecret = z.infer<typeof ExpiringSecret>;
