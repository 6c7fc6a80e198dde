// An application's federated credentials (secretless applications): listed, added, replaced and deleted on the
// organisation through its client, the shared rules checked here first (bad input changes nothing), each change
// recorded in Activity; and "why was my token refused?" (federatedCheck.ts), judged in main against the credentials.
import type { federatedCredentialOperations, FederatedCredential, InputOf } from '../../shared/contract';
import { AppError, type Issue } from '../../shared/errors';
import { federatedCredentialErrors, type FederatedCredentialFields } from '../../shared/federated';
import { isLoopbackHost } from '../../shared/rules';
import type { HandlersOf } from '../dispatch';
import type { OrganisationRecord } from '../workspace/organisations';
import { writeIfPossible } from '../workspace/unwritable';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import { refuseAdminApp } from './adminApp';
import { checkFederatedToken } from './federatedCheck';
import type { Services } from './index';
import type { OrganisationService } from './organisations';

export interface FederatedCredentialServiceDeps {
  organisations: OrganisationService;
  activity: ActivityService;
  workspace: Workspace;
}

type Fields = Pick<InputOf<'createFederatedCredential'>, keyof FederatedCredentialFields>;

/**
 * Only an embedded Identity Server (the local organisation, or one on a loopback address, as a second one playing a
 * remote organisation) trusts an http issuer on a loopback address; UiPath's organisations are https.
 */
export function trustsLoopbackIssuers(organisation: OrganisationRecord): boolean {
  if (organisation.isLocal) return true;
  const url = URL.parse(organisation.baseUrl);
  return url?.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** The fields as the organisation receives them: a blank description is none. */
export function credentialFieldsOf(input: Fields): FederatedCredentialFields {
  const description = input.description?.trim() ? input.description : null;
  return { name: input.name, description, issuer: input.issuer, audience: input.audience, subject: input.subject };
}

/** Refuses what the shared rules refuse, each issue on the field it names; warnings pass. */
export function refuseBadCredential(
  organisation: OrganisationRecord,
  fields: FederatedCredentialFields,
  others: readonly FederatedCredentialFields[],
): void {
  const errors = federatedCredentialErrors(fields, {
    others,
    allowLoopbackHttpIssuers: trustsLoopbackIssuers(organisation),
  });
  if (errors.length > 0) throw AppError.invalid(errors.map((e): Issue => ({ field: e.field, message: e.message })));
}

const quoted = (credential: { name: string }) => `“${credential.name}”`;
const described = (c: FederatedCredentialFields) =>
  `issuer ${c.issuer}, audience ${c.audience}, subject ${c.subject}${c.description ? `, description “${c.description}”` : ''}`;

/** What an update changed, field by field ("subject a → b"), for its Activity entry. */
function changesOf(before: FederatedCredentialFields, after: FederatedCredentialFields): string[] {
  const fields = ['name', 'description', 'issuer', 'audience', 'subject'] as const;
  return fields
    .filter((field) => (before[field] ?? '') !== (after[field] ?? ''))
    .map((field) => `${field} ${before[field] ?? '(none)'} → ${after[field] ?? '(none)'}`);
}

const missing = (clientId: string, id: string) =>
  new AppError('not_found', `Application ${clientId} has no federated credential ${id}.`, [
    { field: 'id', message: `Application ${clientId} has no federated credential ${id}.` },
  ]);

/** The cached application learns its count (the list's Secretless mark); a workspace that cannot take it stays as it was. */
function keepCount(workspace: Workspace, organisationId: string, clientId: string, count: number): void {
  writeIfPossible(() => workspace.registrations.setFederatedCredentialCount(organisationId, clientId, count));
}

export function federatedCredentialService(deps: FederatedCredentialServiceDeps) {
  const { organisations, activity, workspace } = deps;
  const api = (organisationId: string, clientId: string) =>
    organisations.client(organisationId).federatedCredentials(clientId);
  const counted = keepCount.bind(null, workspace);
  const changeable = (organisationId: string, clientId: string, refusal: string) => {
    const organisation = organisations.get(organisationId);
    refuseAdminApp(organisation, clientId, refusal);
    return organisation;
  };

  return {
    async list(organisationId: string, clientId: string): Promise<FederatedCredential[]> {
      const credentials = await api(organisationId, clientId).list();
      counted(organisationId, clientId, credentials.length);
      return credentials;
    },

    async create(input: InputOf<'createFederatedCredential'>): Promise<FederatedCredential> {
      const { organisation: organisationId, clientId } = input;
      const organisation = changeable(organisationId, clientId, 'no federated credential is added to it');
      const fields = credentialFieldsOf(input);
      const credentials = api(organisationId, clientId);
      const before = await credentials.list();
      refuseBadCredential(organisation, fields, before);
      const created = await credentials.create(fields);
      counted(organisationId, clientId, before.length + 1);
      activity.record({
        ...{ organisation: organisationId, action: 'federated.create', target: clientId },
        headline: `Added federated credential ${quoted(created)}`,
        detail: `Added federated credential ${quoted(created)} (${created.id}): ${described(created)}. A token from that issuer with that subject and audience now gets a token for this application without a secret.`,
      });
      return created;
    },

    async update(input: InputOf<'updateFederatedCredential'>): Promise<FederatedCredential> {
      const { organisation: organisationId, clientId, id } = input;
      const organisation = changeable(organisationId, clientId, 'its federated credentials are not changed');
      const fields = credentialFieldsOf(input);
      const credentials = api(organisationId, clientId);
      const all = await credentials.list();
      const before = all.find((c) => c.id === id);
      if (!before) throw missing(clientId, id);
      refuseBadCredential(
        organisation,
        fields,
        all.filter((c) => c.id !== id),
      );
      const updated = await credentials.update(id, fields);
      const changes = changesOf(before, updated);
      activity.record({
        ...{ organisation: organisationId, action: 'federated.update', target: clientId },
        headline: `Changed federated credential ${quoted(updated)}${changes.length === 0 ? ' (nothing differs)' : ''}`,
        detail: `Federated credential ${updated.id}: ${changes.length > 0 ? changes.join('; ') : 'saved as it was'}.`,
      });
      return updated;
    },

    async delete(organisationId: string, clientId: string, id: string): Promise<{ deleted: true }> {
      changeable(organisationId, clientId, 'its federated credentials are not deleted');
      const credentials = api(organisationId, clientId);
      const all = await credentials.list();
      const before = all.find((c) => c.id === id);
      if (!before) throw missing(clientId, id);
      await credentials.delete(id);
      counted(organisationId, clientId, all.length - 1);
      activity.record({
        ...{ organisation: organisationId, action: 'federated.delete', target: clientId },
        headline: `Deleted federated credential ${quoted(before)}`,
        detail: `Deleted federated credential ${quoted(before)} (${id}): ${described(before)}. New tokens for it are refused; tokens already issued live out their hour.`,
      });
      return { deleted: true };
    },

    /** The pasted JWT judged against the application's credentials as the organisation has them now. */
    async check(organisationId: string, clientId: string, jwt: string) {
      return checkFederatedToken(jwt, await api(organisationId, clientId).list());
    },
  };
}
export type FederatedCredentialService = ReturnType<typeof federatedCredentialService>;

/** The handlers of src/shared/contract/federatedCredentials.ts: one line each onto the service. */
export function federatedCredentialHandlers(s: Services): HandlersOf<typeof federatedCredentialOperations> {
  return {
    listFederatedCredentials: ({ organisation, clientId }) => s.federatedCredentials.list(organisation, clientId),
    createFederatedCredential: (input) => s.federatedCredentials.create(input),
    updateFederatedCredential: (input) => s.federatedCredentials.update(input),
    deleteFederatedCredential: ({ organisation, clientId, id }) =>
      s.federatedCredentials.delete(organisation, clientId, id),
    checkFederatedToken: ({ organisation, clientId, jwt }) => s.federatedCredentials.check(organisation, clientId, jwt),
  };
}
