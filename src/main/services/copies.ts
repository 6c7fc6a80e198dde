// The copies service: an application registered again in another organisation — its type, scopes by type and redirect
// URL — once the target's catalogue grants every scope; the copy gets its own new secret, never the original's.
import { scopesOf } from '../../shared/changes';
import type { InputOf, OutputOf } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Catalogue, CatalogueScopeType, ScopeRequest } from '../../shared/model';
import { checkRegistration, checkScopes, normalizeDraft, scopeTypeAllows } from '../../shared/rules';
import type { ActivityService } from './activity';
import { refuseAdminApp } from './adminApp';
import type { CatalogueService } from './catalogue';
import type { RegistrationService } from './registrations';
import type { OrganisationService } from './organisations';
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
      const targetCatalogue = await catalogue.list(target.id, false);
      const missingScopes = scopesMissingFrom(scopes, targetCatalogue);
      if (input.dryRun) {
        // The copy as the target would register it, judged by the registration rules against its catalogue.
        const draft = normalizeDraft({
          name: app.name,
          isConfidential: app.isConfidential,
          redirectUri: app.redirectUri,
          scopes,
        });
        const refusals = checkRegistration(draft, targetCatalogue).errors.map((issue) => issue.message);
        return { missingScopes, app: null, secret: null, plan: planOf(target, [createEntry(draft, { refusals })]) };
      }
      if (missingScopes.length > 0)
        // The shared rule's own words for each scope, so the message reads as it would when registering there.
        throw AppError.invalid(
          checkScopes(missingScopes, targetCatalogue, app.isConfidential).errors.map((issue) => ({
            field: 'scopes',
            message: `In ${target.orgName}: ${issue.message}`,
          })),
        );

      const created = await registrations.create({
        organisation: target.id,
        name: app.name,
        isConfidential: app.isConfidential,
        redirectUri: app.redirectUri,
        scopes,
      });
      const { secret } = created;
      activity.record({
        organisation: target.id,
        action: 'app.copy',
        target: created.app.id,
        subject: created.app.name,
        headline: `Copied “${app.name}” from ${source.orgName} to ${target.orgName}`,
        detail: `Copied "${app.name}" (${app.id}) from ${source.orgName} to ${target.orgName} as ${created.app.id}${
          secret
            ? `; a new secret ${secret.id} ${secret.stored ? `in the keychain as ${secret.keychain.service} / ${secret.keychain.account}` : 'held in memory: the keychain refused it'}`
            : ''
        }; secrets are never copied.`,
      });
      return { missingScopes, app: created.app, secret, plan: null };
    },
  };
}
export type CopyService = ReturnType<typeof copyService>;
