// Registration rules: pure functions shared by the wizard, main, the CLI and the Identity Server,
// so that the same message reaches the admin whichever door the input came through.
import type { Issue } from './errors';
import { ADMIN_APP_SCOPES } from './adminScopes';
import type { Catalogue, CatalogueScopeType, ScopeRequest, ScopeType } from './model';
import { checkRedirectUri, isLoopbackHost } from './redirectRules';

// The redirect URL's rules and its limit (REDIRECT_URI_MAX) live in redirectRules.ts; every door reads them from here.
export { checkRedirectUri, isLoopbackHost, REDIRECT_URI_MAX } from './redirectRules';

// Every limit of the product, once: the contract, the forms, the CLI and the Identity Server all read these.
export const NAME_MAX = 100;
export const SECRET_DESCRIPTION_MAX = 200;
export const USER_NAME_MAX = 64;
export const DISPLAY_NAME_MAX = 100;
export const PASSWORD_MIN = 8;
/**
 * The most one application may hold, generously (UiPath's whole catalogue has a few hundred scopes, an application's
 * answer a few KB): its scopes, and its JSON as an organisation answers it. An input past them is refused at the door;
 * an organisation's application past them is refused by name, never held or stored.
 */
export const APP_SCOPES_MAX = 2000;
export const APP_JSON_MAX_BYTES = 1024 * 1024;

/** A rule's verdict: errors refuse the input, warnings are shown but let it through. */
export interface Verdict {
  errors: Issue[];
  warnings: Issue[];
}

export interface RegistrationDraft {
  name: string;
  isConfidential: boolean;
  redirectUri?: string | null;
  scopes: ScopeRequest[];
}

/** A draft after normalizeDraft: what the rules judge and the server stores. */
export interface NormalizedDraft extends RegistrationDraft {
  redirectUri: string | null;
}

/**
 * Whether the text holds a control character: C0 (U+0000–U+001F: line breaks, tabs, escape…), DEL and C1
 * (U+007F–U+009F), a Unicode line or paragraph separator (U+2028, U+2029), or a bidirectional override or isolate
 * (U+202A–U+202E, U+2066–U+2069). Names and descriptions are written into
 * Markdown, .env and JSON documents and shown on one line; such a character could start a line of its own there.
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControlCode(text.charCodeAt(i))) return true;
  return false;
}

function isControlCode(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    // Bidirectional overrides and isolates: `inv\u202eoice` would read as another name than it is.
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Every control character hasControlCharacter finds, replaced by `replacement`: one line, whatever the text held. */
export function withoutControlCharacters(text: string, replacement = ' '): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += isControlCode(text.charCodeAt(i)) ? replacement : text.charAt(i);
  return out;
}

/** The one message for a text field with a control character, naming the field as the admin sees it. */
function controlCharacterIssue(field: string, label: string): Issue {
  return {
    field,
    message: `${label} must not contain line breaks, tabs, text-direction overrides or other control characters.`,
  };
}

export function checkName(name: string, existingNames: readonly string[] = []): Verdict {
  const trimmed = name.trim();
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  if (trimmed.length === 0) errors.push({ field: 'name', message: 'Application Name is required.' });
  else if (hasControlCharacter(trimmed)) errors.push(controlCharacterIssue('name', 'Application Name'));
  else if (trimmed.length > NAME_MAX)
    errors.push({
      field: 'name',
      message: `Application Name must be at most ${NAME_MAX} characters (it has ${trimmed.length}).`,
    });
  else if (existingNames.some((n) => n.trim().toLowerCase() === trimmed.toLowerCase()))
    warnings.push({
      field: 'name',
      message: `Another application in this organization is already named "${trimmed}".`,
    });
  return { errors, warnings };
}

/** Whether a catalogue scope of `allowed` type may be granted as `wanted`. */
export function scopeTypeAllows(allowed: CatalogueScopeType, wanted: ScopeType): boolean {
  return allowed === 'userAndApplication' || allowed === wanted;
}

export function checkScopes(scopes: readonly ScopeRequest[], catalogue: Catalogue, isConfidential: boolean): Verdict {
  const field = 'scopes';
  const errors: Issue[] = [];
  if (scopes.length === 0) errors.push({ field, message: 'Add at least one scope.' });
  const known = new Map<string, CatalogueScopeType>();
  for (const resource of catalogue) for (const scope of resource.scopes) known.set(scope.name, scope.type);

  for (const scope of scopes) {
    const allowed = known.get(scope.name);
    if (allowed === undefined) {
      errors.push({ field, message: `Scope ${scope.name} does not exist in the resource catalogue.` });
    } else if (!scopeTypeAllows(allowed, scope.type)) {
      errors.push({
        field,
        message: `Scope ${scope.name} cannot be granted as a${scope.type === 'user' ? ' user' : 'n application'} scope; it is ${
          allowed === 'user' ? 'a user' : 'an application'
        } scope only.`,
      });
    }
  }
  const appScopes = scopes.filter((s) => s.type === 'application');
  if (!isConfidential && appScopes.length > 0)
    errors.push({
      field,
      message: `A non-confidential application cannot have application scopes (${appScopes.map((s) => s.name).join(', ')}).`,
    });
  return { errors, warnings: [] };
}

export function hasUserScopes(scopes: readonly ScopeRequest[]): boolean {
  return scopes.some((s) => s.type === 'user');
}

/**
 * A registration as every door sends it on: the name trimmed, an empty redirect URL as none, each (name, type) scope
 * once. The wizard, main, the CLI and the Identity Server all normalise through this one function, before the rules.
 */
export function normalizeDraft(draft: RegistrationDraft): NormalizedDraft {
  const redirectUri = draft.redirectUri?.trim() ?? '';
  return {
    name: draft.name.trim(),
    isConfidential: draft.isConfidential,
    redirectUri: redirectUri === '' ? null : redirectUri,
    scopes: uniqueScopes(draft.scopes),
  };
}

/** An optional text field as it is stored: trimmed, and null when nothing is left (a secret's description). */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Every rule of a registration at once; `existingNames` only adds the duplicate-name warning. */
export function checkRegistration(
  draft: RegistrationDraft,
  catalogue: Catalogue,
  existingNames: readonly string[] = [],
): Verdict {
  const verdicts = [
    checkName(draft.name, existingNames),
    checkScopes(draft.scopes, catalogue, draft.isConfidential),
    checkRedirectUri(draft.redirectUri, {
      isConfidential: draft.isConfidential,
      required: hasUserScopes(draft.scopes),
    }),
  ];
  return {
    errors: verdicts.flatMap((v) => v.errors),
    warnings: verdicts.flatMap((v) => v.warnings),
  };
}

/** The scopes that switching a confidential application to non-confidential would drop. */
export function scopesDroppedByNonConfidential(scopes: readonly ScopeRequest[]): ScopeRequest[] {
  return scopes.filter((s) => s.type === 'application');
}

/** Removes duplicate (name, type) pairs, keeping the first. */
export function uniqueScopes(scopes: readonly ScopeRequest[]): ScopeRequest[] {
  const seen = new Set<string>();
  return scopes.filter((s) => {
    const key = `${s.type}:${s.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The admin scopes (PM.OAuthApp*) the admin application holds: an edit of it must keep every one of them. */
export function heldAdminScopes(held: readonly ScopeRequest[]): ScopeRequest[] {
  return held.filter((scope) => (ADMIN_APP_SCOPES as readonly string[]).includes(scope.name));
}

/** Why the admin application keeps `names`: the refusal of an edit, and what the Edit Resource panel says. */
export function adminScopesReason(names: readonly string[], orgName: string): string {
  return `OAuth Desk manages ${orgName} through this application, so it must keep ${names.join(' and ')}: without ${
    names.length === 1 ? 'it' : 'them'
  }, OAuth Desk could no longer manage applications and secrets there.`;
}

/**
 * An edit of the admin application (the one OAuth Desk manages the organisation through) may not take away a
 * PM.OAuthApp* scope it holds: without it OAuth Desk could no longer list, change or add applications or secrets there.
 */
export function checkAdminAppScopes(
  before: readonly ScopeRequest[],
  after: readonly ScopeRequest[],
  orgName: string,
): Verdict {
  const removed = heldAdminScopes(before).filter(
    (held) => !after.some((s) => s.name === held.name && s.type === held.type),
  );
  if (removed.length === 0) return { errors: [], warnings: [] };
  const names = removed.map((s) => s.name);
  return { errors: [{ field: 'scopes', message: adminScopesReason(names, orgName) }], warnings: [] };
}

/** How the admin application of an organisation can be retired, since deleting it from OAuth Desk is refused. */
export function retireAdminApp(organisation: { isLocal: boolean; orgName: string }): string {
  return organisation.isLocal
    ? 'It belongs to the embedded Identity Server and stays as long as OAuth Desk does.'
    : `To retire it, add ${organisation.orgName} again signed in with another admin application or your account, remove this organisation's entry, then delete this application from the new one.`;
}

/** A secret's description (optional): at most SECRET_DESCRIPTION_MAX characters, on one line. */
export function checkSecretDescription(description: string | null | undefined): Verdict {
  const errors: Issue[] = [];
  const text = description?.trim() ?? '';
  if (hasControlCharacter(text)) errors.push(controlCharacterIssue('description', 'Description'));
  else if (text.length > SECRET_DESCRIPTION_MAX)
    errors.push({ field: 'description', message: `Description must be at most ${SECRET_DESCRIPTION_MAX} characters.` });
  return { errors, warnings: [] };
}

/**
 * A local organisation's user: a user name people can type on the sign-in page, a display name on one line, and a password
 * worth the name.
 */
export function checkUser(user: { userName: string; password: string; displayName?: string | null }): Verdict {
  const errors: Issue[] = [];
  if (user.displayName && hasControlCharacter(user.displayName))
    errors.push(controlCharacterIssue('displayName', 'Display name'));
  const userName = user.userName.trim();
  if (userName.length === 0) errors.push({ field: 'userName', message: 'User name is required.' });
  else if (userName.length > USER_NAME_MAX)
    errors.push({ field: 'userName', message: `User name must be at most ${USER_NAME_MAX} characters.` });
  else if (!/^[A-Za-z0-9._@-]+$/.test(userName))
    errors.push({ field: 'userName', message: 'User name may contain only letters, digits and . _ @ -' });
  if (user.password.length < PASSWORD_MIN)
    errors.push({ field: 'password', message: `Password must be at least ${PASSWORD_MIN} characters.` });
  return { errors, warnings: [] };
}

/**
 * An organisation's base URL: https, or plain http only on a loopback address (the embedded server, a second one in
 * tests), since the admin's tokens and secrets travel over it. Absolute, with nothing after the host but '/'.
 * `normalized` is the URL without a trailing slash, as the workspace records it.
 */
export function checkBaseUrl(value: string): Verdict & { normalized: string | null } {
  const field = 'baseUrl';
  const fail = (message: string) => ({ errors: [{ field, message }], warnings: [], normalized: null });
  const text = value.trim();
  if (text.length === 0) return fail('Base URL is required, e.g. https://cloud.uipath.com.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('Base URL must be an absolute URL, e.g. https://cloud.uipath.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('Base URL must start with https://, e.g. https://cloud.uipath.com.');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    return fail('Base URL must use https; plain http is allowed only on a loopback address (127.0.0.1 or [::1]).');
  if (url.username !== '' || url.password !== '') return fail('Base URL must not contain a user name or password.');
  if (url.search !== '' || text.includes('?')) return fail('Base URL must not have a query (?…).');
  if (url.hash !== '' || text.includes('#')) return fail('Base URL must not have a fragment (#…).');
  if (url.pathname !== '/')
    return fail(
      'Base URL must be the host only, e.g. https://cloud.uipath.com: the organisation name goes in its own field.',
    );
  return { errors: [], warnings: [], normalized: url.origin };
}

/** An organisation's ID in OAuth Desk (the workspace's key, the CLI's --organisation): short, lower case, readable. */
export const ORGANISATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const ORGANISATION_ID_MESSAGE =
  'Organisation ID must be 1 to 40 lower-case letters, digits or -, e.g. acme-prod.';

/** A partitionGlobalId: the organisation's GUID. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The embedded organisation's ID: taken, whatever else an admin adds. */
export const LOCAL_ORGANISATION_ID = 'local';

/** An organisation as the Add Organisation form and `orgs add` give it, before anything is asked of it. */
export interface OrganisationFields {
  id: string;
  baseUrl: string;
  orgName: string;
  displayName: string;
  /** Empty when the token is to say it (prt_id). */
  partitionGlobalId: string | null;
  method: 'adminApp' | 'account';
  clientId: string;
  /** The admin application's secret; only for the adminApp method. */
  clientSecret?: string;
}

/**
 * The one rule of a new organisation, used by the form as the admin types, by main before anything leaves the machine,
 * and by the contract: each field's fault in the words the form shows. `baseUrl` is the normalised base URL when valid.
 */
export function checkOrganisation(org: OrganisationFields): Verdict & { baseUrl: string | null } {
  const base = checkBaseUrl(org.baseUrl);
  const errors: Issue[] = [...base.errors];
  const fault = (field: string, message: string) => errors.push({ field, message });
  const id = org.id.trim();
  if (!ORGANISATION_ID_PATTERN.test(id)) fault('id', ORGANISATION_ID_MESSAGE);
  else if (id === LOCAL_ORGANISATION_ID)
    fault('id', '"local" is the embedded organisation; choose another Organisation ID.');
  if (org.orgName.trim().length === 0) fault('orgName', 'Organisation name is required.');
  if (org.displayName.trim().length > DISPLAY_NAME_MAX)
    fault('displayName', `Display name must be at most ${DISPLAY_NAME_MAX} characters.`);
  const partition = org.partitionGlobalId?.trim() ?? '';
  if (partition !== '' && !GUID_PATTERN.test(partition))
    fault('partitionGlobalId', 'partitionGlobalId must be a GUID, e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6.');
  if (org.clientId.trim().length === 0) fault('clientId', 'App ID is required.');
  if (org.method === 'adminApp' && !org.clientSecret) fault('clientSecret', 'App secret is required.');
  return { errors, warnings: [], baseUrl: base.normalized };
}

export const SCOPE_SET_DESCRIPTION_MAX = 500;

/** A scope set as the Scope Sets view and main both judge it: a name of a registration's length, and some scopes. */
export function checkScopeSet(set: { name: string; description: string; scopes: readonly ScopeRequest[] }): Verdict {
  const errors: Issue[] = [];
  const name = set.name.trim();
  if (name.length === 0) errors.push({ field: 'name', message: 'Scope set name is required.' });
  else if (name.length > NAME_MAX)
    errors.push({
      field: 'name',
      message: `Scope set name must be at most ${NAME_MAX} characters (it has ${name.length}).`,
    });
  if (set.description.trim().length > SCOPE_SET_DESCRIPTION_MAX)
    errors.push({
      field: 'description',
      message: `Description must be at most ${SCOPE_SET_DESCRIPTION_MAX} characters.`,
    });
  if (set.scopes.length === 0) errors.push({ field: 'scopes', message: 'Add at least one scope.' });
  if (set.scopes.some((s) => s.name.trim().length === 0))
    errors.push({ field: 'scopes', message: 'A scope name must not be empty.' });
  return { errors, warnings: [] };
}

/** Whether a catalogue can grant `scope` as its type asks. */
export function catalogueGrants(catalogue: Catalogue, scope: ScopeRequest): boolean {
  return catalogue.some((resource) =>
    resource.scopes.some((s) => s.name === scope.name && scopeTypeAllows(s.type, scope.type)),
  );
}
