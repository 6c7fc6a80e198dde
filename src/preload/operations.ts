// The contract's operation names and their IPC channels, without the schemas: the preload needs only the names, and
// importing src/shared/contract/ would bundle zod into it (the preload is held to 8 KB, see `npm run bench`).
import type { OperationName } from '../shared/contract';

/**
 * Every operation of src/shared/contract/, once: TypeScript names an operation missing here, or one the contract
 * does not have (tests/unit/ipc-preload.test.ts checks the same at run time).
 */
const listed: Record<OperationName, true> = {
  listOrganisations: true,
  showOrganisation: true,
  addOrganisation: true,
  testOrganisation: true,
  changeSignIn: true,
  cancelAccountSignIn: true,
  reopenAccountSignIn: true,
  copyAccountSignInLink: true,
  useOrganisation: true,
  removeOrganisation: true,
  listKeptSecretsOfRemoved: true,
  copyKeptSecretOfRemoved: true,
  deleteKeptSecretOfRemoved: true,
  organisationStatus: true,
  syncOrganisation: true,
  stopSync: true,
  copyAppToOrganisation: true,
  listExpiringSecrets: true,
  listCatalogue: true,
  listApps: true,
  getApp: true,
  createApp: true,
  retrySecretStore: true,
  dismissPendingSecret: true,
  updateApp: true,
  previewAppUpdate: true,
  savePendingAppEdit: true,
  getPendingAppEdit: true,
  applyPendingAppEdit: true,
  discardPendingAppEdit: true,
  deleteApp: true,
  listSecrets: true,
  generateSecret: true,
  deleteSecret: true,
  copySecretToClipboard: true,
  copyNewSecretToClipboard: true,
  listFederatedCredentials: true,
  createFederatedCredential: true,
  updateFederatedCredential: true,
  deleteFederatedCredential: true,
  checkFederatedToken: true,
  rotateAdminSecret: true,
  openLink: true,
  handoffApp: true,
  exportHandoff: true,
  listUsers: true,
  createUser: true,
  deleteUser: true,
  listActivity: true,
  exportActivityFile: true,
  listScopeSets: true,
  getScopeSet: true,
  saveScopeSet: true,
  duplicateScopeSet: true,
  deleteScopeSet: true,
  saveDraft: true,
  listDrafts: true,
  deleteDraft: true,
  registerDraft: true,
  previewScopeSet: true,
  applyScopeSet: true,
  applyStatus: true,
  stopApply: true,
  savePendingChange: true,
  listPendingChanges: true,
  previewPendingChange: true,
  deletePendingChange: true,
  exportRegistrations: true,
  exportRegistrationsFile: true,
  importRegistrations: true,
};

export const operationNames = Object.keys(listed) as OperationName[];

/** The IPC channel of an operation: the same as `channelOf` in src/shared/contract/index.ts, which main listens on. */
export function channelOf(name: OperationName): string {
  return `oauth-desk:${name}`;
}
