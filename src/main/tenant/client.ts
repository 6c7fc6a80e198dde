// TenantClient: the app's HTTP client of an Identity Server organisation's API (ExternalClient, catalogue, token).
// The same client talks to the embedded server on loopback and to cloud.uipath.com.
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { AppError, type Issue } from '../../shared/errors';
import {
  LocalUser,
  type Catalogue,
  type ExternalClient,
  type ScopeRequest,
  type SecretInfo,
  ADMIN_APP_SCOPES,
  USER_ADMIN_SCOPE,
} from '../../shared/model';
import { ArrayAnswerReader, unexpectedShape } from './arrayAnswer';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { endpointsOf, type TenantAddress, type TenantEndpoints } from './endpoints';
import { SCOPE_NEEDS, refusedForScope, scopesOfClaims, type ScopeNeed } from './scopes';
import type { TokenSource } from './tokens';
import {
  ExternalClientDto,
  ExternalResourceDto,
  SecretDto,
  catalogueOf,
  externalClientOf,
  parseJsonLosslessly,
  secretIdOf,
  secretInfoOf,
} from './wire';

/**
 * The local tenant's user calls ask for the user scope alone: a remote organisation's admin application may not hold
 * it, and its token for applications must keep working.
 */
const USER_ADMIN_SCOPES = [USER_ADMIN_SCOPE] as const;

export interface TenantConnection extends TenantAddress {
  partitionGlobalId: string;
  adminClientId: string;
}

/** Whether the organisation answered the last request, and why not. */
export type Reachability = { online: true } | { online: false; error: string };

export interface TenantClientOptions {
  connection: TenantConnection;
  /** Where admin tokens come from: the admin application's client credentials, or the admin's account. */
  tokens: TokenSource;
  fetch?: typeof fetch;
  backoff?: BackoffPolicy;
  /** How many times a 429 is retried before giving up. */
  maxRetries?: number;
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told when a 429 makes a request wait (until when, in epoch ms) and when it goes on (null). */
  onRateLimitWait?: (untilMs: number | null) => void;
  /** Told after every request whether the organisation answered. */
  onReachability?: (reach: Reachability) => void;
}

/** Cancels a long call (a sync the admin stopped). */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreateAppRequest {
  name: string;
  isConfidential: boolean;
  redirectUri: string | null;
  scopes: ScopeRequest[];
}

export interface UpdateAppRequest {
  name: string;
  redirectUri: string | null;
  scopes: ScopeRequest[];
}

export interface SecretRequest {
  description: string | null;
  /** ISO date-time, or null for a secret that does not expire. */
  expiryTime: string | null;
}

export interface NewUserRequest {
  userName: string;
  displayName: string;
  password: string;
}

/**
 * The answer of a write that may carry a secret value (create, GenerateSecret). The value is taken from the raw answer
 * first, before anything else in it is checked, so that an answer the app cannot otherwise read never loses it.
 */
export interface SecretBearingAnswer<T> {
  /** The secret value, or null when the answer holds none that can be read. */
  secretValue: string | null;
  /** Where the secret belongs, as far as the raw answer tells: for its keychain entry. */
  clientId: string | null;
  secretId: string | null;
  /** The rest of the answer in the app's shapes; throws an AppError saying what could not be read. */
  read: () => T;
}

export type CreatedApp = SecretBearingAnswer<ExternalClient>;
export type GeneratedSecret = SecretBearingAnswer<SecretInfo>;

/** Renew the token this long before it expires, so that a request never leaves with a dying token. */
const TOKEN_MARGIN_MS = 60_000;

const Discovery = z.object({ issuer: z.string(), token_endpoint: z.string() });
const ErrorBody = z.object({
  title: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});

/**
 * How many applications of a list are checked and handed on together: small, so that what is held while the list
 * streams in stays small (larger batches live long enough to make V8 grow its young generation for good).
 */
const LIST_BATCH_SIZE = 25;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether fetch failed because the connection was reset or closed under the request (not refused, not timed out). */
function wasReset(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

export class TenantClient {
  readonly endpoints: TenantEndpoints;
  private readonly connection: TenantConnection;
  private readonly options: Required<
    Omit<TenantClientOptions, 'connection' | 'tokens' | 'onRateLimitWait' | 'onReachability'>
  > &
    Pick<TenantClientOptions, 'tokens' | 'onRateLimitWait' | 'onReachability'>;
  /** One token per scope set (the applications' and the users'), each reused until close to expiry. */
  private readonly tokens = new Map<string, { value: string; renewAt: number }>();
  private readonly pendingTokens = new Map<string, Promise<string>>();

  constructor(options: TenantClientOptions) {
    this.connection = options.connection;
    this.endpoints = endpointsOf(options.connection);
    this.options = {
      tokens: options.tokens,
      onRateLimitWait: options.onRateLimitWait,
      onReachability: options.onReachability,
      fetch: options.fetch ?? globalThis.fetch,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      maxRetries: options.maxRetries ?? 4,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      sleep: options.sleep ?? defaultSleep,
    };
  }

  async listApps(call: CallOptions = {}): Promise<ExternalClient[]> {
    const apps: ExternalClient[] = [];
    await this.eachApps((batch) => apps.push(...batch), call);
    return apps;
  }

  /**
   * Every application of the organisation, handed to `take` in batches as the answer arrives, each checked as any
   * answer is; answers the number of applications. The list is never held whole, however long: read as a stream,
   * whether the organisation sends it in one piece or a page at a time. If the answer turns out wrong (not JSON, an
   * application of the wrong shape), it throws after the batches before; whatever `take` throws stops the reading.
   */
  async eachApps(take: (apps: ExternalClient[]) => void, call: CallOptions = {}): Promise<number> {
    const response = await this.respond('GET', `/ExternalClient/${this.partition()}`, undefined, {
      need: SCOPE_NEEDS.readApps,
      signal: call.signal,
    });
    const orgName = this.connection.orgName;
    let handed = 0;
    await this.readArray(
      response,
      ExternalClientDto,
      'the list of applications',
      (batch) => {
        // UiPath's id is nullable: an application listed without its App ID can be neither read, changed nor
        // deleted, so it is left out of the list rather than making the whole organisation's list unreadable.
        const apps = batch.filter((dto) => dto.id).map((dto) => externalClientOf(dto, orgName));
        handed += apps.length;
        if (apps.length > 0) take(apps);
      },
      call.signal,
    );
    return handed;
  }

  async getApp(clientId: string): Promise<ExternalClient> {
    const body = await this.api(
      'GET',
      `/ExternalClient/${this.partition()}/${encodeURIComponent(clientId)}`,
      undefined,
      {
        notFound: `No application with App ID ${clientId} exists in ${this.connection.orgName}.`,
        need: SCOPE_NEEDS.readApps,
      },
    );
    // UiPath's id is nullable: an answer without it is the application asked for.
    const dto = parseAnswer(ExternalClientDto, body, 'the application');
    return externalClientOf({ ...dto, id: dto.id?.length ? dto.id : clientId }, this.connection.orgName);
  }

  /** Registers the application; a confidential one's first secret is in this answer only (see SecretBearingAnswer). */
  async createApp(request: CreateAppRequest): Promise<CreatedApp> {
    const text = await this.apiText(
      'POST',
      '/ExternalClient',
      {
        partitionGlobalId: this.connection.partitionGlobalId,
        name: request.name,
        isConfidential: request.isConfidential,
        redirectUri: request.redirectUri,
        scopes: request.scopes,
      },
      { need: SCOPE_NEEDS.changeApps },
    );
    const raw = rawObject(text);
    const orgName = this.connection.orgName;
    const firstSecret = Array.isArray(raw?.secrets) ? (raw.secrets as unknown[]).find(isObject) : undefined;
    return {
      secretValue: nonEmptyText(raw?.secret),
      clientId: nonEmptyText(raw?.id),
      secretId: raw?.secrets === undefined ? null : secretIdOf(firstSecret?.id),
      read: () => externalClientOf(parseAnswer(ExternalClientDto, parsedText(text), 'the new application'), orgName),
    };
  }

  /**
   * Replaces the app's name, redirect URL and scopes; the application type stays as it is. UiPath answers 200 with no
   * body, so the application is read again for the caller.
   */
  async updateApp(clientId: string, request: UpdateAppRequest): Promise<ExternalClient> {
    await this.apiText('PUT', this.appPath(clientId), request, {
      notFound: this.appNotFound(clientId),
      need: SCOPE_NEEDS.changeApps,
    });
    return this.getApp(clientId);
  }

  async deleteApp(clientId: string): Promise<void> {
    await this.api('DELETE', this.appPath(clientId), undefined, {
      notFound: this.appNotFound(clientId),
      need: SCOPE_NEEDS.changeApps,
    });
  }

  /** A new secret of the app; its value is in this answer only (see SecretBearingAnswer). */
  async generateSecret(clientId: string, request: SecretRequest): Promise<GeneratedSecret> {
    const text = await this.apiText(
      'POST',
      '/ExternalClient/GenerateSecret',
      { clientId, partitionGlobalId: this.connection.partitionGlobalId, ...request },
      { notFound: this.appNotFound(clientId), need: SCOPE_NEEDS.generateSecrets },
    );
    const raw = rawObject(text);
    return {
      secretValue: nonEmptyText(raw?.secret),
      clientId,
      secretId: secretIdOf(raw?.id),
      read: () => {
        const info = secretInfoOf(parseAnswer(SecretDto, parsedText(text), 'the new secret'));
        if (!info) throw unexpectedShape('the new secret', ['id']);
        return info;
      },
    };
  }

  async deleteSecret(secretId: string): Promise<void> {
    await this.api('DELETE', `/ExternalClient/${this.partition()}/secrets/${encodeURIComponent(secretId)}`, undefined, {
      notFound: `No secret ${secretId} exists in ${this.connection.orgName}.`,
      need: SCOPE_NEEDS.deleteSecrets,
    });
  }

  async listUsers(): Promise<LocalUser[]> {
    const body = await this.api('GET', '/User', undefined, { need: SCOPE_NEEDS.manageUsers }, USER_ADMIN_SCOPES);
    return parseAnswer(z.array(LocalUser), body, 'the list of users');
  }

  async createUser(request: NewUserRequest): Promise<LocalUser> {
    const body = await this.api('POST', '/User', request, { need: SCOPE_NEEDS.manageUsers }, USER_ADMIN_SCOPES);
    return parseAnswer(LocalUser, body, 'the new user');
  }

  async deleteUser(userName: string): Promise<void> {
    await this.api(
      'DELETE',
      `/User/${encodeURIComponent(userName)}`,
      undefined,
      {
        notFound: `No user named ${userName} exists in ${this.connection.orgName}.`,
        need: SCOPE_NEEDS.manageUsers,
      },
      USER_ADMIN_SCOPES,
    );
  }

  async catalogue(call: CallOptions = {}): Promise<Catalogue> {
    const body = await this.api('GET', '/ExternalApiResource', undefined, {
      need: SCOPE_NEEDS.readCatalogue,
      signal: call.signal,
    });
    return catalogueOf(parseAnswer(z.array(ExternalResourceDto).nullable(), body, 'the resource catalogue'));
  }

  /** The organisation's OpenID discovery document: proves the issuer answers where its base URL says. */
  async discovery(): Promise<z.infer<typeof Discovery>> {
    const response = await this.send(`${this.endpoints.issuer}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw await this.errorOf(response, `${this.endpoints.issuer} has no OpenID discovery document.`);
    return parseAnswer(Discovery, await readJson(response), 'the OpenID discovery document');
  }

  /** Proves the admin's sign-in works by getting a token; throws `unauthorized` when it is refused. */
  async checkAdminAccess(): Promise<void> {
    await this.accessToken();
  }

  /** The claims of the admin token for applications (prt_id, scope, …), read without verifying: it is our own. */
  async tokenClaims(): Promise<Record<string, unknown>> {
    const token = await this.accessToken();
    try {
      return decodeJwt<Record<string, unknown>>(token);
    } catch {
      // An opaque token: it carries no claims to read.
      return {};
    }
  }

  /** The scopes the admin token for applications carries. */
  async grantedScopes(): Promise<string[]> {
    return scopesOfClaims(await this.tokenClaims());
  }

  /** Who the tokens act for, as messages name it. */
  get grantee(): string {
    return this.options.tokens.grantee;
  }

  /** Forgets the cached tokens, e.g. after the admin secret changed. */
  forgetToken(): void {
    this.tokens.clear();
  }

  private partition(): string {
    return encodeURIComponent(this.connection.partitionGlobalId);
  }

  private appPath(clientId: string): string {
    return `/ExternalClient/${this.partition()}/${encodeURIComponent(clientId)}`;
  }

  private appNotFound(clientId: string): string {
    return `No application with App ID ${clientId} exists in ${this.connection.orgName}.`;
  }

  /**
   * One management API call: bearer token, 429 back-off, and a single retry with a fresh token after a 401.
   * A change the organisation cannot be reached for is refused in words that say so: nothing was sent.
   */
  private async api(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    messages: { notFound?: string; need?: ScopeNeed; signal?: AbortSignal } = {},
    scopes: readonly string[] = ADMIN_APP_SCOPES,
  ): Promise<unknown> {
    const response = await this.respond(method, path, body, messages, scopes);
    return response.status === 204 ? null : await readJson(response);
  }

  /**
   * A management API call whose answer is read as text, not parsed yet: the caller takes what it must keep (a
   * secret value) before it checks the rest. A body the organisation could not send whole is still an unknown outcome.
   */
  private async apiText(
    method: 'POST' | 'PUT',
    path: string,
    body: unknown,
    messages: { notFound?: string; need?: ScopeNeed } = {},
  ): Promise<string> {
    const response = await this.respond(method, path, body, messages);
    try {
      return await response.text();
    } catch (error) {
      throw this.failed(error);
    }
  }

  /** The successful answer of a management API call, its body not read yet; see `api`. */
  private async respond(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    messages: { notFound?: string; need?: ScopeNeed; signal?: AbortSignal } = {},
    scopes: readonly string[] = ADMIN_APP_SCOPES,
  ): Promise<Response> {
    try {
      for (let renewed = false; ; renewed = true) {
        const token = await this.accessToken(scopes);
        const response = await this.send(
          `${this.endpoints.apiUrl}${path}`,
          {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          },
          messages.signal,
        );
        if (response.status === 401 && !renewed) {
          // The token may have outlived the server's keys (a restarted or reset tenant): get a new one once.
          this.forgetToken();
          continue;
        }
        if (response.ok) return response;
        throw await this.errorOf(response, messages.notFound, messages.need);
      }
    } catch (error) {
      if (method !== 'GET' && error instanceof Unreachable)
        throw new AppError(
          'tenant_unreachable',
          `${this.connection.orgName} cannot be reached: ${error.why}; changes need a connection.`,
        );
      throw error;
    }
  }

  private async accessToken(scopes: readonly string[] = ADMIN_APP_SCOPES): Promise<string> {
    const key = scopes.join(' ');
    const cached = this.tokens.get(key);
    if (cached && Date.now() < cached.renewAt) return cached.value;
    // Concurrent calls share one token request instead of each spending a POST of the rate limit.
    let pending = this.pendingTokens.get(key);
    if (!pending) {
      pending = this.requestToken(key).finally(() => this.pendingTokens.delete(key));
      this.pendingTokens.set(key, pending);
    }
    return pending;
  }

  private async requestToken(scope: string): Promise<string> {
    // The source's requests go through send too: the same timeout, 429 waits and reachability.
    const viaClient: typeof fetch = (input, init) =>
      this.send(input instanceof Request ? input.url : String(input), init ?? {}, init?.signal ?? undefined);
    const issued = await this.options.tokens.issue(scope === '' ? [] : scope.split(' '), viaClient);
    const lifetimeMs = issued.expiresInSeconds * 1000;
    this.tokens.set(scope, {
      value: issued.accessToken,
      renewAt: Date.now() + Math.max(lifetimeMs - TOKEN_MARGIN_MS, lifetimeMs / 2),
    });
    return issued.accessToken;
  }

  /** fetch with a timeout, network errors as tenant_unreachable, and 429 answered by waiting and retrying. */
  private async send(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    let askedAgain = false;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
        response = await this.options.fetch(url, {
          ...init,
          signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        });
      } catch (error) {
        // A kept-alive connection the server closed while it lay idle resets the next request on it. A GET changes
        // nothing, so it is asked once more, on a new connection; a change is never sent twice.
        if (!askedAgain && (init.method ?? 'GET') === 'GET' && !signal?.aborted && wasReset(error)) {
          askedAgain = true;
          attempt--;
          continue;
        }
        throw this.failed(error, signal);
      }
      this.options.onReachability?.({ online: true });
      if (response.status !== 429) return response;
      const retryAfter = response.headers.get('retry-after');
      await response.body?.cancel();
      if (attempt >= this.options.maxRetries)
        throw new AppError(
          'rate_limited',
          `${this.connection.orgName} is limiting requests${retryAfter ? ` (retry after ${retryAfter} s)` : ''}; try again later.`,
        );
      const waitMs = retryDelayMs(retryAfter, attempt, this.options.backoff);
      this.options.onRateLimitWait?.(Date.now() + waitMs);
      try {
        await this.options.sleep(waitMs);
      } finally {
        this.options.onRateLimitWait?.(null);
      }
    }
  }

  /** A request that got no (whole) answer: stopped, or the organisation unreachable, as its status then says. */
  private failed(error: unknown, signal?: AbortSignal): AppError {
    if (signal?.aborted) return new AppError('server_error', 'The request was stopped.');
    const unreachable = this.unreachable(error);
    this.options.onReachability?.({ online: false, error: unreachable.message });
    return unreachable;
  }

  /** A JSON array answer read as it arrives: its elements checked, and handed to `take` in batches. */
  private async readArray<T>(
    response: Response,
    item: z.ZodType<T>,
    what: string,
    take: (batch: T[]) => void,
    signal?: AbortSignal,
  ): Promise<number> {
    const notJson = () =>
      new AppError('server_error', `The tenant answered ${response.status} with something that is not JSON.`);
    if (response.body === null) throw notJson();
    const reader = new ArrayAnswerReader(item, what, take, notJson, LIST_BATCH_SIZE);
    const chunks = response.body.getReader();
    let finished = false;
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await chunks.read();
        } catch (error) {
          throw this.failed(error, signal);
        }
        if (next.done) break;
        reader.write(next.value);
      }
      finished = true;
      return reader.end();
    } finally {
      // An answer refused before its end (a wrong shape, what `take` threw) is not downloaded to the end.
      if (!finished) await chunks.cancel().catch(() => undefined);
      chunks.releaseLock();
    }
  }

  private unreachable(error: unknown): Unreachable {
    const cause = (error as { cause?: { code?: string } } | null)?.cause;
    const why =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        ? `no answer within ${Math.round(this.options.requestTimeoutMs / 1000)} s`
        : cause?.code === 'ECONNREFUSED'
          ? 'connection refused (is its Identity Server running?)'
          : cause?.code === 'ENOTFOUND'
            ? 'host not found'
            : (cause?.code ?? (error instanceof Error ? error.message : 'network error'));
    return new Unreachable(why, `Cannot reach ${this.connection.baseUrl}: ${why}.`);
  }

  private async errorOf(response: Response, notFound?: string, need?: ScopeNeed): Promise<AppError> {
    const text = await response.text().catch(() => '');
    let body: z.infer<typeof ErrorBody> = {};
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(text));
      if (parsed.success) body = parsed.data;
    } catch {
      // Not JSON (a proxy's HTML page, say): the status alone tells what happened.
    }
    const said = body.error_description ?? body.title ?? body.error;
    switch (response.status) {
      // 400, or 409: a conflict the caller can fix, e.g. a user name already taken; the server names the field.
      case 400:
      case 409: {
        const issues: Issue[] = Object.entries(body.errors ?? {}).flatMap(([field, messages]) =>
          messages.map((message) => ({ field, message })),
        );
        if (issues.length > 0) return AppError.invalid(issues);
        return new AppError('invalid_input', said ?? `${this.connection.orgName} refused the request as invalid.`);
      }
      case 401:
        return new AppError('unauthorized', `${this.connection.orgName} did not accept the token of ${this.grantee}.`);
      case 403:
        return new AppError(
          'forbidden',
          need
            ? refusedForScope(need, this.connection.orgName, this.grantee)
            : `${sentenceOf(this.grantee)} lacks the scope for this operation in ${this.connection.orgName}.`,
        );
      case 404:
        return new AppError('not_found', notFound ?? said ?? `Not found in ${this.connection.orgName}.`);
      default:
        return new AppError(
          'server_error',
          `${this.connection.orgName} answered ${response.status}${said ? `: ${said}` : ''}.`,
        );
    }
  }
}

/** The organisation did not answer; `why` in a few words, for the messages that say what it means. */
class Unreachable extends AppError {
  constructor(
    readonly why: string,
    message: string,
  ) {
    super('tenant_unreachable', message);
  }
}

function sentenceOf(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return parseJsonLosslessly(text);
  } catch {
    throw new AppError('server_error', `The tenant answered ${response.status} with something that is not JSON.`);
  }
}

/** An answer's text as JSON (integers past 2^53 kept exactly), or a refusal saying it is not JSON. */
function parsedText(text: string): unknown {
  try {
    return parseJsonLosslessly(text);
  } catch {
    throw new AppError('server_error', 'The organisation answered with something that is not JSON.');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer's top-level object, read leniently for what must be kept whatever else it holds; null if it is none. */
function rawObject(text: string): Record<string, unknown> | null {
  try {
    const value = parseJsonLosslessly(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function nonEmptyText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function parseAnswer<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw unexpectedShape(what, parsed.error.issues[0]?.path ?? []);
}
