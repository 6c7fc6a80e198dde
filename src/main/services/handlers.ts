// The services behind each operation of the contract: one line per operation, no logic of its own.
import type { Handlers } from '../dispatch';
import type { ActivityService } from './activity';
import type { AdminSecretService } from './adminSecret';
import type { BulkApplyService } from './bulkApply';
import type { CatalogueService } from './catalogue';
import type { CopyService } from './copies';
import type { DraftService } from './drafts';
import type { ExpiryService } from './expiry';
import type { HandoffService } from './handoff';
import type { LinkService } from './links';
import type { RegistrationService } from './registrations';
import type { RegistrationsAsCodeService } from './registrationsAsCode';
import type { ScopeSetService } from './scopeSets';
import type { SecretKeeping } from './secretKeeping';
import type { SecretService } from './secrets';
import type { SyncService } from './sync';
import type { TenantService } from './tenants';
import type { UserService } from './users';

export interface Services {
  tenants: TenantService;
  sync: SyncService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  secrets: SecretService;
  handoff: HandoffService;
  users: UserService;
  copies: CopyService;
  expiry: ExpiryService;
  activity: ActivityService;
  adminSecret: AdminSecretService;
  links: LinkService;
  scopeSets: ScopeSetService;
  drafts: DraftService;
  bulkApply: BulkApplyService;
  registrationsAsCode: RegistrationsAsCodeService;
}

export function createHandlers(s: Services): Handlers {
  return {
    listTenants: () => Promise.resolve(s.tenants.list()),
    showTenant: ({ tenant }) => Promise.resolve(s.tenants.show(tenant)),
    addTenant: (input) => s.tenants.add(input),
    testTenant: ({ tenant }) => s.tenants.test(tenant),
    useTenant: ({ tenant }) => Promise.resolve(s.tenants.use(tenant)),
    removeTenant: ({ tenant }) => s.tenants.remove(tenant),
    tenantStatus: ({ tenant }) => Promise.resolve(s.tenants.status(tenant)),
    syncTenant: ({ tenant }) => s.sync.sync(tenant),
    stopSync: ({ tenant }) => Promise.resolve(s.sync.stop(tenant)),
    listCatalogue: ({ tenant, refresh }) => s.catalogue.list(tenant, refresh),
    listApps: ({ tenant, refresh, limit, after }) => s.registrations.list(tenant, refresh, { limit, after }),
    getApp: ({ tenant, clientId }) => s.registrations.get(tenant, clientId),
    createApp: (input) => s.registrations.create(input),
    retrySecretStore: ({ pendingId }) => s.secretKeeping.retry(pendingId),
    dismissPendingSecret: ({ pendingId }) => Promise.resolve(s.secretKeeping.dismiss(pendingId)),
    updateApp: (input) => s.registrations.update(input),
    deleteApp: ({ tenant, clientId }) => s.registrations.delete(tenant, clientId),
    listSecrets: ({ tenant, clientId }) => s.secrets.list(tenant, clientId),
    generateSecret: (input) => s.secrets.generate(input),
    deleteSecret: ({ tenant, clientId, secretId }) => s.secrets.delete(tenant, clientId, secretId),
    copySecret: ({ tenant, clientId, secretId }) => s.secrets.copy(tenant, clientId, secretId),
    copyNewSecret: (input) => s.secrets.copyNew(input),
    rotateAdminSecret: ({ tenant }) => s.adminSecret.rotate(tenant),
    openLink: ({ link, tenant }) => s.links.open(link, tenant),
    handoffApp: ({ tenant, clientId, format }) => s.handoff.handoff(tenant, clientId, format),
    exportHandoff: (input) => s.handoff.export(input),
    listUsers: ({ tenant }) => s.users.list(tenant),
    createUser: (input) => s.users.create(input),
    deleteUser: ({ tenant, userName }) => s.users.delete(tenant, userName),
    listActivity: ({ limit }) => Promise.resolve(s.activity.list(limit)),
    copyApp: (input) => s.copies.copy(input),
    listExpiringSecrets: ({ withinDays }) => Promise.resolve(s.expiry.list(withinDays)),
    listScopeSets: () => Promise.resolve(s.scopeSets.list()),
    getScopeSet: ({ setId }) => Promise.resolve(s.scopeSets.get(setId)),
    saveScopeSet: (input) => Promise.resolve(s.scopeSets.save(input)),
    duplicateScopeSet: ({ setId, name }) => Promise.resolve(s.scopeSets.duplicate(setId, name)),
    deleteScopeSet: ({ setId }) => Promise.resolve(s.scopeSets.delete(setId)),
    saveDraft: (input) => Promise.resolve(s.drafts.save(input)),
    listDrafts: ({ tenant }) => Promise.resolve(s.drafts.list(tenant)),
    deleteDraft: ({ draftId }) => Promise.resolve(s.drafts.delete(draftId)),
    registerDraft: ({ draftId }) => s.drafts.register(draftId),
    previewScopeSet: (input) => s.bulkApply.preview(input),
    applyScopeSet: ({ previewId }) => Promise.resolve(s.bulkApply.apply(previewId)),
    applyStatus: ({ runId }) => Promise.resolve(s.bulkApply.status(runId)),
    stopApply: ({ runId }) => Promise.resolve(s.bulkApply.stop(runId)),
    savePendingChange: ({ previewId }) => Promise.resolve(s.bulkApply.savePending(previewId)),
    listPendingChanges: ({ tenant }) => Promise.resolve(s.bulkApply.listPending(tenant)),
    applyPendingChange: ({ changeId }) => s.bulkApply.previewPending(changeId),
    deletePendingChange: ({ changeId }) => Promise.resolve(s.bulkApply.deletePending(changeId)),
    exportRegistrations: ({ tenant }) => s.registrationsAsCode.export(tenant),
    exportRegistrationsFile: (input) => s.registrationsAsCode.exportFile(input),
    importRegistrations: (input) => s.registrationsAsCode.import(input),
  };
}
