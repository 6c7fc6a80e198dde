// Both URL forms UiPath's clients use: `/{org}/identity_/…` and `/identity_/…`, reduced to the second.

/**
 * The path under the issuer path for `pathname`, or null when it is not this server's: an unknown organisation,
 * or outside `identity_`. Organisation names compare case-insensitively, as in UiPath's URLs.
 */
export function pathUnderIssuer(pathname: string, orgName: string, issuerPath: string): string | null {
  const underIssuer = (path: string): string | null =>
    path === issuerPath ? '/' : path.startsWith(`${issuerPath}/`) ? path.slice(issuerPath.length) : null;
  const direct = underIssuer(pathname);
  if (direct !== null) return direct;
  const slash = pathname.indexOf('/', 1);
  if (slash < 0) return null;
  let org: string;
  try {
    org = decodeURIComponent(pathname.slice(1, slash));
  } catch {
    return null;
  }
  if (org.toLowerCase() !== orgName.toLowerCase()) return null;
  return underIssuer(pathname.slice(slash));
}
