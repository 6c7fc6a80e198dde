// How an external client becomes oidc-provider client metadata: grants, auth method, redirect URIs and scopes.
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import { isLoopbackHost } from '../../shared/rules';
import type { AuthorizingClient } from '../store/clients';

/** Extra metadata keys that carry the scopes by type; oidc-provider keeps them on the client as given. */
export const APPLICATION_SCOPES = 'application_scopes';
export const USER_SCOPES = 'user_scopes';

/** The OpenID scopes a user-context client may ask for besides its granted user scopes. */
export const SIGN_IN_SCOPES = ['openid', 'profile', 'offline_access'] as const;

/**
 * oidc-provider's client_secret_basic/post need a `client_secret` in the metadata, but our secrets exist only as
 * hashes. This marker fills the slot; authentication never compares against it (see hashedSecrets.ts), and no
 * symmetric (HS*) algorithm is enabled that would use it as a key.
 */
const HASHED_SECRETS_MARKER = 'secrets-are-stored-hashed';

export function toClientMetadata(client: AuthorizingClient): ClientMetadata {
  const applicationScopes = client.scopes.filter((s) => s.type === 'application').map((s) => s.name);
  const userScopes = client.scopes.filter((s) => s.type === 'user').map((s) => s.name);
  // A non-confidential client can only ever sign users in; a confidential one does when it has user scopes.
  const signsUsersIn = !client.isConfidential || (userScopes.length > 0 && client.redirectUri !== null);
  const grantTypes = [
    ...(client.isConfidential && applicationScopes.length > 0 ? ['client_credentials'] : []),
    ...(signsUsersIn ? ['authorization_code', 'refresh_token'] : []),
  ];
  const redirectUris = signsUsersIn && client.redirectUri ? [client.redirectUri] : [];
  const scope = [...new Set([...applicationScopes, ...userScopes, ...(signsUsersIn ? SIGN_IN_SCOPES : [])])].join(' ');

  return {
    client_id: client.id,
    client_name: client.name,
    ...(client.isConfidential
      ? { token_endpoint_auth_method: 'client_secret_basic', client_secret: HASHED_SECRETS_MARKER }
      : { token_endpoint_auth_method: 'none' }),
    grant_types: grantTypes,
    response_types: signsUsersIn ? ['code'] : [],
    redirect_uris: redirectUris,
    application_type: redirectUris.some(isNativeRedirectUri) ? 'native' : 'web',
    scope,
    [APPLICATION_SCOPES]: applicationScopes,
    [USER_SCOPES]: userScopes,
  };
}

/** Why oidc-provider would refuse this client's metadata, or null when it accepts it. */
export async function metadataRefusal(provider: Provider, client: AuthorizingClient): Promise<string | null> {
  try {
    await provider.Client.validate(toClientMetadata(client));
    return null;
  } catch (error) {
    return (error as { error_description?: string }).error_description ?? 'The server cannot accept this application.';
  }
}

/**
 * A redirect URI of an app on the user's device (RFC 8252): http on a loopback host, or a private-use scheme.
 * oidc-provider accepts those only for `native` clients, and matches a loopback URI on any port only for them.
 */
function isNativeRedirectUri(uri: string): boolean {
  const url = URL.parse(uri);
  if (!url) return false;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) || url.hostname === 'localhost';
  return url.protocol !== 'https:';
}

/**
 * Whether a browser page at `origin` may call the token endpoint for a client with these redirect URIs: the origin
 * of a redirect URI, or, for a loopback redirect URI (whose port the provider does not match), that host on any port.
 */
export function isRedirectOrigin(redirectUris: readonly string[], origin: string): boolean {
  const caller = URL.parse(origin);
  if (!caller) return false;
  return redirectUris.some((uri) => {
    const redirect = URL.parse(uri);
    if (!redirect) return false;
    if (redirect.origin === caller.origin) return true;
    return (
      redirect.protocol === 'http:' &&
      caller.protocol === 'http:' &&
      isLoopbackHost(redirect.hostname) &&
      redirect.hostname === caller.hostname
    );
  });
}
