// The OpenID provider (oidc-provider) of the embedded Identity Server: routes, grants, token format and scopes policy.
import Provider, { errors, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Catalogue } from '../../shared/model';
import { catalogueScopeNames } from '../catalog';
import type { IdentityDatabase } from '../store/database';
import type { AuthorizingClient, ClientStore } from '../store/clients';
import { OidcModelAdapter, settled } from '../store/oidcModels';
import type { ServerKeys } from '../store/signingKeys';
import type { UserStore } from '../store/users';
import { APPLICATION_SCOPES, SIGN_IN_SCOPES, USER_SCOPES, isRedirectOrigin, toClientMetadata } from './clientMetadata';
import type { FederatedProofs } from './federatedToken';
import { authenticateWithHashedSecrets } from './hashedSecrets';
import { errorBody, htmlPage } from './pages';

/** Where the provider lives under the server's base URL, as at UiPath. */
export const ISSUER_PATH = '/identity_';

const ACCESS_TOKEN_TTL_SECONDS = 3600;
const ASYMMETRIC_ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
const REFRESH_TOKEN_TTL_SECONDS = 60 * 24 * 3600;

/** What the provider's configuration is made of, apart from where its clients and records are stored. */
export interface ProviderPolicy {
  /** The resource indicator and audience of every access token: the organisation's APIs. */
  apiAudience: string;
  keys: ServerKeys;
  catalogue: Catalogue;
  /** The accounts behind user-context tokens: `sub` is the user's id. */
  users: Pick<UserStore, 'get'>;
  /** The organisation's partition: every access token names it in `prt_id`, as UiPath's do. */
  partitionGlobalId: string;
}

interface ProviderSettings extends ProviderPolicy {
  issuer: string;
  db: IdentityDatabase;
  clients: ClientStore;
  /** One-time proofs of a federated assertion judged by federatedToken.ts; accepted in place of a secret. */
  federatedProofs?: FederatedProofs;
}

/** The provider on the server's SQLite: clients from the ExternalClient store, checked against their hashed secrets. */
export function createProvider(settings: ProviderSettings): Provider {
  const { clients, db } = settings;
  const provider = new Provider(settings.issuer, {
    ...providerConfiguration(settings),
    adapter: (model: string) => (model === 'Client' ? new ClientAdapter(clients) : new OidcModelAdapter(db, model)),
  });
  authenticateWithHashedSecrets(provider, clients);
  const proofs = settings.federatedProofs;
  if (proofs) {
    // A federated assertion was judged before oidc-provider saw the request; its one-time proof stands for a secret.
    // Every secret is still checked as hashedSecrets.ts checks it; a live proof is accepted besides.
    provider.Client.prototype.compareClientSecret = function compareClientSecret(presented: string): boolean {
      return proofs.consume(this.clientId, presented) || clients.verifySecret(this.clientId, presented);
    };
  }
  return provider;
}

/**
 * oidc-provider's configuration without its storage: routes, grants, token format and TTLs, scopes, claims and CORS.
 * bench/token-bare-server.ts runs a bare oidc-provider on the same configuration, for the token benchmark.
 */
export function providerConfiguration(settings: ProviderPolicy): Configuration {
  return {
    jwks: { keys: settings.keys.signing },
    cookies: { keys: settings.keys.cookies },
    // The catalogue's scopes are the server's scopes: a client asking for one it was not granted gets invalid_scope.
    scopes: [...SIGN_IN_SCOPES, ...catalogueScopeNames(settings.catalogue)],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // Secrets are stored hashed, so nothing may use a client secret as an HMAC key: asymmetric algorithms only.
    enabledJWA: {
      clientAuthSigningAlgValues: ASYMMETRIC_ALGS,
      requestObjectSigningAlgValues: ASYMMETRIC_ALGS,
      idTokenSigningAlgValues: ['RS256'],
    },
    extraClientMetadata: { properties: [APPLICATION_SCOPES, USER_SCOPES] },
    routes: {
      authorization: '/connect/authorize',
      token: '/connect/token',
      jwks: '/.well-known/openid-configuration/jwks',
      introspection: '/connect/introspect',
      revocation: '/connect/revocation',
      userinfo: '/connect/userinfo',
      end_session: '/connect/endsession',
    },
    features: providerFeatures(settings.apiAudience),
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    // A browser page may exchange its code: allow the origin of the app's own redirect URL, and nothing else.
    clientBasedCORS: (_ctx, origin, client) => isRedirectOrigin(client.redirectUris ?? [], origin),
    rotateRefreshToken: true,
    interactions: { url: (_ctx, interaction) => `${ISSUER_PATH}/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = settings.users.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, name: user.displayName, preferred_username: user.userName }),
      };
    },
    renderError,
    ttl: TTL,
    // Client credentials and user tokens alike: a client reads the organisation's partition from its token.
    extraTokenClaims: () => ({ prt_id: settings.partitionGlobalId }),
  };
}

/** How long each of oidc-provider's artifacts lives, in seconds. */
const TTL: Configuration['ttl'] = {
  AccessToken: ACCESS_TOKEN_TTL_SECONDS,
  ClientCredentials: ACCESS_TOKEN_TTL_SECONDS,
  AuthorizationCode: 60,
  IdToken: ACCESS_TOKEN_TTL_SECONDS,
  RefreshToken: REFRESH_TOKEN_TTL_SECONDS,
  Grant: REFRESH_TOKEN_TTL_SECONDS,
  Interaction: 600,
  Session: 14 * 24 * 3600,
};

/** Client credentials, introspection and revocation, and every access token a JWT for the organisation's APIs. */
function providerFeatures(apiAudience: string): Configuration['features'] {
  return {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // An app reads and revokes its own tokens only, whatever its type.
    introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
    revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => apiAudience,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resourceIndicator, client) => {
        if (resourceIndicator !== apiAudience) throw new errors.InvalidTarget();
        return {
          scope: grantableScopes(ctx, client).join(' '),
          audience: apiAudience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  };
}

/** The page a browser sees when an authorization request cannot go back to the app (e.g. an unknown redirect URL). */
const renderError: Configuration['renderError'] = (ctx, out) => {
  const { headers, html } = htmlPage(
    'Sign-in error',
    errorBody('Sign-in cannot continue', out.error, out.error_description ?? ''),
  );
  ctx.set(headers);
  ctx.body = html;
};

/**
 * The scopes a token of this request may carry: the client's application scopes for client_credentials, its user
 * scopes for a user-context grant (authorization code, refresh). A requested scope outside them is refused, not
 * silently dropped; the OpenID scopes may be asked for besides, but are not access-token scopes.
 */
function grantableScopes(ctx: KoaContextWithOIDC, client: Record<string, unknown>): string[] {
  const params = ctx.oidc.params ?? {};
  const isClientCredentials = ctx.oidc.route === 'token' && params.grant_type === 'client_credentials';
  const granted =
    ((isClientCredentials ? client[APPLICATION_SCOPES] : client[USER_SCOPES]) as string[] | undefined) ?? [];
  if (typeof params.scope === 'string') {
    const allowed = new Set<string>(isClientCredentials ? granted : [...granted, ...SIGN_IN_SCOPES]);
    for (const scope of params.scope.split(' ').filter(Boolean)) {
      if (!allowed.has(scope)) throw new errors.InvalidScope('requested scope is not allowed', scope);
    }
  }
  return granted;
}

/** oidc-provider reads clients from the ExternalClient store; they are never written through it. */
class ClientAdapter {
  /** Metadata per cached client object: the token endpoint converts each client once, not on every request. */
  private readonly metadata = new WeakMap<AuthorizingClient, ClientMetadata>();

  constructor(private readonly clients: ClientStore) {}

  find(id: string): Promise<ClientMetadata | undefined> {
    return settled(() => this.metadataOf(id));
  }

  upsert(): Promise<void> {
    return Promise.reject(new Error('External clients are managed through the ExternalClient API.'));
  }

  destroy(): Promise<void> {
    return Promise.reject(new Error('External clients are managed through the ExternalClient API.'));
  }

  consume(): Promise<void> {
    // Clients are not one-time records: there is nothing to consume.
    return Promise.resolve();
  }

  findByUid(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  revokeByGrantId(): Promise<void> {
    // Clients belong to no grant: there is nothing to revoke.
    return Promise.resolve();
  }

  private metadataOf(id: string): ClientMetadata | undefined {
    const client = this.clients.getForAuthorization(id);
    if (!client) return undefined;
    let metadata = this.metadata.get(client);
    if (!metadata) {
      metadata = toClientMetadata(client);
      this.metadata.set(client, metadata);
    }
    return metadata;
  }
}
