// Builds the services of one workspace and wires them to each other.
import { secretClipboard, DEFAULT_CLIPBOARD_CLEAR_SECONDS, type Clipboard } from '../clipboard/clipboard';
import type { Keychain } from '../keychain/keychain';
import type { BrowserOpener } from '../tenant/accountSignIn';
import type { Workspace } from '../workspace/workspace';
import { activityService } from './activity';
import { catalogueService } from './catalogue';
import { copyService } from './copies';
import { expiryService } from './expiry';
import type { Services } from './handlers';
import { handoffService, type ChooseSavePath } from './handoff';
import { pendingSecretStore } from './pendingSecrets';
import { registrationService } from './registrations';
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
}

export type AllServices = Services & {
  pending: ReturnType<typeof pendingSecretStore>;
  /** Takes every copied secret still on the clipboard off it, when the app closes. */
  closeClipboard(): Promise<void>;
};

export function createServices(deps: ServiceDeps): AllServices {
  const { workspace, keychain, keychainService } = deps;
  const activity = activityService(workspace.activity);
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
  const secrets = secretService({ workspace, tenants, registrations, secretKeeping, activity, clipboard });
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
    pending,
    closeClipboard: async () => clipboard?.close(),
  };
}

export { createHandlers, type Services } from './handlers';
export { LOCAL_TENANT_ID, type LocalServer } from './tenants';
