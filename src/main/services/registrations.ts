// The registrations service: a organisation's external applications — listed from the cache, refreshed from the
// organisation, and created after the shared rules accepted them, with a confidential app's secret kept in the keychain.
import { organisationInWords } from '../../shared/organisationInWords';
import type { EventBus } from '../events';
import type { InputOf, applicationOperations } from '../../shared/contract';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import { AppError } from '../../shared/errors';
import type { AppSummary, ExternalClient, NewSecret } from '../../shared/model';
import type { Plan } from '../../shared/plan';
import { describeChanges, diffApp, hasChanges, scopesOf } from '../../shared/changes';
import {
  checkAdminAppScopes,
  checkRegistration,
  normalizeDraft,
  type NormalizedDraft,
  type RegistrationDraft,
} from '../../shared/rules';
import type { OrganisationClient } from '../organisation/client';
import type { Workspace } from '../workspace/workspace';
import type { SummaryPage } from '../workspace/registrations';
import { appChangeHeadline, appWords, type ActivityService } from './activity';
import { refuseAdminApp } from './adminApp';
import { answerable, confirmAdminGrant, grantOf } from './adminGrants';
import type { ConfirmByMain } from '../ports';
import { lostCreate, unreadableCreate } from './answerReadBack';
import { outcomeUnknown } from '../organisation/answers';
import { updateConfirmed } from './lostWrites';
import type { CatalogueService } from './catalogue';
import type { KeptFromAnswer, SecretKeeping } from './secretKeeping';
import type { OrganisationService } from './organisations';
import { planEntry, planOf, refusalsOf } from './plans';
import { notRecorded, writeIfPossible } from '../workspace/unwritable';
import { deleteApp } from './registrationDeletion';
import { pendingAppEditService } from './pendingAppEdits';

export interface RegistrationServiceDeps {
  workspace: Workspace;
  /** Told when an application was created, changed or deleted here, for every door that shows the list. */
  events: EventBus;
  organisations: OrganisationService;
  catalogue: CatalogueService;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  confirm?: ConfirmByMain; // main's own, before an organisation-admin scope is granted (adminGrants.ts)
}

function isUnreachable(error: unknown): boolean {
  return error instanceof AppError && error.code === 'organisation_unreachable';
}

function scopeSummary(app: ExternalClient): string {
  const scopes = app.resources.flatMap((r) => r.scopes);
  const names = (type: 'user' | 'application') =>
    scopes
      .filter((s) => s.type === type)
      .map((s) => s.name)
      .join(', ') || 'none';
  return `user scopes: ${names('user')}; application scopes: ${names('application')}`;
}

/**
 * The organisation's list fetched into the workspace cache, never held whole: each batch is written aside as it
 * arrives (`onBatch` is told how many have come), and one transaction puts the new list in place of the cached one,
 * with its time, once it is whole and right. Until then, on a failure, or when `stopped()` says so before the swap
 * (answering null), the cache holds the old list. Used by a sync (./sync.ts) and by a refresh of the list.
 */
export async function fetchRegistrations(
  workspace: Workspace,
  client: OrganisationClient,
  organisationId: string,
  options: { signal?: AbortSignal; onBatch?: (done: number) => void; stopped?: () => boolean } = {},
): Promise<{ count: number; at: string } | null> {
  const replacing = workspace.registrations.beginReplace(organisationId);
  const adopting = workspace.secrets.awaitingIds(organisationId);
  try {
    let done = 0;
    const count = await client.eachApps(
      (apps) => {
        replacing.add(apps);
        if (adopting) for (const app of apps) workspace.secrets.adoptAwaiting(organisationId, app);
        done += apps.length;
        options.onBatch?.(done);
      },
      { signal: options.signal },
    );
    if (options.stopped?.()) return null;
    const at = new Date().toISOString();
    workspace.db.transaction(() => {
      replacing.commit();
      workspace.organisations.setRegistrationsFetchedAt(organisationId, at);
    })();
    return { count, at };
  } finally {
    replacing.discard();
  }
}

function changed(deps: RegistrationServiceDeps, organisationId: string): void {
  deps.events.emit('organisationDataChanged', { organisation: organisationId, what: 'applications' });
}

async function refresh(deps: RegistrationServiceDeps, organisationId: string): Promise<void> {
  await fetchRegistrations(deps.workspace, deps.organisations.client(organisationId), organisationId);
}

/**
 * The table rows, always from the cache so that 10 000 load at once and browsing works offline.
 * The organisation is asked when `refresh` is set or nothing was ever fetched; if it cannot be reached, the cache answers.
 */
async function listApps(
  deps: RegistrationServiceDeps,
  organisationId: string,
  wantRefresh: boolean,
  page: SummaryPage,
): Promise<AppSummary[]> {
  const { workspace, organisations } = deps;
  organisations.get(organisationId);
  const everFetched = workspace.organisations.registrationsFetchedAt(organisationId) !== null;
  if (wantRefresh || !everFetched) {
    try {
      await refresh(deps, organisationId);
    } catch (error) {
      if (!(everFetched && isUnreachable(error))) throw error;
    }
  }
  return workspace.registrations.listSummaries(organisationId, page);
}

/** One application, fresh from the organisation (and cached); from the cache when the organisation cannot be reached. */
async function getApp(
  deps: RegistrationServiceDeps,
  organisationId: string,
  clientId: string,
): Promise<ExternalClient> {
  const { workspace, organisations } = deps;
  organisations.get(organisationId);
  try {
    const app = await organisations.client(organisationId).getApp(clientId);
    workspace.registrations.save(organisationId, app);
    workspace.secrets.adoptAwaiting(organisationId, app);
    return app;
  } catch (error) {
    // Deleted elsewhere (the portal, another workspace): the cache forgets it too.
    if (error instanceof AppError && error.code === 'not_found')
      workspace.registrations.delete(organisationId, clientId);
    const cached = isUnreachable(error) ? workspace.registrations.get(organisationId, clientId) : null;
    if (cached) return cached;
    throw error;
  }
}

/** The draft normalised and checked by the registration rules against the organisation's catalogue. */
async function checkedDraft(
  deps: RegistrationServiceDeps,
  organisationId: string,
  input: RegistrationDraft,
): Promise<NormalizedDraft> {
  const draft = normalizeDraft(input);
  const verdict = checkRegistration(draft, await deps.catalogue.list(organisationId, false));
  if (verdict.errors.length > 0) throw AppError.invalid(verdict.errors);
  return draft;
}

/** What a create's refusal to be read is explained with (see answerReadBack.ts). */
function unreadableCreateOf(
  deps: RegistrationServiceDeps,
  organisationId: string,
  app: { name: string; clientId: string | null; namesBefore: ReadonlySet<string> },
  kept: KeptFromAnswer,
  error: unknown,
): Promise<AppError> {
  return unreadableCreate(
    { workspace: deps.workspace, secretKeeping: deps.secretKeeping, refresh: () => refresh(deps, organisationId) },
    { organisationId, orgName: organisationInWords(deps.organisations.get(organisationId)) },
    app,
    kept,
    error,
  );
}

async function createApp(
  deps: RegistrationServiceDeps,
  input: InputOf<'createApp'>,
): Promise<{ app: ExternalClient; secret: NewSecret | null; notice?: string }> {
  const { workspace, organisations, secretKeeping } = deps;
  const organisationId = input.organisation;
  organisations.get(organisationId);
  // The same rules and messages as the wizard and the server, checked before anything leaves this machine.
  const draft = await checkedDraft(deps, organisationId, input);
  await confirmAdminGrant(deps.confirm, grantOf(organisations.get(organisationId), draft, []));
  const client = organisations.client(organisationId);
  const namesBefore = new Set(workspace.registrations.idsNamed(organisationId, draft.name));
  const answer = await client.createApp(draft).catch(async (error: unknown) => {
    // A lost answer may hide a created application: read back before saying anything.
    if (!outcomeUnknown(error)) throw error;
    throw await lostCreate(
      { workspace, secretKeeping, refresh: () => refresh(deps, organisationId) },
      { organisationId, orgName: organisationInWords(organisations.get(organisationId)) },
      { name: draft.name, isConfidential: draft.isConfidential, namesBefore },
      error,
    );
  });
  // The secret reaches the keychain (or the in-memory hold) before anything else in the answer is checked.
  const kept = await secretKeeping.keepFromAnswer(organisationId, answer);
  let app: ExternalClient;
  try {
    app = answer.read();
    // UiPath's name is nullable: a create answered without one is the application registered by this name.
    if (app.name === '') app = { ...app, name: draft.name };
  } catch (error) {
    throw await unreadableCreateOf(
      deps,
      organisationId,
      { name: draft.name, clientId: answer.clientId, namesBefore },
      kept,
      error,
    );
  }
  const unrecorded = writeIfPossible(() => workspace.registrations.save(organisationId, app));
  const secret = kept.secret;
  if (draft.isConfidential && !secret)
    throw await unreadableCreateOf(
      deps,
      organisationId,
      { name: app.name, clientId: app.id, namesBefore },
      kept,
      new Error('it named no secret'),
    );
  deps.activity.record({
    organisation: organisationId,
    action: 'app.create',
    target: app.id,
    headline: createdHeadline(app),
    detail: createdDetail(app, secret),
  });
  changed(deps, organisationId);
  const orgName = organisationInWords(organisations.get(organisationId));
  const made = `“${app.name}” was created in ${orgName}${secret?.stored ? ' and its secret is in your keychain' : ''}`;
  const notice = unrecorded ? { notice: notRecorded(made, orgName, unrecorded) } : {};
  return { app, secret: secret && answerable(secret, draft.scopes), ...notice };
}

/** The headline of a registration's activity entry: the application by name, and its type. */
function createdHeadline(app: ExternalClient): string {
  return `Registered “${app.name}” as a ${app.isConfidential ? 'confidential' : 'non-confidential'} application`;
}

/** The activity's account of a registration: what was registered and where its secret is. */
function createdDetail(app: ExternalClient, secret: NewSecret | null): string {
  return `Registered "${app.name}" (${app.isConfidential ? 'Confidential' : 'Non-confidential'}; ${scopeSummary(app)}${
    app.redirectUri ? `; redirect URL ${app.redirectUri}` : ''
  }${secret ? `; secret ${secret.id} ${secret.stored ? `in the keychain as ${secret.keychain.service} / ${secret.keychain.account}` : 'held in memory: the keychain refused it'}` : ''}).`;
}

/**
 * Applies an edit: the merged application must pass the registration rules (its type unchanged) before the
 * organisation is asked. An edit that changes nothing answers the application as it is.
 */
async function updateApp(deps: RegistrationServiceDeps, input: InputOf<'updateApp'>): Promise<ExternalClient> {
  const { workspace, organisations } = deps;
  const organisationId = input.organisation;
  const current = await getApp(deps, organisationId, input.clientId);
  const draft = await checkedDraft(deps, organisationId, editedDraft(current, input));
  // The admin application is not changed here; taking its admin scopes away is refused on the scopes field first,
  // with why, so the edit form shows it where the admin removed them.
  const organisation = organisations.get(organisationId);
  if (current.id === organisation.adminClientId) {
    const admin = checkAdminAppScopes(scopesOf(current), draft.scopes, organisationInWords(organisation));
    if (admin.errors.length > 0) throw AppError.invalid(admin.errors);
  }
  refuseAdminApp(organisation, current.id, 'it is not changed');
  const changes = diffApp(current, draft);
  if (!hasChanges(changes)) return current;
  await confirmAdminGrant(deps.confirm, grantOf(organisation, draft, scopesOf(current)));

  // A lost answer is read back (lostWrites.ts): applied or not, never reported failed when it took effect.
  const wanted = { name: draft.name, redirectUri: draft.redirectUri, scopes: draft.scopes };
  const client = organisations.client(organisationId);
  const { app, lostAnswer } = await updateConfirmed(client, organisationInWords(organisation), current, wanted);
  workspace.registrations.save(organisationId, app);
  changed(deps, organisationId);
  deps.activity.record({
    organisation: organisationId,
    action: 'app.update',
    target: app.id,
    headline: appChangeHeadline(changes),
    detail: `Changed ${appWords(app)}: ${describeChanges(changes).join('; ')}${lostAnswer ? ` (${lostAnswer})` : ''}.`,
  });
  return app;
}

/** The edit over the application as it is: what is left out stays, and the type never changes. */
function editedDraft(current: ExternalClient, edit: InputOf<'updateApp'>): RegistrationDraft {
  return {
    name: edit.name ?? current.name,
    isConfidential: current.isConfidential,
    redirectUri: edit.redirectUri === undefined ? current.redirectUri : edit.redirectUri,
    scopes: edit.scopes ?? scopesOf(current),
  };
}

/**
 * What updateApp would do with the same input, as a plan (./plans.ts): judged by the same rules and admin-application
 * checks, each refusal a message of the entry instead of a refusal of the call. Nothing is written.
 */
async function previewAppUpdate(deps: RegistrationServiceDeps, input: InputOf<'previewAppUpdate'>): Promise<Plan> {
  const organisation = deps.organisations.get(input.organisation);
  const current = await getApp(deps, organisation.id, input.clientId);
  const draft = normalizeDraft(editedDraft(current, input));
  const issues = [...checkRegistration(draft, await deps.catalogue.list(organisation.id, false)).errors];
  if (current.id === organisation.adminClientId)
    issues.push(...checkAdminAppScopes(scopesOf(current), draft.scopes, organisationInWords(organisation)).errors);
  const refusals = issues.map((issue) => issue.message);
  if (refusals.length === 0)
    refusals.push(...refusalsOf(() => refuseAdminApp(organisation, current.id, 'it is not changed')));
  return planOf(organisation, [planEntry(current, draft, { refusals })]);
}

export function registrationService(deps: RegistrationServiceDeps) {
  return {
    list: (organisationId: string, wantRefresh: boolean, page: SummaryPage = {}) =>
      listApps(deps, organisationId, wantRefresh, page),
    get: (organisationId: string, clientId: string) => getApp(deps, organisationId, clientId),
    create: (input: InputOf<'createApp'>) => createApp(deps, input),
    update: (input: InputOf<'updateApp'>) => updateApp(deps, input),
    previewUpdate: (input: InputOf<'previewAppUpdate'>) => previewAppUpdate(deps, input),
    /** Edits kept while the organisation could not be reached, applied once it answers. */
    pendingEdits: pendingAppEditService(deps, (input) => updateApp(deps, input)),
    delete: (organisationId: string, clientId: string) =>
      deleteApp({ ...deps, changed: () => changed(deps, organisationId) }, organisationId, clientId),
  };
}
export type RegistrationService = ReturnType<typeof registrationService>;

/** The handlers of the applications' operations (src/shared/contract/applications.ts): one line each onto the services. */
export function applicationHandlers(s: Services): HandlersOf<typeof applicationOperations> {
  return {
    listCatalogue: ({ organisation, refresh }) => s.catalogue.list(organisation, refresh),
    listApps: ({ organisation, refresh, limit, after }) =>
      s.registrations.list(organisation, refresh, { limit, after }),
    getApp: ({ organisation, clientId }) => s.registrations.get(organisation, clientId),
    createApp: (input) => s.registrations.create(input),
    updateApp: (input) => s.registrations.update(input),
    previewAppUpdate: (input) => s.registrations.previewUpdate(input),
    savePendingAppEdit: (input) => Promise.resolve(s.registrations.pendingEdits.save(input)),
    getPendingAppEdit: ({ organisation, clientId }) =>
      Promise.resolve({ pending: s.registrations.pendingEdits.get(organisation, clientId) }),
    applyPendingAppEdit: ({ organisation, clientId }) => s.registrations.pendingEdits.apply(organisation, clientId),
    discardPendingAppEdit: ({ organisation, clientId }) =>
      Promise.resolve(s.registrations.pendingEdits.discard(organisation, clientId)),
    deleteApp: ({ organisation, clientId }) => s.registrations.delete(organisation, clientId),
    copyAppToOrganisation: (input) => s.copies.copy(input),
  };
}
