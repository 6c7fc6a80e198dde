// The redirect URL rules of RFC 6749 §3.1.2, RFC 8252 and RFC 9700, re-exported by rules.ts (where every other
// registration rule and limit is): pure and zod-free, for the form, main, the CLI and the Identity Server alike.
import type { Issue } from './errors';
import type { Verdict } from './rules';

export const REDIRECT_URI_MAX = 256;

const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

const field = 'redirectUri';

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/** A reverse-domain private-use scheme (RFC 8252 §7.1), e.g. `com.example.app`. */
function isPrivateUseScheme(protocol: string): boolean {
  const scheme = protocol.replace(/:$/, '');
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/i.test(scheme);
}

const passes = (warnings: Issue[] = []): Verdict => ({ errors: [], warnings });
const fails = (message: string): Verdict => ({ errors: [{ field, message }], warnings: [] });

/** What is wrong with the URL as text, before it is parsed; null when nothing is. */
function textFault(uri: string): string | null {
  if (uri.length > REDIRECT_URI_MAX)
    return `Redirect URL must be at most ${REDIRECT_URI_MAX} characters (it has ${uri.length}).`;
  if (/\s/.test(uri)) return 'Redirect URL must not contain spaces.';
  if (uri.includes('*')) return 'Redirect URL must not contain wildcards (*): it is matched exactly.';
  if (uri.includes('#')) return 'Redirect URL must not contain a fragment (#…).';
  return null;
}

/** http: a loopback host only; localhost passes with a warning, since it may resolve elsewhere. */
function httpVerdict(url: URL): Verdict {
  if (isLoopbackHost(url.hostname)) return passes();
  if (url.hostname === 'localhost')
    return passes([
      {
        field,
        message: 'localhost may resolve to another address; prefer http://127.0.0.1 or http://[::1] (RFC 8252 §8.3).',
      },
    ]);
  return fails('http is allowed only on a loopback host (127.0.0.1 or [::1]); use https for any other host.');
}

/** The verdict on a parsed URL's scheme (lower case, with its colon). */
function schemeVerdict(url: URL, protocol: string, isConfidential: boolean): Verdict {
  if (protocol === 'https:') return url.hostname ? passes() : fails('Redirect URL must name a host.');
  if (protocol === 'http:') return httpVerdict(url);
  if (isPrivateUseScheme(protocol))
    return isConfidential
      ? fails(
          'A private-use scheme (such as com.example.app:/callback) is allowed only for a non-confidential application.',
        )
      : passes();
  return fails(
    'Redirect URL must use https, http on a loopback host, or (for a non-confidential application) a reverse-domain scheme such as com.example.app:/callback.',
  );
}

/**
 * The redirect URL rules of RFC 6749 §3.1.2, RFC 8252 and RFC 9700.
 * `required` is true when the application has any user scope.
 */
export function checkRedirectUri(
  value: string | null | undefined,
  options: { isConfidential: boolean; required: boolean },
): Verdict {
  const uri = value ?? '';
  if (uri.length === 0)
    return options.required ? fails('Redirect URL is required when the application has user scopes.') : passes();
  const fault = textFault(uri);
  if (fault !== null) return fails(fault);

  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return fails('Redirect URL must be an absolute URL, such as https://app.example.com/callback.');
  }
  const protocol = url.protocol.toLowerCase();
  if (FORBIDDEN_SCHEMES.has(protocol)) return fails(`Redirect URL must not use the ${protocol} scheme.`);
  if (url.username || url.password) return fails('Redirect URL must not contain a user name or password.');
  return schemeVerdict(url, protocol, options.isConfidential);
}
