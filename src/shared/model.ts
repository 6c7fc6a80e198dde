// The domain's shapes, as zod schemas; every type of the app flows from these (z.infer).
import { z } from 'zod';
import { HandoffFederatedFields } from './handoffFederated';
import { Plan } from './plan';

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
  // Labels: the words a refusal of the field uses (src/shared/contract/operation.ts).
  name: z.string().meta({ label: 'Scope name' }),
  type: ScopeType.meta({ label: 'Scope type' }),
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

/**
 * A secret's record. Never its value. `id` is UiPath's int64 SecretDto.id as its decimal digits (src/shared/secretId.ts),
 * kept exactly however large; `creationTime` is null when the organisation's answer left it out.
 */
export const SecretInfo = z.object({
  id: z.string(),
  description: z.string().nullable(),
  creationTime: z.string().nullable(),
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
  /** Its federated credentials as last read (null: not known); with no secret, one or more marks it Secretless. */
  federatedCredentialCount: z.number().nullable(),
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

/** How OAuth Desk signs in to an organisation as its admin: the embedded organisation's own admin application, an admin
 * application whose secret the admin pasted, or the admin's own account through the system browser. */
export const SignInMethod = z.enum(['embedded', 'adminApp', 'account']);
export type SignInMethod = z.infer<typeof SignInMethod>;

export const OrganisationSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  baseUrl: z.string(),
  orgName: z.string(),
  isLocal: z.boolean(),
  signIn: SignInMethod,
  /** The organisation the window and the CLI work on when none is named. */
  isCurrent: z.boolean(),
});
export type OrganisationSummary = z.infer<typeof OrganisationSummary>;

export const OrganisationDetails = OrganisationSummary.extend({
  partitionGlobalId: z.string(),
  issuer: z.string(),
  tokenUrl: z.string(),
  authorizeUrl: z.string(),
  adminClientId: z.string(),
  adminSecret: KeychainRef,
  /** How many application secrets OAuth Desk keeps in the keychain for this organisation (what removal asks about). */
  keptSecrets: z.number(),
});
export type OrganisationDetails = z.infer<typeof OrganisationDetails>;

/** What a developer needs to build the integration. Carries where the secret is, never the secret. */
export const Handoff = z.object({
  organisation: z.string(),
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
  ...HandoffFederatedFields,
});
export type Handoff = z.infer<typeof Handoff>;

/** A secret of an application as the App Secret section shows it: the server's record plus where it is kept. */
export const AppSecret = SecretInfo.extend({
  /** Where this workspace keeps its value; null when it was made elsewhere (another workspace, the portal). */
  keychain: KeychainRef.nullable(),
  /** First 8 hex digits of SHA-256 of the value, to tell secrets apart without showing them. */
  fingerprint: z.string().nullable(),
  /**
   * Whether this workspace's keychain holds the value. False for a secret made elsewhere, and for one whose value was
   * lost (the app stopped between the server's answer and the keychain write, or the entry was removed): the App
   * Secret section marks it "Secret not in your keychain", to be replaced by a new one and deleted.
   */
  inKeychain: z.boolean(),
});
export type AppSecret = z.infer<typeof AppSecret>;

/** A user of the local organisation, who signs in on the Identity Server's page during an authorization-code flow. */
export const LocalUser = z.object({
  id: z.string(),
  userName: z.string(),
  displayName: z.string(),
  creationTime: z.string(),
});
export type LocalUser = z.infer<typeof LocalUser>;

export { ADMIN_APP_SCOPES, USER_ADMIN_SCOPE } from './adminScopes';

// Shapes kept in files of their own: an organisation's status and Test connection's lines, the activity list's entries
// (its actions and their kinds), and the registrations-as-code export document.
export * from './organisationStatus';
export * from './activity';
export * from './exportDocument';

/** A secret that expires soon or has expired, in any organisation: the badge and the list of expiring secrets. */
export const ExpiringSecret = z.object({
  organisation: z.string(),
  tenantName: z.string(),
  clientId: z.string(),
  appName: z.string(),
  secretId: z.string(),
  description: z.string().nullable(),
  expiryTime: z.string(),
  expired: z.boolean(),
});
export type ExpiringSecret = z.infer<typeof ExpiringSecret>;

/** A rule's complaint about one field, as kept with a draft or listed in a preview. */
export const RuleIssue = z.object({ field: z.string(), message: z.string() });
export type RuleIssue = z.infer<typeof RuleIssue>;

/** Whether one organisation's cached catalogue can grant every scope of a scope set, and which it lacks. */
export const ScopeSetCoverage = z.object({
  organisation: z.string(),
  displayName: z.string(),
  /** False when the organisation's catalogue was never fetched: nothing is known of it yet. */
  cached: z.boolean(),
  missing: z.array(ScopeRequest),
});
export type ScopeSetCoverage = z.infer<typeof ScopeSetCoverage>;

/** A named, described set of user and application scopes, given to many applications; not tied to an organisation. */
export const ScopeSet = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  scopes: z.array(ScopeRequest),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The organisations whose cached catalogue holds every scope of the set. */
  heldBy: z.array(z.string()),
  coverage: z.array(ScopeSetCoverage),
});
export type ScopeSet = z.infer<typeof ScopeSet>;

/** A registration saved without a server: edited offline, registered later against the live catalogue. */
export const SavedDraft = z.object({
  id: z.string(),
  organisation: z.string(),
  name: z.string(),
  isConfidential: z.boolean(),
  redirectUri: z.string().nullable(),
  scopes: z.array(ScopeRequest),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the rules would refuse now, judged against the organisation's cached catalogue. */
  problems: z.array(RuleIssue),
});
export type SavedDraft = z.infer<typeof SavedDraft>;

/** How a scope set meets an application's scopes: added to them, removed from them, or replacing them. */
export const ApplyMode = z.enum(['add', 'remove', 'replace']);
export type ApplyMode = z.infer<typeof ApplyMode>;

export const ScopeNames = z.object({ user: z.array(z.string()), application: z.array(z.string()) });
export type ScopeNames = z.infer<typeof ScopeNames>;

/** One application in a preview: what applying the set changes, and what the rules refuse. */
export const PreviewedApp = z.object({
  clientId: z.string(),
  name: z.string(),
  isConfidential: z.boolean(),
  /** change: written on apply; unchanged: nothing to write; refused: the rules refuse the result, nothing is written. */
  outcome: z.enum(['change', 'unchanged', 'refused']),
  added: ScopeNames,
  removed: ScopeNames,
  /** The rules' messages: scopes left out (application scopes of a non-confidential app) or why it is refused. */
  refusals: z.array(z.string()),
});
export type PreviewedApp = z.infer<typeof PreviewedApp>;

/** How long an apply takes within the organisation's rate limits: one GET (the re-read) and one PUT per change. */
export const ApplyEstimate = z.object({
  reads: z.number().int(),
  writes: z.number().int(),
  seconds: z.number(),
  /** The method class whose limit sets the pace; null when neither holds the run back (limits lifted). */
  limitedBy: z.enum(['get', 'put']).nullable(),
  limits: z.object({ get: z.number(), put: z.number(), windowSeconds: z.number() }),
  /** uipath: UiPath's documented limits; embedded: the limits the embedded server was started with. */
  limitsOf: z.enum(['uipath', 'embedded']),
});
export type ApplyEstimate = z.infer<typeof ApplyEstimate>;

export const ScopeSetPreview = z.object({
  previewId: z.string(),
  organisation: z.string(),
  setId: z.string(),
  setName: z.string(),
  mode: ApplyMode,
  createdAt: z.string(),
  /** True when the organisation could not be reached and the preview was made from the cache. */
  fromCache: z.boolean(),
  apps: z.array(PreviewedApp),
  totals: z.object({
    apps: z.number().int(),
    change: z.number().int(),
    unchanged: z.number().int(),
    refused: z.number().int(),
    userScopesAdded: z.number().int(),
    applicationScopesAdded: z.number().int(),
    userScopesRemoved: z.number().int(),
    applicationScopesRemoved: z.number().int(),
  }),
  estimate: ApplyEstimate,
  /** What applying changes, per application, in the one shape of every preview (./plan.ts). */
  plan: Plan,
});
export type ScopeSetPreview = z.infer<typeof ScopeSetPreview>;

/** applied and unchanged succeeded; conflict: changed on the server since the preview, held back; notRun: not written (not reached yet, or stopped before its PUT). */
export const ApplyOutcome = z.enum(['applied', 'unchanged', 'conflict', 'refused', 'failed', 'notRun']);
export type ApplyOutcome = z.infer<typeof ApplyOutcome>;

export const ApplyResult = z.object({
  clientId: z.string(),
  name: z.string(),
  outcome: ApplyOutcome,
  message: z.string().nullable(),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

/** An application held back: as the preview saw it and as the server has it now, for a side-by-side view. */
export const ApplyConflict = z.object({
  clientId: z.string(),
  name: z.string(),
  previewed: ExternalClient,
  current: ExternalClient,
});
export type ApplyConflict = z.infer<typeof ApplyConflict>;

export const ApplyStatus = z.object({
  runId: z.string(),
  organisation: z.string(),
  setName: z.string(),
  mode: ApplyMode,
  state: z.enum(['running', 'done', 'stopped']),
  done: z.number().int(),
  total: z.number().int(),
  results: z.array(ApplyResult),
  conflicts: z.array(ApplyConflict),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** While a 429 holds the run, until when (ISO). */
  rateLimitedUntil: z.string().nullable(),
  /** Stop was asked while it runs: only the applications being written are finished. */
  stopping: z.boolean(),
  /** Applications whose one PUT is on its way now: what a Stop still finishes. */
  writing: z.number().int(),
});
export type ApplyStatus = z.infer<typeof ApplyStatus>;

/** A preview saved offline, to be previewed afresh and applied after the next sync. */
export const PendingChange = z.object({
  id: z.string(),
  organisation: z.string(),
  setId: z.string(),
  setName: z.string(),
  mode: ApplyMode,
  /** null: every application of the organisation. */
  clientIds: z.array(z.string()).nullable(),
  createdAt: z.string(),
  totals: ScopeSetPreview.shape.totals,
});
export type PendingChange = z.infer<typeof PendingChange>;

// Registrations as code: what importing an export document (exportDocument.ts) did, or would do, per entry.
export const ImportAction = z.enum(['create', 'update', 'unchanged', 'refused']);
export type ImportAction = z.infer<typeof ImportAction>;

export const ImportedRegistration = z.object({
  name: z.string(),
  action: ImportAction,
  /** The application in the target organisation, when it exists or was created. */
  clientId: z.string().nullable(),
  /** For an update: the changes as lines a person reads. */
  changes: z.array(z.string()),
  /** The rules' messages, for a refused one. */
  messages: z.array(z.string()),
  applied: z.boolean(),
  /** A created confidential application's first secret, kept in the keychain like any other. */
  secret: NewSecret.nullable(),
});
export type ImportedRegistration = z.infer<typeof ImportedRegistration>;

export const ImportResult = z.object({
  organisation: z.string(),
  dryRun: z.boolean(),
  registrations: z.array(ImportedRegistration),
  scopeSets: z.array(z.object({ name: z.string(), action: ImportAction, messages: z.array(z.string()) })),
  /**
   * Per application, what the import changes as judged before anything is applied (./plan.ts); `registrations` says
   * what was applied.
   */
  plan: Plan,
});
export type ImportResult = z.infer<typeof ImportResult>;
