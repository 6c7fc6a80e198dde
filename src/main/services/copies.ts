// The copies service: an application registered again in another organisation — its type, scopes by type and redirect
// URL — once the target's catalogue grants every scope; the copy gets its own new secret, never the original's.
import { organisationInWords } from '../../shared/organisationInWords';
import { scopesOf } from '../../shared/changes';
import type { InputOf, OutputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Catalogue, CatalogueScopeType, ExternalClient, NewSecret, ScopeRequest } from '../../shared/model';
import type { OrganisationRecord } from '../workspace/organisations';
import { checkRegistration, checkScopes, normalizeDraft, scopeTypeAllows } from '../../shared/rules';
import type { ActivityService } from './activity';
import { refuseAdminApp } from './adminApp';
import type { CatalogueService } from './catalogue';
import type { RegistrationService } from './registrations';
import type { OrganisationService } from './organisations';
import { carryCredentials, carryRefusals, credentialsOf, fieldsOf } from './federatedCarry';
import { createEntry, planOf } from './plans';

export interface CopyServiceDeps {
  organisations: OrganisationService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  activity: ActivityService;
}

/** The scopes `catalogue` lacks, or does not allow as the type they are granted as, in the order given. */
export function scopesMissingFrom(scopes: readonly ScopeRequest[], catalogue: Catalogue): ScopeRequest[] {
  const allowed = new Map<string, CatalogueScopeType>();
  for (const resource of catalogue) for (const scope of resource.scopes) allowed.set(scope.name, scope.type);
  return scopes.filter((scope) => {
    const type = allowed.get(scope.name);
    return type === undefined || !scopeTypeAllows(type, scope.type);
  });
}

/** The copy as the target would register it, judged by the registration rules against its catalogue. */
function dryRunPlan(
  target: OrganisationRecord,
  app: ExternalClient,
  targetCatalogue: Catalogue,
  credentialRefusals: readonly string[],
) {
  const { name, isConfidential, redirectUri } = app;
  const draft = normalizeDraft({ name, isConfidential, redirectUri, scopes: scopesOf(app) });
  const refusals = [
    ...checkRegistration(draft, targetCatalogue).errors.map((issue) => issue.message),
    ...credentialRefusals,
  ];
  return planOf(target, [createEntry(draft, { refusals })]);
}

/** A copy whose federated credentials the target refuses is refused before anything is created. */
function refuseCarried(target: OrganisationRecord, refusals: readonly string[]): void {
  if (refusals.length > 0)
    throw AppError.invalid(
      refusals.map((message) => ({ field: 'to', message: `In ${organisationInWords(target)}: ${message}` })),
    );
}

/** The copy's Activity entry, in the target: the new App ID, its new secret, the federated credentials it carried. */
function recordCopy(
  activity: ActivityService,
  copy: {
    source: OrganisationRecord;
    target: OrganisationRecord;
    app: ExternalClient;
    created: ExternalClient;
    secret: NewSecret | null;
    carried: readonly unknown[];
  },
): void {
  const { source, target, app, secret, carried } = copy;
  activity.record({
    organisation: target.id,
    action: 'app.copy',
    target: copy.created.id,
    subject: copy.created.name,
    headline: `Copied “${app.name}” from ${source.displayName} to ${target.displayName}`,
    detail: `Copied "${app.name}" (${app.id}) from ${source.displayName} to ${target.displayName} as ${copy.created.id}${
      secret
        ? `; a new secret ${secret.id} ${secret.stored ? `in the keychain as ${secret.keychain.service} / ${secret.keychain.account}` : 'held in memory: the keychain refused it'}`
        : ''
    }${carried.length > 0 ? `; ${carried.length} federated credential${carried.length === 1 ? '' : 's'} copied` : ''}; secrets are never copied.`,
  });
}

export function copyService(deps: CopyServiceDeps) {
  const { organisations, catalogue, registrations, activity } = deps;

  /** The target organisation; an unknown one is named on the `to` field, where the admin typed it. */
  function targetOf(organisationId: string, to: string) {
    if (to === organisationId)
      throw AppError.invalid([
        { field: 'to', message: 'Choose another organisation: the application is already registered in this one.' },
      ]);
    try {
      return organisations.get(to);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found')
        throw new AppError('not_found', `No organisation named "${to}" is known to this workspace.`, [
          { field: 'to', message: `No organisation named "${to}" is known to this workspace.` },
        ]);
      throw error;
    }
  }

  return {
    /**
     * Reads the application (from its organisation, or the cache when offline) and the target's catalogue, and lists
     * the scopes the target cannot grant. A dry run stops there; a copy with such scopes is refused before anything is
     * created. Otherwise the target registers it through the same path as createApp, so a confidential copy's new
     * secret goes straight into the keychain under the target's accounts.
     */
    async copy(input: InputOf<'copyAppToOrganisation'>): Promise<OutputOf<'copyAppToOrganisation'>> {
      const source = organisations.get(input.organisation);
      // The admin application is OAuth Desk's own key: a copy would be a second one, with a secret the page is given.
      refuseAdminApp(source, input.clientId, 'it is not copied');
      const target = targetOf(input.organisation, input.to);
      const app = await registrations.get(source.id, input.clientId);
      const scopes = scopesOf(app);
      // Federated credentials go with it (they are not secrets), judged for the target before anything is created.
      const credentials = (await credentialsOf(organisations, source.id, app)).map(fieldsOf);
      const credentialRefusals = carryRefusals(target, credentials);
      const targetCatalogue = await catalogue.list(target.id, false);
      const missingScopes = scopesMissingFrom(scopes, targetCatalogue);
      if (input.dryRun)
        return {
          missingScopes,
          app: null,
          secret: null,
          plan: dryRunPlan(target, app, targetCatalogue, credentialRefusals),
        };
      if (missingScopes.length > 0)
        // The shared rule's own words for each scope, so the message reads as it would when registering there.
        throw AppError.invalid(
          checkScopes(missingScopes, targetCatalogue, app.isConfidential).errors.map((issue) => ({
            field: 'scopes',
            message: `In ${organisationInWords(target)}: ${issue.message}`,
          })),
        );
      refuseCarried(target, credentialRefusals);

      const created = await registrations.create({
        organisation: target.id,
        name: app.name,
        isConfidential: app.isConfidential,
        redirectUri: app.redirectUri,
        scopes,
      });
      const { secret } = created;
      const carried = await carryCredentials(
        { organisations, activity },
        target,
        created.app.id,
        credentials,
        `copied with the application from ${organisationInWords(source)}`,
      );
      recordCopy(activity, { source, target, app, created: created.app, secret, carried: carried.created });
      return {
        ...{ missingScopes, app: created.app, secret, plan: null },
        ...{ federatedCredentials: carried.created, federatedCredentialsRefused: carried.refused },
      };
    },
  };
}
export type CopyService = ReturnType<typeof copyService>;
