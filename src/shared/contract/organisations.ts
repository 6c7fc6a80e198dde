// The organisations (organisations) a workspace knows: adding, checking and forgetting them, the current one, its status and
// sync, its admin secret, the secrets about to expire in all of them, and the links the window opens.
import { z } from 'zod';
import type {
  ConnectionCheck,
  ExpiringSecret,
  KeptSecretOfRemoved,
  KeychainRef,
  OrganisationDetails,
  OrganisationStatus,
  OrganisationSummary,
} from '../model';
import { ORGANISATION_ID_MESSAGE, ORGANISATION_ID_PATTERN } from '../rules';
import { clientId, namedOrganisation, organisation } from './fields';
import { event, labelled, op } from './operation';

/** A kept secret of a removed organisation, named by its keychain entry's account. */
const keychainAccount = labelled(
  z.string({ error: 'Keychain entry is required.' }).min(1, 'Keychain entry is required.'),
  'Keychain entry',
);

/** How OAuth Desk signs in to an organisation: its admin application's App ID and secret, or the admin's account. */
const signIn = labelled(
  z.discriminatedUnion(
    'method',
    [
      z
        .object({
          method: labelled(z.literal('adminApp'), 'Sign-in method'),
          clientId,
          clientSecret: labelled(z.string().min(1, 'App secret is required.'), 'App secret'),
        })
        .strict(),
      z.object({ method: labelled(z.literal('account'), 'Sign-in method'), clientId }).strict(),
    ],
    { error: 'Sign-in must be an admin application or your account.' },
  ),
  'Sign-in',
);

/** The sign-in in the browser that main waits for, as the accountSignInWaiting event named it. */
const accountSignInId = labelled(
  z.string({ error: 'Sign-in ID is required.' }).min(1, 'Sign-in ID is required.'),
  'Sign-in',
);

export const organisationOperations = {
  /** The organisations (Identity Server organisations) this workspace knows. */
  listOrganisations: op<OrganisationSummary[]>()(z.object({}).strict()),
  /** URLs, org, partition and the admin application of one organisation. */
  showOrganisation: op<OrganisationDetails>()(z.object({ organisation }).strict()),
  /**
   * Adds a UiPath organisation (Automation Cloud or an Automation Suite host over https; http only on a loopback
   * address). `adminApp`: the admin application's secret goes straight to the keychain. `account`: the admin signs in
   * in the system browser (authorization code + PKCE, loopback redirect) and the refresh token goes to the keychain.
   * The partitionGlobalId is read from the token's prt_id claim unless given. Answers the connection checks.
   */
  addOrganisation: op<{ organisation: OrganisationSummary; checks: ConnectionCheck[] }>()(
    z
      .object({
        id: labelled(
          z.string({ error: 'Organisation ID is required.' }).regex(ORGANISATION_ID_PATTERN, ORGANISATION_ID_MESSAGE),
          'Organisation ID',
        ),
        displayName: labelled(z.string(), 'Display name').default(''),
        baseUrl: labelled(z.string({ error: 'Base URL is required.' }), 'Base URL'),
        orgName: labelled(
          z.string({ error: 'Organisation name is required.' }).min(1, 'Organisation name is required.'),
          'Organisation name',
        ),
        partitionGlobalId: labelled(z.string().nullable(), 'partitionGlobalId').default(null),
        signIn,
      })
      .strict(),
  ),
  /** Ends the sign-in in the browser that main waits for: its listener closes, and the add ends "Sign-in cancelled". */
  cancelAccountSignIn: op<{ cancelled: true }>()(z.object({ id: accountSignInId }).strict()),
  /** Opens the browser again on a fresh one-time start address of the sign-in main waits for. */
  reopenAccountSignIn: op<{ opened: true }>()(z.object({ id: accountSignInId }).strict()),
  /** Puts a fresh one-time start address of the sign-in on main's clipboard (cleared after a while), never its state. */
  copyAccountSignInLink: op<{ copied: true; clearAfterSeconds: number }>()(z.object({ id: accountSignInId }).strict()),
  /**
   * Changes how OAuth Desk signs in to an organisation (a new admin secret, another admin application, or the account
   * signed in again), so a sign-in problem never needs removing it. The new sign-in gets a token and passes every
   * connection check before it replaces the old keychain entry; a refused one changes nothing (`changed: false` when
   * a check failed, with the checks).
   */
  changeSignIn: op<{ changed: boolean; organisation: OrganisationSummary; checks: ConnectionCheck[] }>()(
    z.object({ organisation: namedOrganisation, signIn }).strict(),
  ),
  /** Discovery, token, list applications, resource catalogue, secret management: one line each, with the reason. */
  testOrganisation: op<ConnectionCheck[]>()(z.object({ organisation }).strict()),
  /** Makes an organisation the current one: the window and the CLI work on it when none is named. */
  useOrganisation: op<{ current: string }>()(z.object({ organisation: namedOrganisation }).strict()),
  /**
   * Forgets an organisation: its sign-in's keychain entry and its cache go; nothing changes on the server. Its
   * application secrets stay in the keychain, listed as kept secrets of removed organisations (`secrets: 'keep'`),
   * unless `secrets: 'delete'` deletes them too.
   */
  removeOrganisation: op<{ removed: true; keychainEntriesRemoved: number; secretsKept: number }>()(
    z
      .object({
        organisation: namedOrganisation,
        secrets: labelled(
          z.enum(['keep', 'delete'], { error: 'Secrets must be keep or delete.' }),
          'Application secrets',
        ).default('keep'),
      })
      .strict(),
  ),
  /** The application secrets of removed organisations still in the keychain, each under its own entry. */
  listKeptSecretsOfRemoved: op<KeptSecretOfRemoved[]>()(z.object({}).strict()),
  /** Copies a kept secret of a removed organisation from the keychain to the clipboard, through main. */
  copyKeptSecretOfRemoved: op<{ copied: true; clearAfterSeconds: number }>()(
    z.object({ account: keychainAccount }).strict(),
  ),
  /** Deletes a kept secret of a removed organisation from the keychain; nothing changes on any server. */
  deleteKeptSecretOfRemoved: op<{ deleted: true }>()(z.object({ account: keychainAccount }).strict()),
  /** Online state, last sync, a sync's progress and a rate-limit wait: what the header shows. */
  organisationStatus: op<OrganisationStatus>()(z.object({ organisation }).strict()),
  /** Refreshes an organisation's catalogue and every registration into the cache; stopSync ends it early. */
  syncOrganisation: op<{ synced: number; at: string; stopped: boolean }>()(z.object({ organisation }).strict()),
  /** Stops a sync under way; what was cached stays. */
  stopSync: op<{ stopped: boolean }>()(z.object({ organisation }).strict()),
  /** Secrets that expire within `withinDays` or have expired, in every organisation, from the cache. */
  listExpiringSecrets: op<ExpiringSecret[]>()(
    z.object({ withinDays: labelled(z.number().int().min(1).max(365), 'Days').default(30) }).strict(),
  ),
  /**
   * Gives the organisation's admin application a new secret, straight into the keychain (never shown or answered),
   * then deletes its old ones. The one way to change the admin application's secrets; an `account` sign-in has none.
   */
  rotateAdminSecret: op<{ rotated: true; secretId: string; keychain: KeychainRef; deleted: string[] }>()(
    z.object({ organisation: namedOrganisation }).strict(),
  ),
  /**
   * Opens one of the window's links in the system browser: the documentation, or the organisation's portal. Main builds
   * the address; the page only names the link.
   */
  openLink: op<{ opened: true; url: string }>()(
    z
      .object({
        link: labelled(z.enum(['documentation', 'portal'], { error: 'Link must be documentation or portal.' }), 'Link'),
        organisation,
      })
      .strict(),
  ),
} as const;

/** What an organisation's data is, as "it changed" names it: the window reads that part again. */
export type OrganisationData = 'applications' | 'catalogue' | 'organisations';

/** What main pushes about organisations: their status as it changes, and that their data changed. */
export const organisationEvents = {
  /**
   * The organisation's status changed: online or not and why, the last sync, a sync's progress, a rate-limit wait.
   * `inWords` names it for a sentence (organisationInWords).
   */
  organisationStatus: event<{ organisation: string; inWords: string; status: OrganisationStatus }>(),
  /** Something of the organisation changed in main (a sync, a change by another door): read `what` again. */
  organisationDataChanged: event<{ organisation: string; what: OrganisationData }>(),
  /** A sign-in in the browser began and waits for the user: its ID cancels it, opens it again or copies its link. */
  accountSignInWaiting: event<{ id: string }>(),
};
