// Which admin scope each management call needs, and the one sentence that says a token lacks it: the connection check
// and the refused operation read the same words.

/** A management scope and what fails without it, as a gerund phrase ("generating secrets"). */
export interface ScopeNeed {
  scope: string;
  doing: string;
}

/** What each kind of management call needs, named by the scope the admin should grant (UiPath's admin scopes). */
export const SCOPE_NEEDS = {
  readApps: { scope: 'PM.OAuthApp', doing: 'listing applications' },
  changeApps: { scope: 'PM.OAuthApp', doing: 'registering, changing and deleting applications' },
  readCatalogue: { scope: 'PM.OAuthApp', doing: 'reading the resource catalogue' },
  generateSecrets: { scope: 'PM.OAuthAppSecret.Write', doing: 'generating secrets' },
  deleteSecrets: { scope: 'PM.OAuthAppSecret.Write', doing: 'deleting secrets' },
  manageUsers: { scope: 'PM.User', doing: 'managing users' },
} as const satisfies Record<string, ScopeNeed>;

/**
 * Scopes that serve in place of a wanted one: an organisation's admin application may hold the narrower read and write
 * scopes instead of the broad one. A token request refused for a scope tries these one by one.
 */
export const NARROWER_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'PM.OAuthApp': ['PM.OAuthApp.Read', 'PM.OAuthApp.Write'],
  'PM.User': ['PM.User.Read', 'PM.User.Write'],
};

/** The scopes that let a token generate and delete secrets, as the management API's secret routes accept them. */
export const SECRET_SCOPES = ['PM.OAuthAppSecret.Write', 'PM.OAuthApp', 'PM.OAuthApp.Write'] as const;

/** The check line: "the token lacks PM.OAuthAppSecret.Write: generating secrets will fail". */
export function tokenLacks(need: ScopeNeed): string {
  return `the token lacks ${need.scope}: ${need.doing} will fail`;
}

/** A refused (403) operation: what the token lacks, what fails, and who should get the scope. */
export function refusedForScope(need: ScopeNeed, inWords: string, grantee: string): string {
  return `The token lacks ${need.scope}: ${need.doing} fails in ${inWords}. Give ${grantee} the scope ${need.scope} in the organisation's portal.`;
}

/** The scopes a token carries, from its `scope` claim (space-separated, as RFC 9068 has it) or `scp` (a list). */
export function scopesOfClaims(claims: Record<string, unknown>): string[] {
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter(Boolean);
  if (Array.isArray(claims.scope)) return claims.scope.filter((s): s is string => typeof s === 'string');
  if (Array.isArray(claims.scp)) return claims.scp.filter((s): s is string => typeof s === 'string');
  return [];
}
