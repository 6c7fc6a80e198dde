// Organisation-admin grants: an application given PM.OAuthApp*, PM.OAuthAppSecret.Write or PM.User* as application
// scopes can manage every application of its organisation (the admin application's secret included). So granting one
// needs main's own confirmation naming the organisation and the scopes (never the page's say-so), and such an
// application's secrets go to the keychain only: a write's answer carries no value of them.
import { organisationInWords } from '../../shared/organisationInWords';
import { adminGrantsOf } from '../../shared/adminScopes';
import { AppError } from '../../shared/errors';
import type { NewSecret, ScopeRequest } from '../../shared/model';
import type { ConfirmByMain } from '../ports';
import type { OrganisationRecord } from '../workspace/organisations';

/** What a grant's confirmation is about: the organisation, the application by name, its scopes before and after. */
export interface AdminGrant {
  organisation: Pick<OrganisationRecord, 'orgName' | 'displayName' | 'baseUrl'>;
  appName: string;
  before: readonly ScopeRequest[];
  after: readonly ScopeRequest[];
}

/** The grant an application's write makes: `draft` over the scopes it had `before` ([] for a new one). */
export function grantOf(
  organisation: AdminGrant['organisation'],
  draft: { name: string; scopes: readonly ScopeRequest[] },
  before: readonly ScopeRequest[],
): AdminGrant {
  return { organisation, appName: draft.name, before, after: draft.scopes };
}

/** The organisation-admin scopes `grant` adds as application scopes (those already granted are not asked again). */
export function newAdminGrants(grant: Pick<AdminGrant, 'before' | 'after'>): string[] {
  const held = new Set(adminGrantsOf(grant.before));
  return adminGrantsOf(grant.after).filter((name) => !held.has(name));
}

function refused(orgName: string, scopes: readonly string[], why: string): AppError {
  return AppError.invalid([
    {
      field: 'scopes',
      message: `Granting ${scopes.join(', ')} as application scopes in ${orgName} needs your confirmation, ${why}; nothing was changed.`,
    },
  ]);
}

/** Asks main's confirmation of every organisation-admin scope `grant` adds; a refusal (or no one to ask) changes nothing. */
export async function confirmAdminGrant(confirm: ConfirmByMain | undefined, grant: AdminGrant): Promise<void> {
  await confirmAdminGrants(confirm, grant.organisation, [
    { name: grant.appName, before: grant.before, after: grant.after },
  ]);
}

/** Who a question names: one application by its name, or how many and the first few. */
function subjectOf(names: readonly string[]): string {
  if (names.length === 1) return `“${names[0]}”`;
  const shown = names.slice(0, 3).map((name) => `“${name}”`);
  return `${names.length} applications (${shown.join(', ')}${names.length > shown.length ? ', …' : ''})`;
}

/**
 * One confirmation for every organisation-admin scope `apps` gain (a scope set applied to many asks once for the
 * run), naming the organisation, the scopes and how many applications; a refusal (or no one to ask) changes nothing.
 */
export async function confirmAdminGrants(
  confirm: ConfirmByMain | undefined,
  organisation: AdminGrant['organisation'],
  apps: readonly { name: string; before: readonly ScopeRequest[]; after: readonly ScopeRequest[] }[],
): Promise<void> {
  const granting = apps.map((app) => ({ name: app.name, scopes: newAdminGrants(app) })).filter((a) => a.scopes.length);
  if (granting.length === 0) return;
  const scopes = [...new Set(granting.flatMap((a) => a.scopes))];
  const { orgName, displayName, baseUrl } = organisation;
  const name = organisationInWords(organisation);
  if (!confirm) throw refused(name, scopes, 'and this OAuth Desk process has no one to ask');
  const many = granting.length > 1;
  const yes = await confirm.confirm({
    title: 'Grant organisation-admin scopes?',
    message: `Give ${subjectOf(granting.map((a) => a.name))} ${scopes.join(', ')} as application scopes in ${name}?`,
    detail:
      `${displayName} (${orgName} at ${baseUrl}): with ${scopes.length === 1 ? 'this scope' : 'these scopes'} ` +
      `${many ? 'each application' : 'the application'} can manage ${name}'s applications, their secrets or its ` +
      `users without anyone signing in. ${many ? 'Their' : 'Its'} secrets are kept in the keychain only and never shown.`,
  });
  if (!yes) throw refused(name, scopes, 'which was not given');
}

/** Whether an application with `scopes` holds an organisation-admin grant: its secrets are never answered. */
export function holdsAdminGrant(scopes: readonly ScopeRequest[]): boolean {
  return adminGrantsOf(scopes).length > 0;
}

/** `secret` as a write may answer it: without its value when the application holds an organisation-admin grant. */
export function answerable(secret: NewSecret, scopes: readonly ScopeRequest[]): NewSecret {
  return holdsAdminGrant(scopes) ? { ...secret, value: '' } : secret;
}
