// What the services that write scopes into many registrations at once stand on (a scope set's bulk apply, an import).
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import type { CatalogueService } from './catalogue';
import type { RegistrationService } from './registrations';
import type { ScopeSetService } from './scopeSets';
import type { OrganisationService } from './organisations';

export interface ScopeWorkDeps {
  workspace: Workspace;
  organisations: OrganisationService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  scopeSets: ScopeSetService;
  activity: ActivityService;
}
