// Builds the services of one workspace and wires them to each other.
import { secretClipboard, DEFAULT_CLIPBOARD_CLEAR_SECONDS, type Clipboard } from '../clipboard/clipboard';
import type { Keychain } from '../keychain/keychain';
import type { BrowserOpener } from '../tenant/accountSignIn';
import type { Workspace } from '../workspace/workspace';
import type { RateLimits } from '../../identity-server/http/rateLimit';
import { activityService } from './activity';
import { adminSecretService } from './adminSecret';
import { bulkApplyService } from './bulkApply';
import { catalogueService } from './catalogue';
import { copyService } from './copies';
import { draftService } from './drafts';
import { expiryService } from './expiry';
import type { Services } from './handlers';
import { handoffService, type ChooseSavePath } from './handoff';
import { linkService } from './links';
import { pendingSecretStore } from './pendingSecrets';
import { registrationService } from './registrations';
import { registrationsAsCodeService } from './registrationsAsCode';
import { scopeSetService } from './scopeSets';
import { secretKeeping as createSecretKeeping } from './secretKeeping';
import { secretService } from './secrets';
import { syncService } from './sync';
import { tenantService } from './tenants';
import { userService } from './users';

export interface ServiceDeps {
  workspace: Workspace;
  keychain: Keychain;
  keychainService: string;
  fetch?: typeof fetch;
  /** Where copied secrets go (Electron's clipboard); without one, copySecret answers that it cannot copy. */
  clipboard?: Clipboard;
  clipboardClearAfterSeconds?: number;
  /** The save dialog of exports; without one, an export needs a path. */
  chooseSavePath?: ChooseSavePath;
  /** The system browser, for adding an organisation by signing in with an account. */
  openBrowser?: BrowserOpener;
  /** The rate limits the embedded server runs with, for the estimate of a scope set's apply on the local tenant. */
  localRateLimits?: Partial<RateLimits>;
}

export type AllServices = Services & {
  pending: ReturnType<typeof pendingSecretStore>;
  /** Takes every copied secret still on the clipboard off it, when the app closes. */
  closeClipboard(): Promise<void>;
};

export function createServices(deps: ServiceDeps): AllServices {
  const { workspace, keychain, keychainService } = deps;
  const activity = activityService(
    workspace.activity,
    (tenantId, clientId) => workspace.registrations.get(tenantId, clientId)?.name ?? null,
  );
  const pending = pendingSecretStore();
  const secretKeeping = createSecretKeeping({
    keychain,
    keychainService,
    secrets: workspace.secrets,
    pending,
    activity,
  });
  const tenants = tenantService({
    workspace,
    keychain,
    keychainService,
    secretKeeping,
    activity,
    fetch: deps.fetch,
    openBrowser: deps.openBrowser,
  });
  const sync = syncService({ workspace, tenants, activity });
  const catalogue = catalogueService({ workspace, tenants });
  const registrations = registrationService({ workspace, tenants, catalogue, secretKeeping, activity });
  const clipboard = deps.clipboard
    ? secretClipboard(deps.clipboard, deps.clipboardClearAfterSeconds ?? DEFAULT_CLIPBOARD_CLEAR_SECONDS)
    : undefined;
  const secrets = secretService({ workspace, tenants, registrations, secretKeeping, activity, clipboard, pending });
  const adminSecret = adminSecretService({ tenants, registrations, keychain, secretKeeping, activity });
  const links = linkService({ tenants, openBrowser: deps.openBrowser });
  const handoff = handoffService({
    workspace,
    tenants,
    registrations,
    secretKeeping,
    activity,
    chooseSavePath: deps.chooseSavePath,
  });
  const users = userService({ tenants, activity });
  const copies = copyService({ tenants, catalogue, registrations, activity });
  const expiry = expiryService({ workspace });
  const scopeSets = scopeSetService({ workspace, activity });
  const drafts = draftService({ workspace, tenants, catalogue, registrations, activity });
  const bulkApply = bulkApplyService({
    workspace,
    tenants,
    catalogue,
    registrations,
    scopeSets,
    activity,
    localRateLimits: deps.localRateLimits,
  });
  const registrationsAsCode = registrationsAsCodeService({
    workspace,
    tenants,
    catalogue,
    registrations,
    scopeSets,
    activity,
    chooseSavePath: deps.chooseSavePath,
  });
  return {
    tenants,
    sync,
    catalogue,
    registrations,
    secretKeeping,
    secrets,
    handoff,
    users,
    copies,
    expiry,
    activity,
    scopeSets,
    drafts,
    bulkApply,
    registrationsAsCode,
    adminSecret,
    links,
    pending,
    closeClipboard: async () => clipboard?.close(),
  };
}

export { createHandlers, type Services } from './handlers';
export { LOCAL_TENANT_ID, type LocalServer } from './tenants';
