// The drafts service: registrations saved without a server (offline this is the only choice), judged against the
// organisation's cached catalogue, and registered later through the same path as createApp.
import { randomUUID } from 'node:crypto';
import type { InputOf, draftOperations } from '../../shared/contract';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import { AppError } from '../../shared/errors';
import type { ExternalClient, NewSecret, RuleIssue, SavedDraft } from '../../shared/model';
import { NAME_MAX, checkRegistration, normalizeDraft } from '../../shared/rules';
import type { DraftRecord } from '../workspace/drafts';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import type { CatalogueService } from './catalogue';
import type { RegistrationService } from './registrations';
import type { OrganisationService } from './organisations';

export interface DraftServiceDeps {
  workspace: Workspace;
  organisations: OrganisationService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  activity: ActivityService;
}

/** What the rules would refuse now, from the cache only: a draft is judged without a server. */
function problemsOf(deps: DraftServiceDeps, draft: DraftRecord): RuleIssue[] {
  const cached = deps.workspace.catalogue.get(draft.organisation);
  if (cached) return checkRegistration(draft, cached).errors;
  const organisationName = deps.organisations.get(draft.organisation).displayName;
  return [
    ...checkRegistration(draft, []).errors.filter((issue) => issue.field !== 'scopes'),
    {
      field: 'scopes',
      message: `The resource catalogue of ${organisationName} has not been fetched yet; the scopes are checked when the draft is registered.`,
    },
  ];
}

const withProblems = (deps: DraftServiceDeps, draft: DraftRecord): SavedDraft => ({
  ...draft,
  problems: problemsOf(deps, draft),
});

function find(deps: DraftServiceDeps, draftId: string): DraftRecord {
  const draft = deps.workspace.drafts.get(draftId);
  if (!draft)
    throw new AppError('not_found', `No draft ${draftId} is in this workspace.`, [
      { field: 'draftId', message: `No draft ${draftId} is in this workspace.` },
    ]);
  return draft;
}

/** Only a name is needed to tell a draft apart in the list: present, and of a registration's length. */
function checkDraftName(name: string): void {
  if (name === '') throw AppError.invalid([{ field: 'name', message: 'Application Name is required.' }]);
  if (name.length > NAME_MAX)
    throw AppError.invalid([
      { field: 'name', message: `Application Name must be at most ${NAME_MAX} characters (it has ${name.length}).` },
    ]);
}

/** Saves a draft as it is, problems and all; only a name is needed to tell it apart in the list. */
function save(deps: DraftServiceDeps, input: InputOf<'saveDraft'>): SavedDraft {
  deps.organisations.get(input.organisation);
  const existing = input.draftId === undefined ? null : find(deps, input.draftId);
  if (existing && existing.organisation !== input.organisation)
    throw AppError.invalid([
      { field: 'draftId', message: `Draft ${existing.id} belongs to organisation ${existing.organisation}.` },
    ]);
  const draft = normalizeDraft(input);
  checkDraftName(draft.name);
  const now = new Date().toISOString();
  const record: DraftRecord = {
    ...draft,
    id: existing?.id ?? randomUUID(),
    organisation: input.organisation,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  deps.workspace.drafts.save(record);
  deps.activity.record({
    organisation: record.organisation,
    action: 'draft.save',
    target: record.id,
    subject: record.name,
    headline: `${existing ? 'Changed' : 'Saved'} the draft "${record.name}" (${record.isConfidential ? 'Confidential' : 'Non-confidential'}; ${record.scopes.length} scope${record.scopes.length === 1 ? '' : 's'}).`,
  });
  return withProblems(deps, record);
}

function list(deps: DraftServiceDeps, organisationId: string): SavedDraft[] {
  deps.organisations.get(organisationId);
  return deps.workspace.drafts.list(organisationId).map((draft) => withProblems(deps, draft));
}

function remove(deps: DraftServiceDeps, draftId: string): { deleted: true } {
  const draft = find(deps, draftId);
  deps.workspace.drafts.delete(draft.id);
  deps.activity.record({
    organisation: draft.organisation,
    action: 'draft.delete',
    target: draft.id,
    subject: draft.name,
    headline: `Deleted the draft "${draft.name}".`,
  });
  return { deleted: true };
}

/**
 * Registers the draft: the catalogue is fetched live first, so the rules judge it against what the organisation
 * grants now; then createApp's path (its secret to the keychain). The draft goes once the application exists.
 */
async function register(
  deps: DraftServiceDeps,
  draftId: string,
): Promise<{ app: ExternalClient; secret: NewSecret | null }> {
  const draft = find(deps, draftId);
  await deps.catalogue.list(draft.organisation, true);
  const created = await deps.registrations.create({
    organisation: draft.organisation,
    name: draft.name,
    isConfidential: draft.isConfidential,
    redirectUri: draft.redirectUri,
    scopes: draft.scopes,
  });
  deps.workspace.drafts.delete(draft.id);
  return created;
}

export function draftService(deps: DraftServiceDeps) {
  return {
    save: (input: InputOf<'saveDraft'>) => save(deps, input),
    list: (organisationId: string) => list(deps, organisationId),
    delete: (draftId: string) => remove(deps, draftId),
    register: (draftId: string) => register(deps, draftId),
  };
}
export type DraftService = ReturnType<typeof draftService>;

/** The handlers of the drafts' operations (src/shared/contract/drafts.ts): one line each onto the services. */
export function draftHandlers(s: Services): HandlersOf<typeof draftOperations> {
  return {
    saveDraft: (input) => Promise.resolve(s.drafts.save(input)),
    listDrafts: ({ organisation }) => Promise.resolve(s.drafts.list(organisation)),
    deleteDraft: ({ draftId }) => Promise.resolve(s.drafts.delete(draftId)),
    registerDraft: ({ draftId }) => s.drafts.register(draftId),
  };
}
