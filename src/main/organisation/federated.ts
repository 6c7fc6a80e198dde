// An application's federated credentials as the organisation's API answers them (FederatedCredentialDto, every field
// nullable as the description allows), read into the app's shape; and the calls, on the client's management door.
import { z } from 'zod';
import type { FederatedCredentialFields } from '../../shared/federated';
import { parseAnswer } from './answers';
import { SCOPE_NEEDS, type ScopeNeed } from './scopes';

/** FederatedCredentialDto as schemas/uipath-external-applications.openapi.yaml describes it. */
export const FederatedCredentialDto = z.object({
  id: z.string().min(1),
  clientId: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  issuer: z.string().nullish(),
  audience: z.string().nullish(),
  subject: z.string().nullish(),
});

/** A federated credential as OAuth Desk shows it: absent text is empty, never undefined. */
export interface FederatedCredential extends FederatedCredentialFields {
  id: string;
  clientId: string;
}

function credentialOf(dto: z.infer<typeof FederatedCredentialDto>, clientId: string): FederatedCredential {
  return {
    id: dto.id,
    clientId: dto.clientId ?? clientId,
    name: dto.name ?? '',
    description: dto.description ?? null,
    issuer: dto.issuer ?? '',
    audience: dto.audience ?? '',
    subject: dto.subject ?? '',
  };
}

/** The client's management call: bearer token, back-off and refusals as sentences (OrganisationClient.api). */
export type ManagementCall = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  messages?: { notFound?: string; need?: ScopeNeed },
) => Promise<unknown>;

export interface FederatedCredentialsApi {
  list(): Promise<FederatedCredential[]>;
  create(fields: FederatedCredentialFields): Promise<FederatedCredential>;
  /** A full replace; the credential is read back when the answer carries none. */
  update(id: string, fields: FederatedCredentialFields): Promise<FederatedCredential>;
  delete(id: string): Promise<void>;
}

/** The FederatedCredentials calls of one application, under `appPath` (/ExternalClient/{partition}/{clientId}). */
export function federatedCredentialsApi(
  call: ManagementCall,
  place: { appPath: string; clientId: string; inWords: string },
): FederatedCredentialsApi {
  const base = `${place.appPath}/FederatedCredentials`;
  const appMissing = `No application with App ID ${place.clientId} exists in ${place.inWords}.`;
  const credentialMissing = (id: string) =>
    `No federated credential ${id} exists on the application ${place.clientId}.`;
  const one = (body: unknown, what: string) =>
    credentialOf(parseAnswer(FederatedCredentialDto, body, what), place.clientId);
  const body = (fields: FederatedCredentialFields) => ({ ...fields });
  const read = { notFound: appMissing, need: SCOPE_NEEDS.readApps };
  const change = { need: SCOPE_NEEDS.changeApps };

  return {
    async list() {
      const answer = await call('GET', base, undefined, read);
      return parseAnswer(z.array(FederatedCredentialDto), answer, 'the federated credentials').map((dto) =>
        credentialOf(dto, place.clientId),
      );
    },
    async create(fields) {
      const answer = await call('POST', base, body(fields), { ...change, notFound: appMissing });
      return one(answer, 'the new federated credential');
    },
    async update(id, fields) {
      const path = `${base}/${encodeURIComponent(id)}`;
      const answer = await call('PUT', path, body(fields), { ...change, notFound: credentialMissing(id) });
      if (answer !== null && answer !== undefined && answer !== '') return one(answer, 'the federated credential');
      return one(
        await call('GET', path, undefined, { ...read, notFound: credentialMissing(id) }),
        'the federated credential',
      );
    },
    async delete(id) {
      await call('DELETE', `${base}/${encodeURIComponent(id)}`, undefined, {
        ...change,
        notFound: credentialMissing(id),
      });
    },
  };
}
