// Both URL forms UiPath's clients use: `/{org}/identity_/…` and `/identity_/…`, reduced to the second.

/**
 * The path under the issuer path for `pathname`, or null when it is not this server's: an unknown organisation,
 * or outside `identity_`. Organisation names compare case-insensitively, as in UiPath's URLs.
 */
export function pathUnderIssuer(pathname: string, orgName: string, issuerPath: string): string | null {
  const direct = underIssuer(pathname, issuerPath);
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
  return underIssuer(pathname.slice(slash), issuerPath);
}

/** `path` below `issuerPath` ('/' for the issuer path itself), or null when it is not below it. */
function underIssuer(path: string, issuerPath: string): string | null {
  if (path === issuerPath) return '/';
  return path.startsWith(`${issuerPath}/`) ? path.slice(issuerPath.length) : null;
}
