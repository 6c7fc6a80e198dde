// Builds the services of one workspace and wires them to each other.
import type { Keychain } from '../keychain/keychain';
import type { Workspace } from '../workspace/workspace';
import { activityService } from './activity';
import { catalogueService } from './catalogue';
import type { Services } from './handlers';
import { handoffService } from './handoff';
import { pendingSecretStore } from './pendingSecrets';
import { registrationService } from './registrations';
import { secretKeeping as createSecretKeeping } from './secretKeeping';
import { tenantService } from './tenants';

export interface ServiceDeps {
  workspace: Workspace;
  keychain: Keychain;
  keychainService: string;
  fetch?: typeof fetch;
}

export function createServices(deps: ServiceDeps): Services & { pending: ReturnType<typeof pendingSecretStore> } {
  const { workspace, keychain, keychainService } = deps;
  const activity = activityService(workspace.activity);
  const pending = pendingSecretStore();
  const secretKeeping = createSecretKeeping({ keychain, keychainService, secrets: workspace.secrets, pending, activity });
  const tenants = tenantService({ workspace, keychain, secretKeeping, activity, fetch: deps.fetch });
  const catalogue = catalogueService({ workspace, tenants });
  const registrations = registrationService({ workspace, tenants, catalogue, secretKeeping, activity });
  const handoff = handoffService({ workspace, tenants, registrations });
  return { tenants, catalogue, registrations, secretKeeping, handoff, activity, pending };
}

export { createHandlers, type Services } from './handlers';
export { LOCAL_TENANT_ID, type LocalServer } from './tenants';
