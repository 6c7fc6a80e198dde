// OrganisationClient: the app's HTTP client of an Identity Server organisation's API (ExternalClient, catalogue, token).
// The same client talks to the embedded server on loopback and to cloud.uipath.com.
import { noRedirects } from './noRedirects';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { LocalUser, type Catalogue, type ExternalClient, ADMIN_APP_SCOPES, USER_ADMIN_SCOPE } from '../../shared/model';
import {
  Unreachable,
  createdAppAnswer,
  generatedSecretAnswer,
  parseAnswer,
  parsedText,
  readJson,
  refusalOf,
} from './answers';
import { readArrayAnswer } from './arrayAnswer';
import { DEFAULT_BACKOFF, abortableSleep } from './backoff';
import { endpointsOf, type OrganisationEndpoints } from './endpoints';
import { federatedCredentialsApi, type FederatedCredentialsApi } from './federated';
import type {
  CallOptions,
  CreateAppRequest,
  CreatedApp,
  GeneratedSecret,
  NewUserRequest,
  SecretRequest,
  OrganisationClientOptions,
  OrganisationConnection,
  UpdateAppRequest,
} from './requests';
import { SCOPE_NEEDS, scopesOfClaims, type ScopeNeed } from './scopes';
import { TokenCache, type TokenSource } from './tokens';
import { failed, send, type Transport } from './transport';
import { ExternalClientDto, ExternalResourceDto, catalogueOf, externalClientOf } from './wire';

/**
 * The local organisation's user calls ask for the user scope alone: a remote organisation's admin application may not hold
 * it, and its token for applications must keep working.
 */
const USER_ADMIN_SCOPES = [USER_ADMIN_SCOPE] as const;

export type {
  CallOptions,
  CreateAppRequest,
  CreatedApp,
  GeneratedSecret,
  NewUserRequest,
  Reachability,
  SecretBearingAnswer,
  SecretRequest,
  OrganisationClientOptions,
  OrganisationConnection,
  UpdateAppRequest,
} from './requests';

const Discovery = z.object({
  issuer: z.string(),
  token_endpoint: z.string(),
  /** Where an account signs in: main opens it only on the host the admin confirmed (services/organisations/newHost.ts). */
  authorization_endpoint: z.string().optional(),
});

/**
 * How many applications of a list are checked and handed on together: small, so that what is held while the list
 * streams in stays small (larger batches live long enough to make V8 grow its young generation for good).
 */
const LIST_BATCH_SIZE = 25;

export class OrganisationClient {
  readonly endpoints: OrganisationEndpoints;
  private readonly connection: OrganisationConnection;
  /** The organisation as sentences name it (OrganisationClientOptions.inWords); never in a URL. */
  private readonly inWords: string;
  /** Where admin tokens come from. */
  private readonly tokenSource: TokenSource;
  /** How requests are sent: timeout, 429 back-off, reachability (./transport.ts). */
  private readonly transport: Transport;
  /** One token per scope set (the applications' and the users'), each reused until close to expiry. */
  private readonly tokens = new TokenCache();

  constructor(options: OrganisationClientOptions) {
    this.connection = options.connection;
    this.inWords = options.inWords;
    this.endpoints = endpointsOf(options.connection);
    this.tokenSource = options.tokens;
    this.transport = {
      connection: options.connection,
      inWords: options.inWords,
      onRateLimitWait: options.onRateLimitWait,
      onReachability: options.onReachability,
      // Never a redirect: a token request's secret goes only where the organisation's base URL says.
      fetch: noRedirects(options.fetch ?? globalThis.fetch),
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      maxRetries: options.maxRetries ?? 100,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      sleep: options.sleep ?? abortableSleep,
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
    let handed = 0;
    await readArrayAnswer(
      response,
      ExternalClientDto,
      'the list of applications',
      (batch) => {
        // UiPath's id is nullable: an application listed without its App ID can be neither read, changed nor
        // deleted, so it is left out of the list rather than making the whole organisation's list unreadable.
        const apps = batch.filter((dto) => dto.id).map((dto) => externalClientOf(dto, this.inWords));
        handed += apps.length;
        if (apps.length > 0) take(apps);
      },
      (error) => failed(this.transport, error, call.signal),
      LIST_BATCH_SIZE,
    );
    return handed;
  }

  async getApp(clientId: string, call: CallOptions = {}): Promise<ExternalClient> {
    const body = await this.api(
      'GET',
      `/ExternalClient/${this.partition()}/${encodeURIComponent(clientId)}`,
      undefined,
      {
        notFound: `No application with App ID ${clientId} exists in ${this.inWords}.`,
        need: SCOPE_NEEDS.readApps,
        stopWaiting: call.stopWaiting,
      },
    );
    // UiPath's id is nullable: an answer without it is the application asked for.
    const dto = parseAnswer(ExternalClientDto, body, 'the application');
    return externalClientOf({ ...dto, id: dto.id?.length ? dto.id : clientId }, this.inWords);
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
    return createdAppAnswer(text, this.inWords);
  }

  /**
   * Replaces the app's name, redirect URL and scopes; the application type stays as it is. UiPath answers 200 with no
   * body, so the application is read again for the caller.
   */
  async updateApp(clientId: string, request: UpdateAppRequest, call: CallOptions = {}): Promise<ExternalClient> {
    await this.apiText('PUT', this.appPath(clientId), request, {
      notFound: this.appNotFound(clientId),
      need: SCOPE_NEEDS.changeApps,
      stopWaiting: call.stopWaiting,
    });
    // Written: the read that follows is not stopped, so the result of the write is known.
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
    return generatedSecretAnswer(text, clientId);
  }

  async deleteSecret(secretId: string): Promise<void> {
    await this.api('DELETE', `/ExternalClient/${this.partition()}/secrets/${encodeURIComponent(secretId)}`, undefined, {
      notFound: `No secret ${secretId} exists in ${this.inWords}.`,
      need: SCOPE_NEEDS.deleteSecrets,
    });
  }

  /** The federated credentials of an application (./federated.ts); an empty answer reads as null. */
  federatedCredentials(clientId: string): FederatedCredentialsApi {
    const call = async (...args: Parameters<OrganisationClient['respond']>) => {
      const response = await this.respond(...args);
      const text = response.status === 204 ? '' : await response.text();
      return text.trim() === '' ? null : parsedText(text);
    };
    return federatedCredentialsApi(call, {
      appPath: this.appPath(clientId),
      clientId,
      inWords: this.inWords,
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
        notFound: `No user named ${userName} exists in ${this.inWords}.`,
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
    if (!response.ok)
      throw await refusalOf(response, {
        inWords: this.inWords,
        grantee: this.grantee,
        notFound: `${this.endpoints.issuer} has no OpenID discovery document.`,
      });
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
    return this.tokenSource.grantee;
  }

  /** Forgets the cached tokens, e.g. after the admin secret changed. */
  forgetToken(): void {
    this.tokens.forget();
    this.tokenSource.forget?.();
  }

  private partition(): string {
    return encodeURIComponent(this.connection.partitionGlobalId);
  }

  private appPath(clientId: string): string {
    return `/ExternalClient/${this.partition()}/${encodeURIComponent(clientId)}`;
  }

  private appNotFound(clientId: string): string {
    return `No application with App ID ${clientId} exists in ${this.inWords}.`;
  }

  /**
   * One management API call: bearer token, 429 back-off, and a single retry with a fresh token after a 401.
   * A change the organisation cannot be reached for is refused in words that say so: nothing was sent.
   */
  private async api(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    messages: { notFound?: string; need?: ScopeNeed; signal?: AbortSignal; stopWaiting?: AbortSignal } = {},
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
    messages: { notFound?: string; need?: ScopeNeed; stopWaiting?: AbortSignal } = {},
  ): Promise<string> {
    const response = await this.respond(method, path, body, messages);
    try {
      return await response.text();
    } catch (error) {
      throw failed(this.transport, error);
    }
  }

  /** The successful answer of a management API call, its body not read yet; see `api`. */
  private async respond(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    messages: { notFound?: string; need?: ScopeNeed; signal?: AbortSignal; stopWaiting?: AbortSignal } = {},
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
          messages.stopWaiting,
        );
        if (response.status === 401 && !renewed) {
          // The token may have outlived the server's keys (a restarted or reset organisation): get a new one once.
          this.forgetToken();
          continue;
        }
        if (response.ok) return response;
        throw await refusalOf(response, { inWords: this.inWords, grantee: this.grantee, ...messages });
      }
    } catch (error) {
      // Still an Unreachable: whether the change took effect depends on why (see outcomeUnknown).
      if (method !== 'GET' && error instanceof Unreachable)
        throw new Unreachable(error.why, `${this.inWords} cannot be reached: ${error.why}; changes need a connection.`);
      throw error;
    }
  }

  private accessToken(scopes: readonly string[] = ADMIN_APP_SCOPES): Promise<string> {
    // The source's requests go through send too: the same timeout, 429 waits and reachability.
    return this.tokens.get(scopes, this.tokenSource, (input, init) =>
      this.send(input instanceof Request ? input.url : String(input), init ?? {}, init?.signal ?? undefined),
    );
  }

  /** fetch with a timeout, network errors as organisation_unreachable, and 429 answered by waiting and retrying. */
  private send(url: string, init: RequestInit, signal?: AbortSignal, stopWaiting?: AbortSignal): Promise<Response> {
    return send(this.transport, url, init, signal, stopWaiting);
  }
}
