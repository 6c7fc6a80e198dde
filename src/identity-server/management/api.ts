// The ExternalClient management API of UiPath's documented shape as a Koa app: rate limit, bearer scopes, validated bodies.
import { Readable } from 'node:stream';
import Koa, { type Middleware } from 'koa';
import Router from '@koa/router';
import type { Catalogue } from '../../shared/model';
import { SECRET_ID_MESSAGE, canonicalSecretId } from '../../shared/secretId';
import type { RateLimiter } from '../http/rateLimit';
import type { AuthorizingClient, ClientRecord, ClientStore } from '../store/clients';
import type { OidcRecords } from '../store/oidcModels';
import { DuplicateUserName, type UserStore } from '../store/users';
import type { ScopeGuard } from './bearer';
import { externalClientMapper, secretDto } from './externalClientDto';
import { federatedCredentialRoutes, type FederatedApiSettings } from './federatedCredentials';
import { readJsonBody } from './jsonBody';
import { ApiProblem, sendProblem } from './problem';
import {
  CreateClientBody,
  CreateUserBody,
  GenerateSecretBody,
  UpdateClientBody,
  checkedDraft,
  checkedSecretRequest,
  checkedUser,
  parseBody,
} from './requestBodies';

interface ManagementSettings {
  partitionGlobalId: string;
  catalogue: Catalogue;
  clients: ClientStore;
  /** The local organisation's users, who sign in on the server's page. */
  users: UserStore;
  /** oidc-provider's records: a deleted application's or user's grants and tokens go with it. */
  oidcRecords: OidcRecords;
  rateLimiter: RateLimiter;
  guard: ScopeGuard;
  /** Refuses metadata oidc-provider would not accept, so that no client is stored that could never get a token. */
  checkClientMetadata: (client: AuthorizingClient) => Promise<string | null>;
  /** The applications' federated credentials (store, issuer keys, whether a loopback http issuer is trusted). */
  federated?: Omit<FederatedApiSettings, 'guard' | 'clientOf'>;
}

const READ = ['PM.OAuthApp', 'PM.OAuthApp.Read'];
const WRITE = ['PM.OAuthApp', 'PM.OAuthApp.Write'];
const SECRET_WRITE = ['PM.OAuthApp', 'PM.OAuthApp.Write', 'PM.OAuthAppSecret.Write'];
const ANY = ['PM.OAuthApp', 'PM.OAuthApp.Read', 'PM.OAuthApp.Write', 'PM.OAuthAppSecret.Write'];
const USER_READ = ['PM.User', 'PM.User.Read'];
const USER_WRITE = ['PM.User', 'PM.User.Write'];

/** A parameter the route's path names: there whenever the route matched. */
function routeParam(params: Record<string, string | undefined>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`The route has no parameter ${name}.`);
  return value;
}

export function createManagementApi(settings: ManagementSettings): Koa {
  const router = new Router();
  const lookup = partitionLookup(settings);
  // Registered in this order so that an Allow header lists the methods as it always has.
  applicationRoutes(router, settings, lookup);
  secretRoutes(router, settings, lookup);
  if (settings.federated)
    federatedCredentialRoutes(router, { ...settings.federated, guard: settings.guard, clientOf: lookup.clientOf });
  userRoutes(router, settings);

  const app = new Koa();
  app.use(problemAnswers(settings.rateLimiter));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

interface PartitionLookup {
  /** The partition's id as stored, or a 404 when the caller named another. */
  partitionOf: (id: string) => string;
  /** The application, or a 404 when the named partition holds none of that id. */
  clientOf: (partitionId: string, clientId: string) => ClientRecord;
}

function partitionLookup(settings: ManagementSettings): PartitionLookup {
  const partitionOf = (id: string): string => {
    if (id.toLowerCase() !== settings.partitionGlobalId.toLowerCase()) throw ApiProblem.notFound(`Partition ${id}`);
    return settings.partitionGlobalId;
  };
  const clientOf = (partitionId: string, clientId: string): ClientRecord => {
    const partition = partitionOf(partitionId);
    const client = settings.clients.get(clientId);
    if (client?.partitionGlobalId !== partition) throw ApiProblem.notFound(`External application ${clientId}`);
    return client;
  };
  return { partitionOf, clientOf };
}

/** One JSON array, as text a page of items at a time. */
function* jsonArrayText<T>(pages: Iterable<T[]>, toJson: (item: T) => unknown): Generator<string, void, undefined> {
  let opened = false;
  for (const page of pages) {
    if (page.length === 0) continue;
    const items = JSON.stringify(page.map(toJson));
    // Each page's array without its brackets, joined to the last by a comma.
    yield `${opened ? ',' : '['}${items.slice(1, -1)}`;
    opened = true;
  }
  yield opened ? ']' : '[]';
}

/** The catalogue, and the applications: list, read, register, update, delete. */
function applicationRoutes(router: Router, settings: ManagementSettings, lookup: PartitionLookup): void {
  const { clients, catalogue, guard } = settings;
  const { partitionOf, clientOf } = lookup;
  const toDto = externalClientMapper(catalogue);
  const acceptedByProvider = async (client: AuthorizingClient): Promise<void> => {
    const refusal = await settings.checkClientMetadata(client);
    if (refusal) throw ApiProblem.invalid([{ field: 'redirectUri', message: refusal }]);
  };

  router.get('/ExternalApiResource', guard(...ANY), (ctx) => {
    ctx.body = catalogue;
  });

  router.get('/ExternalClient/:partitionGlobalId', guard(...READ), (ctx) => {
    const pages = clients.pagesOfPartition(partitionOf(routeParam(ctx.params, 'partitionGlobalId')));
    // Written as it is read, a page at a time: the answer of 10 000 applications is never held whole.
    ctx.type = 'application/json';
    ctx.body = Readable.from(jsonArrayText(pages, toDto), { objectMode: false });
  });

  router.get('/ExternalClient/:partitionGlobalId/:clientId', guard(...READ), (ctx) => {
    ctx.body = toDto(clientOf(routeParam(ctx.params, 'partitionGlobalId'), routeParam(ctx.params, 'clientId')));
  });

  router.post('/ExternalClient', guard(...WRITE), async (ctx) => {
    const body = parseBody(CreateClientBody, await readJsonBody(ctx));
    const partition = partitionOf(body.partitionGlobalId);
    const draft = checkedDraft(body, catalogue);
    await acceptedByProvider({ id: 'new-client', partitionGlobalId: partition, ...draft });
    const created = clients.create(
      partition,
      draft,
      draft.isConfidential ? { description: null, expiryTime: null } : null,
    );
    ctx.status = 201;
    ctx.body = { ...toDto(created.client), ...(created.secret ? { secret: created.secret.value } : {}) };
  });

  router.put('/ExternalClient/:partitionGlobalId/:clientId', guard(...WRITE), async (ctx) => {
    const body = parseBody(UpdateClientBody, await readJsonBody(ctx));
    const client = clientOf(routeParam(ctx.params, 'partitionGlobalId'), routeParam(ctx.params, 'clientId'));
    if (body.isConfidential !== undefined && body.isConfidential !== client.isConfidential)
      throw ApiProblem.invalid([
        { field: 'isConfidential', message: 'The Application Type cannot be changed after registration.' },
      ]);
    const draft = checkedDraft({ ...body, isConfidential: client.isConfidential }, catalogue);
    await acceptedByProvider({ id: client.id, partitionGlobalId: client.partitionGlobalId, ...draft });
    const updated = clients.update(client.id, draft);
    if (!updated) throw new Error(`External application ${client.id} is missing right after it was found.`);
    // UiPath answers 200 with no body: a client reads the application again if it needs it.
    ctx.status = 200;
    ctx.body = '';
    ctx.remove('Content-Type');
  });

  router.delete('/ExternalClient/:partitionGlobalId/:clientId', guard(...WRITE), (ctx) => {
    const client = clientOf(routeParam(ctx.params, 'partitionGlobalId'), routeParam(ctx.params, 'clientId'));
    clients.delete(client.id);
    settings.oidcRecords.forgetClient(client.id);
    ctx.status = 204;
  });
}

/** An application's secrets: a new one (its value in this answer only), or one deleted. */
function secretRoutes(router: Router, settings: ManagementSettings, lookup: PartitionLookup): void {
  const { clients, guard } = settings;
  const { partitionOf, clientOf } = lookup;

  router.post('/ExternalClient/GenerateSecret', guard(...SECRET_WRITE), async (ctx) => {
    const body = parseBody(GenerateSecretBody, await readJsonBody(ctx));
    const client = clientOf(body.partitionGlobalId, body.clientId);
    if (!client.isConfidential)
      throw ApiProblem.invalid([{ field: 'clientId', message: 'A non-confidential application has no secrets.' }]);
    const issued = clients.addSecret(client.id, checkedSecretRequest(body));
    ctx.status = 200;
    ctx.body = { ...secretDto(issued.record), secret: issued.value };
  });

  router.delete('/ExternalClient/:partitionGlobalId/secrets/:secretId', guard(...SECRET_WRITE), (ctx) => {
    const partition = partitionOf(routeParam(ctx.params, 'partitionGlobalId'));
    const secretId = canonicalSecretId(routeParam(ctx.params, 'secretId'));
    if (secretId === null) throw ApiProblem.invalid([{ field: 'secretId', message: SECRET_ID_MESSAGE }]);
    if (clients.secretOwner(secretId)?.partitionGlobalId !== partition) throw ApiProblem.notFound(`Secret ${secretId}`);
    clients.deleteSecret(secretId);
    ctx.status = 204;
  });
}

/** The local organisation's users; deleting one signs it out everywhere. */
function userRoutes(router: Router, settings: ManagementSettings): void {
  const { users, guard } = settings;

  router.get('/User', guard(...USER_READ), (ctx) => {
    ctx.body = users.list();
  });

  router.post('/User', guard(...USER_WRITE), async (ctx) => {
    const user = checkedUser(parseBody(CreateUserBody, await readJsonBody(ctx)));
    try {
      ctx.body = await users.create(user);
    } catch (error) {
      if (!(error instanceof DuplicateUserName)) throw error;
      throw new ApiProblem(409, `A user named ${user.userName} already exists.`, {
        userName: ['A user with this user name already exists.'],
      });
    }
    ctx.status = 201;
  });

  router.delete('/User/:userName', guard(...USER_WRITE), (ctx) => {
    const userName = routeParam(ctx.params, 'userName');
    const deletedId = users.delete(userName);
    if (deletedId === null) throw ApiProblem.notFound(`User ${userName}`);
    settings.oidcRecords.forgetAccount(deletedId);
    ctx.status = 204;
  });
}

/** Counts each request against the rate limit, and answers every refusal and failure in the problem shape. */
function problemAnswers(rateLimiter: RateLimiter): Middleware {
  return async (ctx, next) => {
    try {
      const decision = rateLimiter.take(ctx.method);
      if (!decision.allowed) {
        throw new ApiProblem(
          429,
          `Too many ${decision.methodClass.toUpperCase()} requests: the organisation's limit is ${decision.limit} per window. Retry after ${decision.retryAfterSeconds} seconds.`,
          undefined,
          { 'Retry-After': String(decision.retryAfterSeconds) },
        );
      }
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiProblem(404, 'No such API operation.');
      // The router's own 405 answers in plain text; its Allow header stays, the body becomes a problem like the rest.
      if (ctx.status === 405)
        throw new ApiProblem(405, `This API operation does not take ${ctx.method}; see the Allow header.`);
    } catch (error) {
      if (error instanceof ApiProblem) {
        sendProblem(ctx, error);
        return;
      }
      ctx.app.emit('error', error, ctx);
      sendProblem(ctx, new ApiProblem(500, 'The server failed to handle the request.'));
    }
  };
}
