// The FederatedCredentials API of an external application, in UiPath's shape (docs.uipath.com, "External client —
// Federated credentials"): list, create, get, replace and delete, with UiPath's limits and refusals.
import type Router from '@koa/router';
import { z } from 'zod';
import { federatedCredentialErrors, type FederatedCredentialFields, type FederatedIssue } from '../../shared/federated';
import type { ClientRecord } from '../store/clients';
import type { FederatedCredentialStore, StoredFederatedCredential } from '../store/federatedCredentials';
import { IssuerUnreachable, type IssuerKeys } from '../oauth/federatedIssuers';
import type { ScopeGuard } from './bearer';
import { readJsonBody } from './jsonBody';
import { ApiProblem } from './problem';
import { parseBody } from './requestBodies';

export interface FederatedApiSettings {
  credentials: FederatedCredentialStore;
  issuerKeys: IssuerKeys;
  allowLoopbackHttpIssuers: boolean;
  guard: ScopeGuard;
  /** The application, or a 404 when the named partition holds none of that id. */
  clientOf: (partitionId: string, clientId: string) => ClientRecord;
}

const READ = ['PM.OAuthApp', 'PM.OAuthApp.Read'];
const WRITE = ['PM.OAuthApp', 'PM.OAuthApp.Write'];

const text = (label: string) => z.string({ error: `${label} is required.` });
const CredentialBody = z.object({
  name: text('Name'),
  description: z.string({ error: 'Description must be text.' }).nullish(),
  issuer: text('Issuer'),
  audience: text('Audience'),
  subject: text('Subject'),
});

/** FederatedCredentialDto. */
function toDto(credential: StoredFederatedCredential) {
  const { id, clientId, name, description, issuer, audience, subject } = credential;
  return { id, clientId, name, description, issuer, audience, subject };
}

function param(params: Record<string, string | undefined>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`The route has no parameter ${name}.`);
  return value;
}

function asFields(body: z.infer<typeof CredentialBody>): FederatedCredentialFields {
  const description = body.description?.trim() ?? '';
  return {
    name: body.name.trim(),
    description: description === '' ? null : description,
    issuer: body.issuer,
    audience: body.audience.trim(),
    subject: body.subject,
  };
}

/** The body's fields once the shared rules and the issuer's reachability accept them; else a 400 naming the field. */
async function checkedFields(
  settings: FederatedApiSettings,
  client: ClientRecord,
  body: unknown,
  replacing: string | null,
): Promise<FederatedCredentialFields> {
  if (!client.isConfidential)
    throw ApiProblem.invalid([
      { field: 'clientId', message: 'Only a confidential application has federated credentials.' },
    ]);
  const fields = asFields(parseBody(CredentialBody, body));
  const others = settings.credentials.list(client.id).filter((c) => c.id !== replacing);
  const errors: FederatedIssue[] = federatedCredentialErrors(fields, {
    others,
    allowLoopbackHttpIssuers: settings.allowLoopbackHttpIssuers,
  });
  if (errors.length > 0) throw ApiProblem.invalid(errors);
  try {
    await settings.issuerKeys.checkReachable(fields.issuer);
  } catch (error) {
    if (!(error instanceof IssuerUnreachable)) throw error;
    throw ApiProblem.invalid([{ field: 'issuer', message: `The issuer's JWKS cannot be reached: ${error.message}` }]);
  }
  return fields;
}

export function federatedCredentialRoutes(router: Router, settings: FederatedApiSettings): void {
  const { guard, credentials } = settings;
  const base = '/ExternalClient/:partitionGlobalId/:clientId/FederatedCredentials';
  const clientOf = (params: Record<string, string | undefined>) =>
    settings.clientOf(param(params, 'partitionGlobalId'), param(params, 'clientId'));
  const credentialOf = (client: ClientRecord, id: string) => {
    const found = credentials.get(client.id, id);
    if (!found) throw ApiProblem.notFound(`Federated credential ${id}`);
    return found;
  };

  router.get(base, guard(...READ), (ctx) => {
    ctx.body = credentials.list(clientOf(ctx.params).id).map(toDto);
  });

  router.post(base, guard(...WRITE), async (ctx) => {
    const client = clientOf(ctx.params);
    const fields = await checkedFields(settings, client, await readJsonBody(ctx), null);
    ctx.status = 201;
    ctx.body = toDto(credentials.create(client.id, fields));
  });

  router.get(`${base}/:id`, guard(...READ), (ctx) => {
    ctx.body = toDto(credentialOf(clientOf(ctx.params), param(ctx.params, 'id')));
  });

  router.put(`${base}/:id`, guard(...WRITE), async (ctx) => {
    const client = clientOf(ctx.params);
    const existing = credentialOf(client, param(ctx.params, 'id'));
    const fields = await checkedFields(settings, client, await readJsonBody(ctx), existing.id);
    const replaced = credentials.replace(client.id, existing.id, fields);
    if (!replaced) throw ApiProblem.notFound(`Federated credential ${existing.id}`);
    ctx.body = toDto(replaced);
  });

  router.delete(`${base}/:id`, guard(...WRITE), (ctx) => {
    const client = clientOf(ctx.params);
    if (!credentials.delete(client.id, credentialOf(client, param(ctx.params, 'id')).id))
      throw ApiProblem.notFound(`Federated credential ${param(ctx.params, 'id')}`);
    ctx.status = 204;
  });
}
