// The scope names OAuth Desk itself needs, as plain constants (no zod), so that the page can use them without
// loading the schemas of model.ts; model.ts re-exports them.

/**
 * The application scopes of an admin application: what OAuth Desk needs to manage an organisation's external
 * applications and their secrets. The same names serve as user scopes when the admin signs in with their account.
 */
export const ADMIN_APP_SCOPES = ['PM.OAuthApp', 'PM.OAuthAppSecret.Write'] as const;

/** The scope that manages a organisation's users: the local organisation's admin application holds it too (Users view). */
export const USER_ADMIN_SCOPE = 'PM.User';

/**
 * Whether a scope, granted as an application scope, makes an organisation-admin credential: it manages applications
 * and their secrets (PM.OAuthApp*, PM.OAuthAppSecret.Write among them) or users (PM.User*). Granting one needs main's
 * own confirmation, and such an application's secrets go to the keychain only (src/main/services/adminGrants.ts).
 */
export function isOrganisationAdminScope(name: string): boolean {
  return name.startsWith('PM.OAuthApp') || name.startsWith('PM.User');
}

/** The organisation-admin scopes `scopes` grant as application scopes, each once, in the order given. */
export function adminGrantsOf(scopes: readonly { name: string; type: string }[]): string[] {
  return [
    ...new Set(scopes.filter((s) => s.type === 'application' && isOrganisationAdminScope(s.name)).map((s) => s.name)),
  ];
}
