// Registrations as code: an organisation's registrations and the workspace's scope sets written as a document
// (schemas/oauth-desk-export.schema.json) that never holds a secret, and such a document imported into an
// organisation: per application create, update, unchanged or refused with the rule's message; applied only when asked.
import { organisationInWords } from '../../shared/organisationInWords';
import { checkPrivateTarget, writePrivately } from '../../node/privateFiles';
import { describeChanges, diffApp, hasChanges } from '../../shared/changes';
import type { registrationsAsCodeOperations } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import type {
  Catalogue,
  ExportDocument,
  ExportRegistration,
  ExternalClient,
  ImportedRegistration,
  ImportResult,
  ScopeRequest,
} from '../../shared/model';
import { checkRegistration, checkScopeSet, normalizeDraft, type NormalizedDraft } from '../../shared/rules';
import type { OrganisationRecord } from '../workspace/organisations';
import type { ScopeSetRecord } from '../workspace/scopeSets';
import type { ChooseSavePath } from '../ports';
import type { ScopeWorkDeps } from './scopeWorkDeps';
import { createEntry, planEntry, planOf } from './plans';
import type { PlanEntry } from '../../shared/plan';
import type { FederatedCredentialFields } from '../../shared/federated';
import { applyCredentials, credentialsOf, fieldsOf, judgeRowCredentials } from './federatedCarry';
import type { JudgedCredentials } from './federatedCarry';

const sorted = (names: readonly string[]) => [...names].sort();
const namesOf = (scopes: readonly ScopeRequest[], type: ScopeRequest['type']) =>
  sorted(scopes.filter((s) => s.type === type).map((s) => s.name));

/** One application as the document writes it: sorted, so that a file kept in git changes only where the app did. */
function exportRegistration(
  app: ExternalClient,
  credentials: readonly FederatedCredentialFields[] = [],
): ExportRegistration {
  const federated = [...credentials]
    .sort((a, b) => a.issuer.localeCompare(b.issuer) || a.subject.localeCompare(b.subject))
    .map(fieldsOf);
  return {
    client_name: app.name,
    client_id: app.id,
    token_endpoint_auth_method: app.isConfidential ? 'client_secret_basic' : 'none',
    redirect_uris: app.redirectUri ? [app.redirectUri] : [],
    resources: [...app.resources]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((resource) => ({
        name: resource.name,
        user_scopes: namesOf(resource.scopes, 'user'),
        application_scopes: namesOf(resource.scopes, 'application'),
      })),
    ...(federated.length > 0 ? { federated_credentials: federated } : {}),
  };
}

/** The export document of `apps` and `sets`; pure, so that a test can hold it against the JSON Schema. */
export function exportDocumentOf(
  organisation: Pick<OrganisationRecord, 'id' | 'orgName' | 'baseUrl'>,
  apps: readonly ExternalClient[],
  sets: readonly Pick<ScopeSetRecord, 'name' | 'description' | 'scopes'>[],
  exportedAt: string = new Date().toISOString(),
  federated: ReadonlyMap<string, readonly FederatedCredentialFields[]> = new Map(),
): ExportDocument {
  return {
    format: 'oauth-desk-export',
    version: 1,
    exported_at: exportedAt,
    organisation: { id: organisation.id, org_name: organisation.orgName, base_url: organisation.baseUrl },
    registrations: [...apps]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((app) => exportRegistration(app, federated.get(app.id))),
    scope_sets: sets.map((set) => ({
      name: set.name,
      description: set.description,
      user_scopes: namesOf(set.scopes, 'user'),
      application_scopes: namesOf(set.scopes, 'application'),
    })),
  };
}

/** The scopes of a document's entry as requests, user scopes first. */
function scopesOfEntry(entry: { user_scopes: string[]; application_scopes: string[] }): ScopeRequest[] {
  return [
    ...entry.user_scopes.map((name) => ({ name, type: 'user' as const })),
    ...entry.application_scopes.map((name) => ({ name, type: 'application' as const })),
  ];
}

const sameScopes = (a: readonly ScopeRequest[], b: readonly ScopeRequest[]) =>
  JSON.stringify(a.map((s) => `${s.type}:${s.name}`).sort()) ===
  JSON.stringify(b.map((s) => `${s.type}:${s.name}`).sort());

export interface RegistrationsAsCodeDeps extends ScopeWorkDeps {
  chooseSavePath?: ChooseSavePath;
}

/** The organisation's applications, fresh from it when it answers (else the cache), without its admin application. */
async function appsOf(deps: RegistrationsAsCodeDeps, organisation: OrganisationRecord): Promise<ExternalClient[]> {
  const summaries = await deps.registrations.list(organisation.id, true);
  return summaries
    .filter((summary) => summary.id !== organisation.adminClientId)
    .flatMap((summary) => deps.workspace.registrations.get(organisation.id, summary.id) ?? []);
}

async function exportDocument(deps: RegistrationsAsCodeDeps, organisationId: string): Promise<ExportDocument> {
  const organisation = deps.organisations.get(organisationId);
  const apps = await appsOf(deps, organisation);
  const sets = deps.workspace.scopeSets.list();
  const federated = await federatedOf(deps, organisation, apps);
  return exportDocumentOf(organisation, apps, sets, new Date().toISOString(), federated);
}

/** Each confidential application's federated credentials (not secrets); none while the organisation is offline. */
async function federatedOf(
  deps: RegistrationsAsCodeDeps,
  organisation: OrganisationRecord,
  apps: readonly ExternalClient[],
): Promise<Map<string, readonly FederatedCredentialFields[]>> {
  const federated = new Map<string, readonly FederatedCredentialFields[]>();
  for (const app of apps) {
    try {
      federated.set(app.id, await credentialsOf(deps.organisations, organisation.id, app));
    } catch (error) {
      if (error instanceof AppError && error.code === 'organisation_unreachable') break;
      throw error;
    }
  }
  return federated;
}

async function exportFile(
  deps: RegistrationsAsCodeDeps,
  input: { organisation: string; path?: string },
): Promise<{ path: string } | { cancelled: true }> {
  // A path that cannot be written is refused before the organisation is asked (which refreshes the cache).
  if (input.path !== undefined) checkPrivateTarget(input.path);
  const document = await exportDocument(deps, input.organisation);
  let path = input.path ?? null;
  if (path === null) {
    if (!deps.chooseSavePath)
      throw AppError.invalid([{ field: 'path', message: 'Give the path of the file to write.' }]);
    path = await deps.chooseSavePath(`${input.organisation}-registrations.json`);
    if (path === null) return { cancelled: true };
  }
  // As the handoff: 0600, written beside the target and renamed over it, never through a symbolic link.
  writePrivately(path, `${JSON.stringify(document, null, 2)}\n`);
  deps.activity.record({
    organisation: input.organisation,
    action: 'registrations.export',
    target: path,
    subject: null,
    headline: `Exported ${document.registrations.length} registration${document.registrations.length === 1 ? '' : 's'} and ${
      document.scope_sets.length
    } scope set${document.scope_sets.length === 1 ? '' : 's'} to ${path} (no secrets).`,
  });
  return { path };
}

function importSets(
  { workspace, scopeSets }: RegistrationsAsCodeDeps,
  document: ExportDocument,
  dryRun: boolean,
): ImportResult['scopeSets'] {
  return document.scope_sets.map((entry) => {
    const scopes = scopesOfEntry(entry);
    const existing = workspace.scopeSets.findByName(entry.name.trim());
    const errors = checkScopeSet({ name: entry.name, description: entry.description, scopes }).errors;
    if (errors.length > 0)
      return { name: entry.name, action: 'refused' as const, messages: errors.map((e) => e.message) };
    const same = existing?.description === entry.description.trim() && sameScopes(existing.scopes, scopes);
    const action = !existing ? ('create' as const) : same ? ('unchanged' as const) : ('update' as const);
    if (!dryRun && action !== 'unchanged')
      scopeSets.save({ id: existing?.id, name: entry.name, description: entry.description, scopes });
    return { name: entry.name, action, messages: [] };
  });
}

/** The organisation's cached applications by name (trimmed, any case): an import matches applications by name. */
async function appsByName(
  deps: RegistrationsAsCodeDeps,
  organisation: OrganisationRecord,
): Promise<Map<string, ExternalClient[]>> {
  const byName = new Map<string, ExternalClient[]>();
  for (const summary of await deps.registrations.list(organisation.id, true)) {
    const app = deps.workspace.registrations.get(organisation.id, summary.id);
    if (!app) continue;
    const name = app.name.trim().toLowerCase();
    byName.set(name, [...(byName.get(name) ?? []), app]);
  }
  return byName;
}

/** One registration of the document, judged: its row of the result, and what applying it writes. */
interface JudgedEntry {
  row: ImportedRegistration;
  draft: NormalizedDraft;
  /** The one application of that name in the organisation; null when there is none (or several). */
  match: ExternalClient | null;
}

/** Why a registration cannot be imported as it stands, in the rules' words; empty when it can. */
function refusalsOf(
  organisation: OrganisationRecord,
  draft: NormalizedDraft,
  matches: readonly ExternalClient[],
  grants: Catalogue,
): string[] {
  if (matches.some((app) => app.id === organisation.adminClientId))
    return [
      `"${draft.name}" is the admin application OAuth Desk uses to manage ${organisationInWords(organisation)}; an import does not change it.`,
    ];
  if (matches.length > 1)
    return [
      `${matches.length} applications in ${organisationInWords(organisation)} are named "${draft.name}"; rename all but one so the import knows which to update.`,
    ];
  const errors = checkRegistration(draft, grants).errors;
  if (errors.length > 0) return errors.map((e) => e.message);
  const [match] = matches;
  if (match && match.isConfidential !== draft.isConfidential) {
    const type = (confidential: boolean) => (confidential ? 'Confidential' : 'Non-confidential');
    return [
      `The application type cannot change: "${draft.name}" is ${type(match.isConfidential)} in ${organisationInWords(organisation)} and the document says ${type(draft.isConfidential)}.`,
    ];
  }
  return [];
}

/** A registration of the document judged against the organisation: create, update, unchanged, or refused and why. */
function judge(
  organisation: OrganisationRecord,
  grants: Catalogue,
  byName: ReadonlyMap<string, ExternalClient[]>,
  seen: Set<string>,
  entry: ExportRegistration,
): JudgedEntry {
  const draft = normalizeDraft({
    name: entry.client_name,
    isConfidential: entry.token_endpoint_auth_method !== 'none',
    redirectUri: entry.redirect_uris[0] ?? null,
    scopes: entry.resources.flatMap(scopesOfEntry),
  });
  const nameKey = draft.name.toLowerCase();
  const matches = byName.get(nameKey) ?? [];
  const match = matches.length === 1 ? (matches[0] ?? null) : null;
  const row: ImportedRegistration = {
    name: draft.name,
    action: 'refused',
    clientId: match?.id ?? null,
    changes: [],
    messages: [],
    applied: false,
    secret: null,
  };
  const judged = { row, draft, match };
  if (seen.has(nameKey)) {
    row.messages.push(`"${draft.name}" appears more than once in the document.`);
    return judged;
  }
  seen.add(nameKey);
  const refusals = refusalsOf(organisation, draft, matches, grants);
  if (refusals.length > 0) {
    row.messages.push(...refusals);
    return judged;
  }
  if (match) {
    const changes = diffApp(match, draft);
    row.action = hasChanges(changes) ? 'update' : 'unchanged';
    if (row.action === 'update') row.changes = describeChanges(changes);
  } else row.action = 'create';
  return judged;
}

/** A judged registration (and its federated credentials) as an entry of the import's plan, before anything is applied. */
function planEntryOf({ row, draft, match }: JudgedEntry, credentials: JudgedCredentials | null): PlanEntry {
  const options = { refusals: row.messages, refused: row.action === 'refused', federated: credentials?.changes };
  return match ? planEntry(match, draft, options) : createEntry(draft, options);
}

/** Creates or updates the application through the registrations service; a failure is the row's message. */
async function applyEntry(
  deps: RegistrationsAsCodeDeps,
  organisation: OrganisationRecord,
  judged: JudgedEntry,
): Promise<void> {
  const { row, draft, match } = judged;
  try {
    if (match) {
      await deps.registrations.update({
        organisation: organisation.id,
        clientId: match.id,
        name: draft.name,
        redirectUri: draft.redirectUri,
        scopes: draft.scopes,
      });
    } else {
      const created = await deps.registrations.create({ organisation: organisation.id, ...draft });
      row.clientId = created.app.id;
      row.secret = created.secret;
    }
    row.applied = true;
  } catch (error) {
    row.messages.push(error instanceof AppError ? error.message : 'Something went wrong inside OAuth Desk.');
  }
}

/** The organisation a document was exported from, by the name the window shows when this workspace knows it. */
function sourceName(deps: RegistrationsAsCodeDeps, document: ExportDocument): string {
  const { id, org_name: orgName, base_url: baseUrl } = document.organisation;
  const known =
    deps.organisations.list().find((o) => o.orgName === orgName && o.baseUrl === baseUrl) ??
    deps.organisations.list().find((o) => o.id === id);
  return known && known.displayName !== '' ? known.displayName : orgName;
}

function recordImport(
  deps: RegistrationsAsCodeDeps,
  organisation: OrganisationRecord,
  document: ExportDocument,
  results: readonly ImportedRegistration[],
): void {
  const tally = (action: ImportedRegistration['action']) =>
    results.filter((r) => r.action === action && (r.applied || action === 'refused')).length;
  deps.activity.record({
    organisation: organisation.id,
    action: 'registrations.import',
    target: organisation.displayName,
    subject: null,
    headline: `Imported registrations from ${sourceName(deps, document)}: ${tally('create')} created, ${tally(
      'update',
    )} updated, ${results.filter((r) => r.action === 'unchanged').length} unchanged, ${tally('refused')} refused.`,
  });
}

/**
 * Matches each application of the document by name in the organisation and judges it with the registration rules
 * against the organisation's catalogue (live when it answers). With `dryRun` false, creates and updates through
 * the registrations service: a created confidential application's secret goes to the keychain.
 */
async function importDocument(
  deps: RegistrationsAsCodeDeps,
  input: { organisation: string; document: ExportDocument; dryRun: boolean },
): Promise<ImportResult> {
  const organisation = deps.organisations.get(input.organisation);
  const grants = await deps.catalogue.list(organisation.id, true);
  const byName = await appsByName(deps, organisation);
  const seen = new Set<string>();
  const results: ImportedRegistration[] = [];
  const entries: PlanEntry[] = [];
  for (const entry of input.document.registrations) {
    const judged = judge(organisation, grants, byName, seen, entry);
    const credentials = await judgeRowCredentials(deps.organisations, organisation, {
      ...{ row: judged.row, match: judged.match, isConfidential: judged.draft.isConfidential },
      wanted: entry.federated_credentials,
    });
    results.push(judged.row);
    entries.push(planEntryOf(judged, credentials));
    const { action } = judged.row;
    if (input.dryRun || action === 'refused' || action === 'unchanged') continue;
    await applyEntry(deps, organisation, judged);
    const clientId = judged.row.clientId;
    if (!credentials || !judged.row.applied || clientId === null) continue;
    const failed = await applyCredentials(deps, organisation, clientId, credentials);
    if (failed) judged.row.messages.push(failed);
  }
  const sets = importSets(deps, input.document, input.dryRun);
  if (!input.dryRun) recordImport(deps, organisation, input.document, results);
  return {
    organisation: organisation.id,
    dryRun: input.dryRun,
    registrations: results,
    scopeSets: sets,
    plan: planOf(organisation, entries),
  };
}

export function registrationsAsCodeService(deps: RegistrationsAsCodeDeps) {
  return {
    export: (organisationId: string) => exportDocument(deps, organisationId),
    exportFile: (input: { organisation: string; path?: string }) => exportFile(deps, input),
    import: (input: { organisation: string; document: ExportDocument; dryRun: boolean }) => importDocument(deps, input),
  };
}
export type RegistrationsAsCodeService = ReturnType<typeof registrationsAsCodeService>;

/** The handlers of the registrations-as-code operations (src/shared/contract/registrationsAsCode.ts): one line each onto the services. */
export function registrationsAsCodeHandlers(s: Services): HandlersOf<typeof registrationsAsCodeOperations> {
  return {
    exportRegistrations: ({ organisation }) => s.registrationsAsCode.export(organisation),
    exportRegistrationsFile: (input) => s.registrationsAsCode.exportFile(input),
    importRegistrations: (input) => s.registrationsAsCode.import(input),
  };
}
