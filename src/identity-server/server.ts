// The embedded Identity Server: oidc-provider and the ExternalClient API on one loopback HTTP server, own SQLite.
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCatalogue } from './catalog';
import { pathUnderIssuer } from './http/organizationPath';
import { RateLimiter, type RateLimits } from './http/rateLimit';
import { createManagementApi } from './management/api';
import { bearerGuard } from './management/bearer';
import { toClientMetadata } from './oauth/clientMetadata';
import { ISSUER_PATH, createProvider } from './oauth/provider';
import { createSignIn } from './oauth/signIn';
import { ClientStore } from './store/clients';
import { openIdentityDatabase } from './store/database';
import { OidcRecords } from './store/oidcModels';
import { loadOrganization, recordAdminClient } from './store/organization';
import { loadOrCreateKeys, publicJwks } from './store/signingKeys';
import { UserStore } from './store/users';

export type { RateLimits } from './http/rateLimit';
export { UIPATH_RATE_LIMITS } from './http/rateLimit';

export interface IdentityServerOptions {
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
}

export interface RunningIdentityServer {
  /** e.g. http://127.0.0.1:43110 (no trailing slash). */
  baseUrl: string;
  orgName: string;
  /** A GUID, created once per dataDir and kept. */
  partitionGlobalId: string;
  /** `${baseUrl}/identity_`. */
  issuer: string;
  /** Creates the admin external application if missing: confidential, application scopes PM.OAuthApp,
   *  PM.OAuthAppSecret.Write and PM.User, name "OAuth Desk admin"; gives an existing one any of them it lacks. Returns a new secret value when it created the app, or when
   *  `reissueSecret` is true (adds a new secret to the existing admin app; used when the keychain lost the old one). */
  ensureAdminClient(options?: { reissueSecret?: boolean }): Promise<{ clientId: string; secret: { id: string; value: string } | null }>;
  close(): Promise<void>;
}

export const ADMIN_CLIENT_NAME = 'OAuth Desk admin';
const ADMIN_SCOPES = ['PM.OAuthApp', 'PM.OAuthAppSecret.Write', 'PM.User'] as const;
const API_PATH = '/api';
/** How often expired oidc-provider records are swept, besides once at start. */
const EXPIRED_RECORDS_SWEEP_MS = 60 * 60_000;

export async function startIdentityServer(options: IdentityServerOptions): Promise<RunningIdentityServer> {
  const host = options.host ?? '127.0.0.1';
  const orgName = options.orgName ?? 'local';
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });

  const db = openIdentityDatabase(options.dataDir);
  const organization = loadOrganization(db, orgName);
  const keys = loadOrCreateKeys(options.dataDir);
  const clients = new ClientStore(db);
  const users = new UserStore(db);
  const catalogue = loadCatalogue();
  const oidcRecords = new OidcRecords(db);

  // The port is known only once listening, and the issuer contains it: listen first, then build the handlers.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handle(req, res));
  try {
    await listen(server, options.port, host);
  } catch (error) {
    db.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const issuer = `${baseUrl}${ISSUER_PATH}`;
  const apiAudience = `${baseUrl}/${encodeURIComponent(orgName)}`;

  const provider = createProvider({ issuer, apiAudience, db, clients, keys, catalogue, users });
  const signIn = createSignIn({ provider, users, apiAudience });
  const management = createManagementApi({
    partitionGlobalId: organization.partitionGlobalId,
    catalogue,
    clients,
    users,
    oidcRecords,
    rateLimiter: new RateLimiter(options.rateLimits),
    guard: bearerGuard({ issuer, audience: apiAudience, jwks: publicJwks(keys) }),
    checkClientMetadata: async (client) => {
      try {
        await provider.Client.validate(toClientMetadata(client));
        return null;
      } catch (error) {
        return (error as { error_description?: string }).error_description ?? 'The server cannot accept this application.';
      }
    },
  });
  const provide = provider.callback();
  const manage = management.callback();

  handle = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const path = pathUnderIssuer(url.pathname, organization.name, ISSUER_PATH);
    if (path === null) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 404, title: 'Not found.' }));
      return;
    }
    if (path === API_PATH || path.startsWith(`${API_PATH}/`)) {
      req.url = (path.slice(API_PATH.length) || '/') + url.search;
      void manage(req, res);
      return;
    }
    const interaction = /^\/interaction\/([\w-]+)$/.exec(path);
    if (interaction) {
      signIn(req, res, interaction[1]!).catch((error: unknown) => {
        console.error('Sign-in page failed:', error);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
      return;
    }
    if (path === '/connect/authorize') {
      dropTenantAcrValue(url, organization.name);
      allowOfflineAccess(url);
    }
    // oidc-provider derives its mount path from originalUrl minus url, as under Express: its generated URLs
    // (discovery, interactions, resume) then stay under /identity_ whichever form the request came in.
    req.url = path + url.search;
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = ISSUER_PATH + req.url;
    void provide(req, res);
  };

  async function ensureAdminClient(request: { reissueSecret?: boolean } = {}) {
    const current = loadOrganization(db, organization.name).adminClientId;
    const existing = current ? clients.get(current) : null;
    if (existing) {
      // A server created before an admin scope existed gives its admin app that scope now.
      const missing = ADMIN_SCOPES.filter((name) => !existing.scopes.some((s) => s.type === 'application' && s.name === name));
      if (missing.length > 0) {
        const { id: _id, partitionGlobalId: _partition, secrets: _secrets, ...draft } = existing;
        clients.update(existing.id, { ...draft, scopes: [...draft.scopes, ...missing.map((name) => ({ name, type: 'application' as const }))] });
      }
      if (!request.reissueSecret) return { clientId: existing.id, secret: null };
      const issued = clients.addSecret(existing.id, { description: `${ADMIN_CLIENT_NAME} secret`, expiryTime: null });
      return { clientId: existing.id, secret: { id: issued.record.id, value: issued.value } };
    }
    const created = clients.create(
      organization.partitionGlobalId,
      { name: ADMIN_CLIENT_NAME, isConfidential: true, redirectUri: null, scopes: ADMIN_SCOPES.map((name) => ({ name, type: 'application' })) },
      { description: `${ADMIN_CLIENT_NAME} secret`, expiryTime: null },
    );
    recordAdminClient(db, created.client.id);
    return { clientId: created.client.id, secret: { id: created.secret!.record.id, value: created.secret!.value } };
  }

  oidcRecords.deleteExpired();
  // Unref'd: a sweep due later never keeps the process alive.
  const sweep = setInterval(() => oidcRecords.deleteExpired(), EXPIRED_RECORDS_SWEEP_MS).unref();

  let closing: Promise<void> | null = null;
  return {
    baseUrl,
    orgName: organization.name,
    partitionGlobalId: organization.partitionGlobalId,
    issuer,
    ensureAdminClient,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        clearInterval(sweep);
        server.close((error) => {
          db.close();
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      })),
  };
}

/**
 * UiPath's clients send `acr_values=tenantName:{org}`, which oidc-provider refuses without the `openid` scope.
 * The organisation is this server's, so the value says nothing more: it is checked and dropped.
 */
function dropTenantAcrValue(url: URL, orgName: string): void {
  const acr = url.searchParams.get('acr_values');
  if (acr === null) return;
  const rest = acr.split(' ').filter((value) => value.toLowerCase() !== `tenantname:${orgName.toLowerCase()}`);
  if (rest.length > 0) url.searchParams.set('acr_values', rest.join(' '));
  else url.searchParams.delete('acr_values');
}

/**
 * UiPath's clients add `offline_access` to the scope and expect a refresh token. oidc-provider follows OpenID Connect
 * Core §11 and drops `offline_access` unless the request says `prompt=consent`. An admin's grant is this server's
 * consent (the sign-in page never asks), so a request for offline access is marked as one that consents; the
 * interaction then finishes without a page when the browser is already signed in. `prompt=none` is left alone.
 */
function allowOfflineAccess(url: URL): void {
  const scopes = (url.searchParams.get('scope') ?? '').split(' ');
  if (!scopes.includes('offline_access')) return;
  const prompts = (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
  if (prompts.includes('none') || prompts.includes('consent')) return;
  url.searchParams.set('prompt', [...prompts, 'consent'].join(' '));
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
