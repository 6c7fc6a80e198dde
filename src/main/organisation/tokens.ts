// Where a OrganisationClient's admin access tokens come from, one source per organisation: the admin application's client
// credentials (its secret read from the keychain for each request), or the admin's own account (a refresh token kept in
// the keychain, exchanged for access tokens that live only in memory). The rest of the client is the same for all.
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { refreshAccountTokens, type AccountTokens } from './accountSignIn';
import { NARROWER_SCOPES } from './scopes';

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface TokenSource {
  /** Who the tokens act for, as a message names it: "the admin application abc". */
  readonly grantee: string;
  /**
   * A new access token for `scopes`. `fetch` is the client's own: it times out, waits out a 429 and turns a network
   * failure into organisation_unreachable, so a source need not.
   */
  issue(scopes: readonly string[], fetch: typeof globalThis.fetch): Promise<IssuedToken>;
  /** Forgets what earlier requests learned (the scopes an application turned out to hold): the next asks afresh. */
  forget?(): void;
}

interface TokenPlace {
  tokenUrl: string;
  /** The organisation as sentences name it: its display name (organisationInWords), never a URL's name. */
  inWords: string;
  clientId: string;
}

const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive().default(3600) });
const TokenError = z.object({ error: z.string().optional(), error_description: z.string().optional() });

async function tokenOf(response: Response, inWords: string): Promise<IssuedToken> {
  const parsed = TokenAnswer.safeParse(await response.json().catch(() => null));
  if (!parsed.success)
    throw new AppError('server_error', `${inWords} answered the token request with something that is not a token.`);
  return { accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
}

async function tokenErrorOf(response: Response): Promise<{ error: string | null; said: string }> {
  const body = TokenError.safeParse(await response.json().catch(() => null));
  const error = body.success ? (body.data.error ?? null) : null;
  const description = body.success ? body.data.error_description : undefined;
  return { error, said: description ?? error ?? `HTTP ${response.status}` };
}

/**
 * The admin application's client credentials. An application holding only some of the wanted scopes (or the narrower
 * read/write ones) still gets a token with what it holds, once found, so that Test connection can say what it lacks.
 */
export function clientCredentialsSource(o: TokenPlace & { secret: () => Promise<string> }): TokenSource {
  const grantee = `the admin application ${o.clientId}`;
  /** Per wanted scope set, the scopes the application turned out to hold of it. */
  const held = new Map<string, readonly string[]>();

  async function request(scopes: readonly string[], fetch: typeof globalThis.fetch): Promise<IssuedToken | null> {
    const secret = await o.secret();
    const response = await fetch(o.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: o.clientId,
        client_secret: secret,
        scope: scopes.join(' '),
      }).toString(),
    });
    if (response.ok) return tokenOf(response, o.inWords);
    const { error, said } = await tokenErrorOf(response);
    // null: the application does not hold one of these scopes.
    if (error === 'invalid_scope') return null;
    if (response.status === 400 || response.status === 401)
      throw new AppError(
        'unauthorized',
        `${o.inWords} refused ${grantee} (${said}). Its secret may have been deleted or may have expired.`,
      );
    throw new AppError('server_error', `${o.inWords} answered ${response.status} to the token request (${said}).`);
  }

  return {
    grantee,
    async issue(scopes, fetch) {
      const key = scopes.join(' ');
      const token = await request(held.get(key) ?? scopes, fetch);
      if (token) return token;
      const candidates = [...new Set(scopes.flatMap((s) => [s, ...(NARROWER_SCOPES[s] ?? [])]))];
      const holds: string[] = [];
      for (const candidate of candidates) if (await request([candidate], fetch)) holds.push(candidate);
      const narrowed = holds.length > 0 ? await request(holds, fetch) : null;
      if (!narrowed)
        throw new AppError(
          'forbidden',
          `${grantee} holds none of the scopes ${candidates.join(', ')} in ${o.inWords}; give it ${scopes.join(' and ')} as application scopes.`,
        );
      held.set(key, holds);
      return narrowed;
    },
    forget() {
      held.clear();
    },
  };
}

/** Where the account's refresh token is kept: the keychain, under the organisation's own account name. */
export interface RefreshTokenStore {
  read(): Promise<string | null>;
  write(refreshToken: string): Promise<void>;
}

/**
 * The admin's account: each access token comes from the refresh token in the keychain. Refresh tokens are single-use
 * at the embedded server and may rotate at UiPath, so renewals run one at a time and the new refresh token is in the
 * keychain before its access token is used. `initial`: the tokens of the sign-in that just happened.
 */
export function accountSource(
  o: TokenPlace & { refreshToken: RefreshTokenStore; initial?: AccountTokens },
): TokenSource {
  const grantee = `the sign-in application ${o.clientId}`;
  let initial: IssuedToken | null = o.initial
    ? { accessToken: o.initial.accessToken, expiresInSeconds: o.initial.expiresInSeconds }
    : null;
  let queue: Promise<unknown> = Promise.resolve();

  async function renew(fetch: typeof globalThis.fetch): Promise<IssuedToken> {
    const refreshToken = await o.refreshToken.read();
    if (refreshToken === null)
      throw new AppError(
        'unauthorized',
        `The keychain holds no sign-in of your account for ${o.inWords}; sign in again with Change sign-in in organisation settings (oauth-desk orgs sign-in --interactive).`,
      );
    let tokens: AccountTokens;
    try {
      tokens = await refreshAccountTokens({ tokenUrl: o.tokenUrl, clientId: o.clientId, refreshToken, fetch });
    } catch (error) {
      if (error instanceof AppError && (error.code === 'organisation_unreachable' || error.code === 'rate_limited'))
        throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new AppError(
        'unauthorized',
        `${o.inWords} no longer accepts your account's sign-in (${why}); sign in again with Change sign-in in organisation settings (oauth-desk orgs sign-in --interactive).`,
      );
    }
    await o.refreshToken.write(tokens.refreshToken);
    return { accessToken: tokens.accessToken, expiresInSeconds: tokens.expiresInSeconds };
  }

  return {
    grantee,
    issue(_scopes, fetch) {
      // The account's tokens carry the scopes it consented to; a request cannot ask for others.
      if (initial) {
        const first = initial;
        initial = null;
        return Promise.resolve(first);
      }
      const next = queue.then(() => renew(fetch));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** Renew a token this long before it expires, so that a request never leaves with a dying token. */
const TOKEN_MARGIN_MS = 60_000;

/** One token per scope set (the applications' and the users'), each reused until close to its expiry. */
export class TokenCache {
  private readonly tokens = new Map<string, { value: string; renewAt: number }>();
  private readonly pending = new Map<string, Promise<string>>();

  /** A live token for `scopes`: the cached one, or one issued by `source` through `fetchVia`. */
  get(scopes: readonly string[], source: TokenSource, fetchVia: typeof fetch): Promise<string> {
    const key = scopes.join(' ');
    const cached = this.tokens.get(key);
    if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.value);
    // Concurrent calls share one token request instead of each spending a POST of the rate limit.
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.issue(key, source, fetchVia).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  /** Forgets every cached token, e.g. after the admin secret changed. */
  forget(): void {
    this.tokens.clear();
  }

  private async issue(key: string, source: TokenSource, fetchVia: typeof fetch): Promise<string> {
    const issued = await source.issue(key === '' ? [] : key.split(' '), fetchVia);
    const lifetimeMs = issued.expiresInSeconds * 1000;
    this.tokens.set(key, {
      value: issued.accessToken,
      renewAt: Date.now() + Math.max(lifetimeMs - TOKEN_MARGIN_MS, lifetimeMs / 2),
    });
    return issued.accessToken;
  }
}
