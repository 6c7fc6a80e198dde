// Every operation of OAuth Desk, listed once: its name, the zod schema of its input and the type of its output.
// Electron IPC, the CLI and the e2e test bridge are doors onto one dispatch over this table.
import { z } from 'zod';
import { SECRET_ID_MESSAGE, isSecretId } from './secretId';
import type {
  ActivityEntry,
  ConnectionCheck,
  ExpiringSecret,
  TenantStatus,
  AppSummary,
  Catalogue,
  ExternalClient,
  Handoff,
  KeychainRef,
  NewSecret,
  TenantDetails,
  TenantSummary,
} from './model';
import { ExportDocument, ScopeRequest } from './model';
import type { ApplyStatus, ImportResult, PendingChange, SavedDraft, ScopeSet, ScopeSetPreview } from './model';
import { ORGANISATION_ID_MESSAGE, ORGANISATION_ID_PATTERN, SECRET_DESCRIPTION_MAX } from './rules';
import type { LocalUser, AppSecret } from './model';

/** A secret's ID: UiPath's int64, as its decimal digits (src/shared/secretId.ts), however large. */
const SecretIdInput = z.string().min(1, 'Secret ID is required.').refine(isSecretId, SECRET_ID_MESSAGE);

/** An operation: the schema its input must pass, and (as a type only) what it answers. */
export interface Operation<I extends z.ZodType, O> {
  input: I;
  /** Phantom: carries the output type, never read at run time. */
  output?: O;
}

function op<O>() {
  return <I extends z.ZodType>(input: I): Operation<I, O> => ({ input });
}

/** Left out, the operation works on the current organisation (useTenant): dispatch fills it in before the handler. */
const tenant = z.string().min(1, 'Tenant is required.').optional();
const clientId = z.string().min(1, 'App ID is required.');
/** A scope set by its ID or its name. */
const setId = z.string({ error: 'Scope set is required.' }).min(1, 'Scope set is required.');
const draftId = z.string({ error: 'Draft ID is required.' }).min(1, 'Draft ID is required.');
const previewId = z.string({ error: 'Preview ID is required.' }).min(1, 'Preview ID is required.');
const runId = z.string({ error: 'Run ID is required.' }).min(1, 'Run ID is required.');
const changeId = z.string({ error: 'Pending change ID is required.' }).min(1, 'Pending change ID is required.');

export const contract = {
  /** The tenants (Identity Server organisations) this workspace knows. */
  listTenants: op<TenantSummary[]>()(z.object({}).strict()),
  /** URLs, org, partition and the admin application of one tenant. */
  showTenant: op<TenantDetails>()(z.object({ tenant }).strict()),
  /**
   * Adds a UiPath organisation (Automation Cloud or an Automation Suite host over https; http only on a loopback
   * address). `adminApp`: the admin application's secret goes straight to the keychain. `account`: the admin signs in
   * in the system browser (authorization code + PKCE, loopback redirect) and the refresh token goes to the keychain.
   * The partitionGlobalId is read from the token's prt_id claim unless given. Answers the connection checks.
   */
  addTenant: op<{ tenant: TenantSummary; checks: ConnectionCheck[] }>()(
    z
      .object({
        id: z.string({ error: 'Organisation ID is required.' }).regex(ORGANISATION_ID_PATTERN, ORGANISATION_ID_MESSAGE),
        displayName: z.string().default(''),
        baseUrl: z.string({ error: 'Base URL is required.' }),
        orgName: z.string({ error: 'Organisation name is required.' }).min(1, 'Organisation name is required.'),
        partitionGlobalId: z.string().nullable().default(null),
        signIn: z.discriminatedUnion(
          'method',
          [
            z
              .object({
                method: z.literal('adminApp'),
                clientId: z.string().min(1, 'App ID is required.'),
                clientSecret: z.string().min(1, 'App secret is required.'),
              })
              .strict(),
            z.object({ method: z.literal('account'), clientId: z.string().min(1, 'App ID is required.') }).strict(),
          ],
          { error: 'Sign-in must be an admin application or your account.' },
        ),
      })
      .strict(),
  ),
  /** Discovery, token, list applications, resource catalogue, secret management: one line each, with the reason. */
  testTenant: op<ConnectionCheck[]>()(z.object({ tenant }).strict()),
  /** Makes an organisation the current one: the window and the CLI work on it when none is named. */
  useTenant: op<{ current: string }>()(z.object({ tenant: z.string().min(1, 'Tenant is required.') }).strict()),
  /** Forgets an organisation: its keychain entries and its cache go; nothing changes on the server. */
  removeTenant: op<{ removed: true; keychainEntriesRemoved: number }>()(
    z.object({ tenant: z.string().min(1, 'Tenant is required.') }).strict(),
  ),
  /** Online state, last sync, a sync's progress and a rate-limit wait: what the header shows. */
  tenantStatus: op<TenantStatus>()(z.object({ tenant }).strict()),
  /** Refreshes an organisation's catalogue and every registration into the cache; stopSync ends it early. */
  syncTenant: op<{ synced: number; at: string; stopped: boolean }>()(z.object({ tenant }).strict()),
  /** Stops a sync under way; what was cached stays. */
  stopSync: op<{ stopped: boolean }>()(z.object({ tenant }).strict()),
  /**
   * Copies an application to another organisation: its type, scopes by type and redirect URL. A confidential copy gets
   * its own new secret, into the keychain; secrets are never copied. `dryRun` only reports the scopes the target's
   * catalogue lacks; a copy with such scopes is refused and creates nothing.
   */
  copyApp: op<{ missingScopes: ScopeRequest[]; app: ExternalClient | null; secret: NewSecret | null }>()(
    z
      .object({
        tenant,
        clientId,
        to: z.string({ error: 'Target organisation is required.' }).min(1, 'Target organisation is required.'),
        dryRun: z.boolean().default(false),
      })
      .strict(),
  ),
  /** Secrets that expire within `withinDays` or have expired, in every organisation, from the cache. */
  listExpiringSecrets: op<ExpiringSecret[]>()(
    z.object({ withinDays: z.number().int().min(1).max(365).default(30) }).strict(),
  ),
  /** The tenant's API resources and their scopes (GET /ExternalApiResource), cached for offline use. */
  listCatalogue: op<Catalogue>()(z.object({ tenant, refresh: z.boolean().default(false) }).strict()),
  /** The External Applications table: from the workspace cache, refreshed from the server when asked. */
  listApps: op<AppSummary[]>()(
    z
      .object({
        tenant,
        refresh: z.boolean().default(false),
        /** At most this many rows in name order: a screenful to paint at once, then the rest page by page. */
        limit: z.number().int().min(1).optional(),
        /** The rows after this one in name order (the last row of the page before), so pages never overlap. */
        after: z.object({ name: z.string(), id: z.string() }).strict().optional(),
      })
      .strict(),
  ),
  getApp: op<ExternalClient>()(z.object({ tenant, clientId }).strict()),
  /** Registers an application; a confidential one's secret goes to the keychain before this answers. */
  createApp: op<{ app: ExternalClient; secret: NewSecret | null }>()(
    z
      .object({
        tenant,
        name: z.string({ error: 'Application Name is required.' }),
        isConfidential: z.boolean({ error: 'Application Type must be Confidential or Non-confidential.' }),
        redirectUri: z.string().nullable().default(null),
        scopes: z.array(ScopeRequest, { error: 'Scopes must be a list of { name, type }.' }),
      })
      .strict(),
  ),
  /** Tries again to put a secret the keychain refused into it; main kept the value in memory until then. */
  /** `replaced`: the secrets deleted once it was stored, when it was generated to replace them. */
  retrySecretStore: op<{ stored: true; keychain: KeychainRef; replaced: string[] }>()(
    z.object({ pendingId: z.string().min(1) }).strict(),
  ),
  /** Forgets a secret the keychain refused (the admin copied it elsewhere, or gave up). */
  dismissPendingSecret: op<{ dismissed: boolean }>()(z.object({ pendingId: z.string().min(1) }).strict()),
  /**
   * Changes an application's name, redirect URL and scopes (the scopes given replace the app's scopes; a field left
   * out stays as it is). The rules of a registration hold; the application type cannot change.
   */
  updateApp: op<ExternalClient>()(
    z
      .object({
        tenant,
        clientId,
        name: z.string().optional(),
        redirectUri: z.string().nullable().optional(),
        scopes: z.array(ScopeRequest, { error: 'Scopes must be a list of { name, type }.' }).optional(),
      })
      .strict(),
  ),
  /** Deletes an application on the tenant, and its secrets' keychain entries. */
  deleteApp: op<{ deleted: true; keychainEntriesRemoved: number }>()(z.object({ tenant, clientId }).strict()),
  /** The App Secret section: every secret of the app with created, expires, last used and its keychain entry. */
  listSecrets: op<AppSecret[]>()(z.object({ tenant, clientId }).strict()),
  /**
   * Generates a new secret, puts it into the keychain, then (`replace`) deletes the app's other secrets — only once
   * the new one is safely in the keychain — or (`overlap`) leaves them working until deleted or expired.
   * `replaced` lists the secrets deleted; when the keychain refused the new one, nothing is deleted yet and retrying
   * (retrySecretStore) finishes the replacement.
   */
  generateSecret: op<{ secret: NewSecret; replaced: string[] }>()(
    z
      .object({
        tenant,
        clientId,
        description: z
          .string()
          .max(SECRET_DESCRIPTION_MAX, `Description must be at most ${SECRET_DESCRIPTION_MAX} characters.`)
          .nullable()
          .default(null),
        /** ISO date-time; null for a secret that does not expire. */
        expiryTime: z.iso
          .datetime({ offset: true, error: 'Expiration must be a date and time, e.g. 2027-01-31T00:00:00Z.' })
          .nullable()
          .default(null),
        mode: z.enum(['replace', 'overlap'], { error: 'Mode must be replace or overlap.' }),
      })
      .strict(),
  ),
  /** Deletes one secret: integrations using it stop working. Its keychain entry goes with it. */
  deleteSecret: op<{ deleted: true }>()(z.object({ tenant, clientId, secretId: SecretIdInput }).strict()),
  /** Reads a secret from the keychain in main and puts it on the clipboard, cleared after `clearAfterSeconds`. */
  copySecret: op<{ copied: true; clearAfterSeconds: number }>()(
    z.object({ tenant, clientId, secretId: SecretIdInput }).strict(),
  ),
  /**
   * The Copy of a secret shown once, through main as every copy (cleared after `clearAfterSeconds`): named by its
   * `pendingId` while the keychain refuses it (main holds it in memory), else by App ID and Secret ID. The page never
   * sends the value.
   */
  copyNewSecret: op<{ copied: true; clearAfterSeconds: number }>()(
    z
      .object({
        tenant,
        clientId: clientId.optional(),
        secretId: SecretIdInput.optional(),
        pendingId: z.string().min(1, 'Pending secret ID is required.').optional(),
      })
      .strict()
      .refine(
        (input) => input.pendingId !== undefined || (input.clientId !== undefined && input.secretId !== undefined),
        {
          path: ['secretId'],
          error: 'Name the secret to copy: its pending secret ID, or its App ID and Secret ID.',
        },
      ),
  ),
  /**
   * Gives the organisation's admin application a new secret, straight into the keychain (never shown or answered),
   * then deletes its old ones. The one way to change the admin application's secrets; an `account` sign-in has none.
   */
  rotateAdminSecret: op<{ rotated: true; secretId: string; keychain: KeychainRef; deleted: string[] }>()(
    z.object({ tenant: z.string({ error: 'Tenant is required.' }).min(1, 'Tenant is required.') }).strict(),
  ),
  /**
   * Opens one of the window's links in the system browser: the documentation, or the organisation's portal. Main builds
   * the address; the page only names the link.
   */
  openLink: op<{ opened: true; url: string }>()(
    z
      .object({
        link: z.enum(['documentation', 'portal'], { error: 'Link must be documentation or portal.' }),
        tenant,
      })
      .strict(),
  ),
  /**
   * The details a developer needs to build the integration, as data and as a document (Markdown, JSON or .env).
   * The document never carries a secret: only exportHandoff writes one into a file, and only when asked.
   */
  handoffApp: op<{ handoff: Handoff; document: string }>()(
    z.object({ tenant, clientId, format: z.enum(['md', 'json', 'env']).default('md') }).strict(),
  ),
  /**
   * Writes the handoff document to a file the user chooses (main asks with a save dialog when `path` is not given).
   * `includeSecret` (.env only) reads the newest secret from the keychain in main and writes it into the file.
   * `age`: the .env document with the secret, encrypted to the developer's age `recipient` (age1…): only they can read it.
   */
  exportHandoff: op<{ path: string } | { cancelled: true }>()(
    z
      .object({
        tenant,
        clientId,
        format: z.enum(['md', 'json', 'env', 'age']),
        includeSecret: z.boolean().default(false),
        recipient: z
          .string()
          .regex(/^age1[0-9a-z]+$/, "Recipient must be the developer's age public key, e.g. age1ql3z7hjy54pw3hyww5ay….")
          .optional(),
        path: z.string().min(1).optional(),
      })
      .strict()
      .refine((input) => !input.includeSecret || input.format === 'env', {
        path: ['includeSecret'],
        error: 'Only a .env export can include the secret.',
      })
      .refine((input) => (input.format === 'age') === (input.recipient !== undefined), {
        path: ['recipient'],
        error: "An age export needs the developer's recipient (age1…), and only an age export takes one.",
      }),
  ),
  /** The users of the local tenant, who sign in on its page during an authorization-code flow. */
  listUsers: op<LocalUser[]>()(z.object({ tenant }).strict()),
  createUser: op<LocalUser>()(
    z
      .object({
        tenant,
        userName: z.string({ error: 'User name is required.' }),
        displayName: z.string().default(''),
        password: z.string({ error: 'Password is required.' }),
      })
      .strict(),
  ),
  deleteUser: op<{ deleted: true }>()(
    z.object({ tenant, userName: z.string().min(1, 'User name is required.') }).strict(),
  ),
  /** What the admin did, newest first. Never carries a secret. */
  listActivity: op<ActivityEntry[]>()(z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict()),

  // Scope sets, drafts, applying a set to many applications, and registrations as code.
  /** The workspace's scope sets, each with the organisations whose cached catalogue holds all its scopes. */
  listScopeSets: op<ScopeSet[]>()(z.object({}).strict()),
  getScopeSet: op<ScopeSet>()(z.object({ setId }).strict()),
  /** Creates a scope set, or (with `id`) changes one; names are unique, compared without case. */
  saveScopeSet: op<ScopeSet>()(
    z
      .object({
        id: z.string().min(1, 'Scope set ID must not be empty.').optional(),
        name: z.string({ error: 'Scope set name is required.' }),
        description: z.string({ error: 'Description must be text.' }).default(''),
        scopes: z.array(ScopeRequest, { error: 'Scopes must be a list of { name, type }.' }),
      })
      .strict(),
  ),
  /** A copy of a set under a new name ("<name> (copy)" when none is given). */
  duplicateScopeSet: op<ScopeSet>()(z.object({ setId, name: z.string().optional() }).strict()),
  /** Deletes a set; its pending changes go with it. Applications keep the scopes they were given. */
  deleteScopeSet: op<{ deleted: true }>()(z.object({ setId }).strict()),
  /** Saves a registration as a draft of an organisation (new, or `draftId` to change one); never asks a server. */
  saveDraft: op<SavedDraft>()(
    z
      .object({
        tenant,
        draftId: z.string().min(1, 'Draft ID must not be empty.').optional(),
        name: z.string({ error: 'Application Name is required.' }),
        isConfidential: z.boolean({ error: 'Application Type must be Confidential or Non-confidential.' }),
        redirectUri: z.string().nullable().default(null),
        scopes: z.array(ScopeRequest, { error: 'Scopes must be a list of { name, type }.' }).default([]),
      })
      .strict(),
  ),
  /** An organisation's drafts, listed with its applications. */
  listDrafts: op<SavedDraft[]>()(z.object({ tenant }).strict()),
  deleteDraft: op<{ deleted: true }>()(z.object({ draftId }).strict()),
  /**
   * Registers a draft: the rules against the organisation's live catalogue, then the path of createApp (a confidential
   * app's secret to the keychain). The draft goes once the application exists.
   */
  registerDraft: op<{ app: ExternalClient; secret: NewSecret | null }>()(z.object({ draftId }).strict()),
  /**
   * What applying a scope set to applications would change, per application and in total, with the time the
   * organisation's rate limits make it take. `refresh` reads the applications from the server first (the cache
   * answers offline). Nothing is written; applyScopeSet applies exactly this preview.
   */
  previewScopeSet: op<ScopeSetPreview>()(
    z
      .object({
        tenant,
        setId,
        mode: z.enum(['add', 'remove', 'replace'], { error: 'Mode must be add, remove or replace.' }).default('add'),
        clientIds: z.array(clientId, { error: 'Applications must be a list of App IDs.' }).optional(),
        all: z.boolean().default(false),
        refresh: z.boolean().default(false),
      })
      .strict()
      .refine((input) => input.all !== (input.clientIds !== undefined && input.clientIds.length > 0), {
        path: ['clientIds'],
        error: 'Choose the applications: some App IDs, or all of them (not both).',
      }),
  ),
  /**
   * Starts applying a preview in main and answers at once; applyStatus follows it. Each application is read again
   * just before it is written: one changed on the server since the preview is held back as a conflict.
   */
  applyScopeSet: op<ApplyStatus>()(z.object({ previewId }).strict()),
  /** Progress, per-application results and conflicts of an apply. */
  applyStatus: op<ApplyStatus>()(z.object({ runId }).strict()),
  /** Stops an apply after the application being written; the ones not reached are reported as not run. */
  stopApply: op<{ stopped: boolean }>()(z.object({ runId }).strict()),
  /** Keeps a preview (made offline) as a pending change of its organisation, to apply after the next sync. */
  savePendingChange: op<PendingChange>()(z.object({ previewId }).strict()),
  listPendingChanges: op<PendingChange[]>()(z.object({ tenant }).strict()),
  /**
   * Goes on with a pending change: syncs the organisation's applications, answers a fresh preview (apply it with
   * applyScopeSet; the pending change goes when that run starts).
   */
  applyPendingChange: op<ScopeSetPreview>()(z.object({ changeId }).strict()),
  deletePendingChange: op<{ deleted: true }>()(z.object({ changeId }).strict()),
  /** An organisation's registrations and the scope sets as a document (schemas/oauth-desk-export.schema.json); never a secret. */
  exportRegistrations: op<ExportDocument>()(z.object({ tenant }).strict()),
  /** Writes that document to a file the user chooses (a save dialog when `path` is not given). */
  exportRegistrationsFile: op<{ path: string } | { cancelled: true }>()(
    z.object({ tenant, path: z.string().min(1, 'Path must not be empty.').optional() }).strict(),
  ),
  /**
   * Per application of the document: create, update, unchanged, or refused with the rule's message, matched by name in
   * the organisation; scope sets by name in the workspace. Changes something only when `dryRun` is false.
   */
  importRegistrations: op<ImportResult>()(
    z
      .object({
        tenant,
        document: ExportDocument,
        dryRun: z.boolean({ error: 'Dry run must be true or false.' }).default(true),
      })
      .strict(),
  ),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
/** A parsed input with its tenant resolved: a tenant left out is the current organisation. */
type TenantResolved<T> = 'tenant' extends keyof T ? Omit<T, 'tenant'> & { tenant: string } : T;
/** What a handler receives: the parsed input, defaults applied and the tenant resolved. */
export type InputOf<K extends OperationName> = TenantResolved<z.infer<Contract[K]['input']>>;
/** What a caller passes: defaults may be left out. */
export type RawInputOf<K extends OperationName> = z.input<Contract[K]['input']>;
export type OutputOf<K extends OperationName> = NonNullable<Contract[K]['output']>;

export const operationNames = Object.keys(contract) as OperationName[];

/** Whether the operation works on one organisation, named by an optional `tenant` field (the current one if left out). */
export function takesTenant(name: OperationName): boolean {
  const input: z.ZodType = contract[name].input;
  return input instanceof z.ZodObject && 'tenant' in input.shape && input.shape.tenant instanceof z.ZodOptional;
}

export function isOperationName(value: string): value is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, value);
}

/** The IPC channel of an operation. */
export function channelOf(name: OperationName): string {
  return `oauth-desk:${name}`;
}
