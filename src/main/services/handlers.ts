// The services behind each operation of the contract: one line per operation, no logic of its own.
import type { Handlers } from '../dispatch';
import type { ActivityService } from './activity';
import type { CatalogueService } from './catalogue';
import type { HandoffService } from './handoff';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { TenantService } from './tenants';

export interface Services {
  tenants: TenantService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  handoff: HandoffService;
  activity: ActivityService;
}

export function createHandlers(s: Services): Handlers {
  return {
    listTenants: async () => s.tenants.list(),
    showTenant: async ({ tenant }) => s.tenants.show(tenant),
    listCatalogue: ({ tenant, refresh }) => s.catalogue.list(tenant, refresh),
    listApps: ({ tenant, refresh, limit }) => s.registrations.list(tenant, refresh, limit),
    getApp: ({ tenant, clientId }) => s.registrations.get(tenant, clientId),
    createApp: (input) => s.registrations.create(input),
    retrySecretStore: ({ pendingId }) => s.secretKeeping.retry(pendingId),
    dismissPendingSecret: async ({ pendingId }) => s.secretKeeping.dismiss(pendingId),
    handoffApp: ({ tenant, clientId, format }) => s.handoff.handoff(tenant, clientId, format),
    listActivity: async ({ limit }) => s.activity.list(limit),
  };
}
