// Registrations as code: an organisation's registrations and the workspace's scope sets written as a document
// (schemas/oauth-desk-export.schema.json) that never holds a secret, and such a document imported into an
// organisation: per application create, update, unchanged or refused with the rule's message; applied only when asked.
import { writePrivately } from '../../node/privateFiles';
import { describeChanges, diffApp, hasChanges } from '../../shared/changes';
import type { registrationsAsCodeOperations } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import type {
  ExportDocument,
  ExportRegistration,
  ExternalClient,
  ImportedRegistration,
  ImportResult,
  ScopeRequest,
} from '../../shared/model';
import { checkRegistration, checkScopeSet, normalizeDraft } from '../../shared/rules';
import type { TenantRecord } from '../workspace/tenants';
import type { ScopeSetRecord } from '../workspace/scopeSets';
import type { ChooseSavePath } from '../ports';
import type { Workspace } from '../workspace/workspace';
import type { ActivityService } from './activity';
import type { CatalogueService } from './catalogue';
import type { RegistrationService } from './registrations';
import type { ScopeSetService } from './scopeSets';
import type { TenantService } from './organisations';

const sorted = (names: readonly string[]) => [...names].sort();
const namesOf = (scopes: readonly ScopeRequest[], type: ScopeRequest['type']) =>
  sorted(scopes.filter((s) => s.type === type).map((s) => s.name));

/** One application as the document writes it: sorted, so that a file kept in git changes only where the app did. */
function exportRegistration(app: ExternalClient): ExportRegistration {
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
  };
}

/** The export document of `apps` and `sets`; pure, so that a test can hold it against the JSON Schema. */
export function exportDocumentOf(
  tenant: Pick<TenantRecord, 'id' | 'orgName' | 'baseUrl'>,
  apps: readonly ExternalClient[],
  sets: readonly Pick<ScopeSetRecord, 'name' | 'description' | 'scopes'>[],
  exportedAt: string = new Date().toISOString(),
): ExportDocument {
  return {
    format: 'oauth-desk-export',
    version: 1,
    exported_at: exportedAt,
    organisation: { id: tenant.id, org_name: tenant.orgName, base_url: tenant.baseUrl },
    registrations: [...apps]
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map(exportRegistration),
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

export interface RegistrationsAsCodeDeps {
  workspace: Workspace;
  tenants: TenantService;
  catalogue: CatalogueService;
  registrations: RegistrationService;
  scopeSets: ScopeSetService;
  activity: ActivityService;
  chooseSavePath?: ChooseSavePath;
}

export function registrationsAsCodeService(deps: RegistrationsAsCodeDeps) {
  const { workspace, tenants, catalogue, registrations, scopeSets, activity } = deps;

  /** The organisation's applications, fresh from it when it answers (else the cache), without its admin application. */
  async function appsOf(tenant: TenantRecord): Promise<ExternalClient[]> {
    const summaries = await registrations.list(tenant.id, true);
    return summaries
      .filter((summary) => summary.id !== tenant.adminClientId)
      .flatMap((summary) => workspace.registrations.get(tenant.id, summary.id) ?? []);
  }

  async function exportDocument(tenantId: string): Promise<ExportDocument> {
    const tenant = tenants.get(tenantId);
    return exportDocumentOf(tenant, await appsOf(tenant), workspace.scopeSets.list());
  }

  function importSets(document: ExportDocument, dryRun: boolean): ImportResult['scopeSets'] {
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

  return {
    export: exportDocument,

    async exportFile(input: { tenant: string; path?: string }): Promise<{ path: string } | { cancelled: true }> {
      const document = await exportDocument(input.tenant);
      let path = input.path ?? null;
      if (path === null) {
        if (!deps.chooseSavePath)
          throw AppError.invalid([{ field: 'path', message: 'Give the path of the file to write.' }]);
        path = await deps.chooseSavePath(`${input.tenant}-registrations.json`);
        if (path === null) return { cancelled: true };
      }
      // As the handoff: 0600, written beside the target and renamed over it, never through a symbolic link.
      writePrivately(path, `${JSON.stringify(document, null, 2)}\n`);
      activity.record({
        tenant: input.tenant,
        action: 'registrations.export',
        target: path,
        subject: null,
        detail: `Exported ${document.registrations.length} registration${document.registrations.length === 1 ? '' : 's'} and ${
          document.scope_sets.length
        } scope set${document.scope_sets.length === 1 ? '' : 's'} to ${path} (no secrets).`,
      });
      return { path };
    },

    /**
     * Matches each application of the document by name in the organisation and judges it with the registration rules
     * against the organisation's catalogue (live when it answers). With `dryRun` false, creates and updates through
     * the registrations service: a created confidential application's secret goes to the keychain.
     */
    async import(input: { tenant: string; document: ExportDocument; dryRun: boolean }): Promise<ImportResult> {
      const tenant = tenants.get(input.tenant);
      const grants = await catalogue.list(tenant.id, true);
      const apps = await registrations.list(tenant.id, true);
      const byName = new Map<string, ExternalClient[]>();
      for (const summary of apps) {
        const app = workspace.registrations.get(tenant.id, summary.id);
        if (!app) continue;
        const name = app.name.trim().toLowerCase();
        byName.set(name, [...(byName.get(name) ?? []), app]);
      }
      const seen = new Set<string>();
      const results: ImportedRegistration[] = [];
      for (const entry of input.document.registrations) {
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
        results.push(row);
        if (seen.has(nameKey)) {
          row.messages.push(`"${draft.name}" appears more than once in the document.`);
          continue;
        }
        seen.add(nameKey);
        if (matches.some((app) => app.id === tenant.adminClientId)) {
          row.messages.push(
            `"${draft.name}" is the admin application OAuth Desk uses to manage ${tenant.orgName}; an import does not change it.`,
          );
          continue;
        }
        if (matches.length > 1) {
          row.messages.push(
            `${matches.length} applications in ${tenant.orgName} are named "${draft.name}"; rename all but one so the import knows which to update.`,
          );
          continue;
        }
        const errors = checkRegistration(draft, grants).errors;
        if (errors.length > 0) {
          row.messages.push(...errors.map((e) => e.message));
          continue;
        }
        if (match && match.isConfidential !== draft.isConfidential) {
          const type = (confidential: boolean) => (confidential ? 'Confidential' : 'Non-confidential');
          row.messages.push(
            `The application type cannot change: "${draft.name}" is ${type(match.isConfidential)} in ${tenant.orgName} and the document says ${type(draft.isConfidential)}.`,
          );
          continue;
        }
        if (match) {
          const changes = diffApp(match, draft);
          row.action = hasChanges(changes) ? 'update' : 'unchanged';
          if (row.action === 'update') row.changes = describeChanges(changes);
        } else row.action = 'create';
        if (input.dryRun || row.action === 'unchanged') continue;
        try {
          if (match) {
            await registrations.update({
              tenant: tenant.id,
              clientId: match.id,
              name: draft.name,
              redirectUri: draft.redirectUri,
              scopes: draft.scopes,
            });
          } else {
            const created = await registrations.create({ tenant: tenant.id, ...draft });
            row.clientId = created.app.id;
            row.secret = created.secret;
          }
          row.applied = true;
        } catch (error) {
          row.messages.push(error instanceof AppError ? error.message : 'Something went wrong inside OAuth Desk.');
        }
      }
      const sets = importSets(input.document, input.dryRun);
      if (!input.dryRun) {
        const tally = (action: ImportedRegistration['action']) =>
          results.filter((r) => r.action === action && (r.applied || action === 'refused')).length;
        activity.record({
          tenant: tenant.id,
          action: 'registrations.import',
          target: tenant.orgName,
          subject: null,
          detail: `Imported registrations from ${input.document.organisation.org_name}: ${tally('create')} created, ${tally(
            'update',
          )} updated, ${results.filter((r) => r.action === 'unchanged').length} unchanged, ${tally('refused')} refused.`,
        });
      }
      return { tenant: tenant.id, dryRun: input.dryRun, registrations: results, scopeSets: sets };
    },
  };
}
export type RegistrationsAsCodeService = ReturnType<typeof registrationsAsCodeService>;

/** The handlers of the registrations-as-code operations (src/shared/contract/registrationsAsCode.ts): one line each onto the services. */
export function registrationsAsCodeHandlers(s: Services): HandlersOf<typeof registrationsAsCodeOperations> {
  return {
    exportRegistrations: ({ tenant }) => s.registrationsAsCode.export(tenant),
    exportRegistrationsFile: (input) => s.registrationsAsCode.exportFile(input),
    importRegistrations: (input) => s.registrationsAsCode.import(input),
  };
}
