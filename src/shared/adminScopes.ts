// The scope names OAuth Desk itself needs, as plain constants (no zod), so that the page can use them without
// loading the schemas of model.ts; model.ts re-exports them.

/**
 * The application scopes of an admin application: what OAuth Desk needs to manage an organisation's external
 * applications and their secrets. The same names serve as user scopes when the admin signs in with their account.
 */
export const ADMIN_APP_SCOPES = ['PM.OAuthApp', 'PM.OAuthAppSecret.Write'] as const;

/** The scope that manages a organisation's users: the local organisation's admin application holds it too (Users view). */
export const USER_ADMIN_SCOPE = 'PM.User';
