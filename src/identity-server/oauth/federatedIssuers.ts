// The signing keys of a federated credential's issuer: found through its OpenID discovery document, fetched with a
// timeout and kept for a while (jose's remote JWK set, which also refetches on an unknown kid, rate limited).
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { isLoopbackHttpIssuer } from '../../shared/federated';

/** How long a discovery document is trusted before it is read again. */
const DISCOVERY_CACHE_MS = 10 * 60_000;
/** How long one request to an issuer may take. */
const ISSUER_TIMEOUT_MS = 5_000;
/** Issuers kept in memory at most (oldest dropped first). */
const ISSUERS_KEPT = 500;

export interface IssuerKeySettings {
  /** Only the embedded Identity Server trusts an http issuer, and only on a loopback address. */
  allowLoopbackHttpIssuers: boolean;
  timeoutMs?: number;
}

/** Why an issuer cannot be used, as a sentence. */
export class IssuerUnreachable extends Error {}

interface KnownIssuer {
  keys: JWTVerifyGetKey;
  jwksUri: string;
  readAt: number;
}

export class IssuerKeys {
  private readonly known = new Map<string, KnownIssuer>();
  private readonly timeoutMs: number;

  constructor(private readonly settings: IssuerKeySettings) {
    this.timeoutMs = settings.timeoutMs ?? ISSUER_TIMEOUT_MS;
  }

  /** The key resolver of `issuer`, for jose's jwtVerify; refuses with IssuerUnreachable. */
  async keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const cached = this.known.get(issuer);
    if (cached && Date.now() - cached.readAt < DISCOVERY_CACHE_MS) return cached.keys;
    const jwksUri = await this.discoverJwksUri(issuer);
    const keys =
      cached?.jwksUri === jwksUri
        ? cached.keys
        : createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: this.timeoutMs, cooldownDuration: 30_000 });
    if (this.known.size >= ISSUERS_KEPT) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.known.set(issuer, { keys, jwksUri, readAt: Date.now() });
    return keys;
  }

  /** Checks that the issuer's discovery and JWKS answer with at least one key (at create and update). */
  async checkReachable(issuer: string): Promise<void> {
    const jwksUri = await this.discoverJwksUri(issuer);
    const jwks = await this.fetchJson(jwksUri, 'JWKS');
    const keys = (jwks as { keys?: unknown }).keys;
    if (!Array.isArray(keys) || keys.length === 0)
      throw new IssuerUnreachable(`The issuer's JWKS (${jwksUri}) has no keys.`);
  }

  private async discoverJwksUri(issuer: string): Promise<string> {
    this.checkUrl(issuer, 'Issuer');
    const discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const document = (await this.fetchJson(discoveryUrl, 'discovery document')) as Record<string, unknown>;
    if (document.issuer !== issuer)
      throw new IssuerUnreachable(
        `The issuer's discovery document names another issuer (${String(document.issuer)}); the issuer must match it exactly.`,
      );
    if (typeof document.jwks_uri !== 'string')
      throw new IssuerUnreachable(`The issuer's discovery document (${discoveryUrl}) has no jwks_uri.`);
    this.checkUrl(document.jwks_uri, "The issuer's jwks_uri");
    return document.jwks_uri;
  }

  private checkUrl(value: string, what: string): void {
    const url = URL.parse(value);
    const allowed =
      url?.protocol === 'https:' || (this.settings.allowLoopbackHttpIssuers && isLoopbackHttpIssuer(value));
    if (!allowed) throw new IssuerUnreachable(`${what} must use https: ${value}`);
  }

  private async fetchJson(url: string, what: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new IssuerUnreachable(
        `The issuer's ${what} (${url}) ${timedOut ? `did not answer within ${this.timeoutMs / 1000} s` : 'cannot be reached'}.`,
      );
    }
    if (!response.ok) throw new IssuerUnreachable(`The issuer's ${what} (${url}) answered ${response.status}.`);
    try {
      return (await response.json()) as unknown;
    } catch {
      throw new IssuerUnreachable(`The issuer's ${what} (${url}) is not JSON.`);
    }
  }
}
