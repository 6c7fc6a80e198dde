// The embedded Identity Server: oidc-provider and the ExternalClient API on one loopback HTTP server, own SQLite.
import { mkdirSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalogue } from '../shared/model';
import { loadCatalogue } from './catalog';
import { RateLimiter, type RateLimits } from './http/rateLimit';
import { createRouter } from './http/router';
import { onlyLoopbackHosts } from './http/hostCheck';
import { createManagementApi } from './management/api';
import { bearerGuard } from './management/bearer';
import { metadataRefusal } from './oauth/clientMetadata';
import { IssuerKeys } from './oauth/federatedIssuers';
import { FederatedProofs, federatedTokenFront } from './oauth/federatedToken';
import { ISSUER_PATH, createProvider } from './oauth/provider';
import { createSignIn } from './oauth/signIn';
import { ensureAdminClient, type EnsuredAdminClient } from './store/adminClient';
import { ClientStore } from './store/clients';
import { FederatedCredentialStore } from './store/federatedCredentials';
import { openIdentityDatabase, type IdentityDatabase } from './store/database';
import { OidcRecords } from './store/oidcModels';
import { loadOrganization, type Organization } from './store/organization';
import { loadOrCreateKeys, publicJwks, type ServerKeys } from './store/signingKeys';
import { UserStore } from './store/users';

export type { RateLimits } from './http/rateLimit';

interface IdentityServerOptions {
  /** Its own folder: identity.db (SQLite) and its signing keys (file mode 0600). */
  dataDir: string;
  /** 0 = any free port. */
  port: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 'local'. */
  orgName?: string;
  /** UiPath's limits by default; tests raise or lower them. */
  rateLimits?: Partial<RateLimits>;
  /** The resource catalogue it serves; resources/catalogue.json by default (tests play an organisation lacking some). */
  catalogue?: Catalogue;
  /**
   * Whether a federated credential's issuer may be http on a loopback address (127.0.0.1, [::1], localhost), for a
   * test issuer on the same machine. On by default: only this embedded server trusts such an issuer; UiPath, and
   * every other address here, require https.
   */
  allowLoopbackHttpIssuers?: boolean;
}

export interface RunningIdentityServer {
  /** e.g. http://127.0.0.1:43110 (no trailing slash). */
  baseUrl: string;
  orgName: string;
  /** A GUID, created once per dataDir and kept. */
  partitionGlobalId: string;
  /** `${baseUrl}/identity_`. */
  issuer: string;
  /**
   * Creates the admin external application if missing: confidential, application scopes PM.OAuthApp,
   * PM.OAuthAppSecret.Write and PM.User, name "OAuth Desk admin"; gives an existing one any of them it lacks.
   * Returns a new secret value when it created the app, or when `reissueSecret` is true (adds a new secret to the
   * existing admin app; used when the keychain lost the old one).
   */
  ensureAdminClient(options?: { reissueSecret?: boolean }): Promise<EnsuredAdminClient>;
  close(): Promise<void>;
}

/** How often expired oidc-provider records are swept, besides once at start. */
const EXPIRED_RECORDS_SWEEP_MS = 60 * 60_000;

/** The server's data folder, opened: its database, the organisation and stores on it, and its keys. */
interface IdentityData {
  db: IdentityDatabase;
  organization: Organization;
  keys: ServerKeys;
  clients: ClientStore;
  users: UserStore;
  catalogue: Catalogue;
  oidcRecords: OidcRecords;
  federatedCredentials: FederatedCredentialStore;
  allowLoopbackHttpIssuers: boolean;
}

export async function startIdentityServer(options: IdentityServerOptions): Promise<RunningIdentityServer> {
  const host = options.host ?? '127.0.0.1';
  const data = openIdentityData(options.dataDir, options.orgName ?? 'local', options.catalogue);
  data.allowLoopbackHttpIssuers = options.allowLoopbackHttpIssuers ?? true;
  const { db, organization, clients, oidcRecords } = data;

  // The port is known only once listening, and the issuer contains it: listen first, then build the handlers.
  let handle: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => {
    handle(req, res);
  });
  try {
    await listen(server, options.port, host);
  } catch (error) {
    db.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Only its own loopback names: a browser page rebinding its DNS name to 127.0.0.1 is refused.
  handle = onlyLoopbackHosts(port, buildRouter(data, baseUrl, options.rateLimits));

  oidcRecords.deleteExpired();
  // Unref'd: a sweep due later never keeps the process alive.
  const sweep = setInterval(() => oidcRecords.deleteExpired(), EXPIRED_RECORDS_SWEEP_MS).unref();

  return {
    baseUrl,
    orgName: organization.name,
    partitionGlobalId: organization.partitionGlobalId,
    issuer: `${baseUrl}${ISSUER_PATH}`,
    // A failure rejects the promise, as the interface promises, rather than throwing.
    ensureAdminClient: (request) =>
      new Promise((resolve) => {
        resolve(ensureAdminClient(db, clients, organization, request));
      }),
    close: closer(server, sweep, db),
  };
}

function openIdentityData(dataDir: string, orgName: string, catalogue?: Catalogue): IdentityData {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openIdentityDatabase(dataDir);
  return {
    db,
    organization: loadOrganization(db, orgName),
    keys: loadOrCreateKeys(dataDir),
    clients: new ClientStore(db),
    users: new UserStore(db),
    catalogue: catalogue ?? loadCatalogue(),
    oidcRecords: new OidcRecords(db),
    federatedCredentials: new FederatedCredentialStore(db),
    allowLoopbackHttpIssuers: true,
  };
}

/** oidc-provider, its sign-in page and the management API for a server at `baseUrl`, behind one router. */
function buildRouter(data: IdentityData, baseUrl: string, rateLimits?: Partial<RateLimits>): RequestListener {
  const { db, organization, keys, clients, users, catalogue, oidcRecords } = data;
  const issuer = `${baseUrl}${ISSUER_PATH}`;
  const apiAudience = `${baseUrl}/${encodeURIComponent(organization.name)}`;
  const issuerKeys = new IssuerKeys({ allowLoopbackHttpIssuers: data.allowLoopbackHttpIssuers });
  const federatedProofs = new FederatedProofs();
  const provider = createProvider({
    federatedProofs,
    issuer,
    apiAudience,
    db,
    clients,
    keys,
    catalogue,
    users,
    partitionGlobalId: organization.partitionGlobalId,
  });
  const management = createManagementApi({
    partitionGlobalId: organization.partitionGlobalId,
    catalogue,
    clients,
    users,
    oidcRecords,
    rateLimiter: new RateLimiter(rateLimits),
    guard: bearerGuard({ issuer, audience: apiAudience, jwks: publicJwks(keys) }),
    checkClientMetadata: (client) => metadataRefusal(provider, client),
    federated: {
      credentials: data.federatedCredentials,
      issuerKeys,
      allowLoopbackHttpIssuers: data.allowLoopbackHttpIssuers,
    },
  });
  const signIn = createSignIn({ provider, users, db, apiAudience });
  const tokenFront = federatedTokenFront({
    clients,
    credentials: data.federatedCredentials,
    issuerKeys,
    proofs: federatedProofs,
  });
  return createRouter({ orgName: organization.name, provider, management, signIn, tokenFront });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops the sweep and the server (open connections too), then closes the database; once, whoever calls it. */
function closer(server: Server, sweep: NodeJS.Timeout, db: IdentityDatabase): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () =>
    (closing ??= new Promise<void>((resolve, reject) => {
      clearInterval(sweep);
      server.close((error) => {
        db.close();
        if (error) reject(error);
        else resolve();
      });
      server.closeAllConnections();
    }));
}
