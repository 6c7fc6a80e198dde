// An application's edit made while its organisation cannot be reached, kept as its pending change (as a scope set's
// apply is kept offline): only the fields the admin changed, against the application as cached. Once the organisation
// answers, the window previews it afresh (previewAppUpdate: the application as the organisation has it now) and applies
// it here, as updateApp applies any edit, or discards it.
import type { InputOf, PendingAppEdit } from '../../shared/contract';
import { scopesOf } from '../../shared/changes';
import { AppError } from '../../shared/errors';
import type { ExternalClient, ScopeRequest } from '../../shared/model';
import type { Workspace } from '../workspace/workspace';
import type { OrganisationService } from './organisations';

type Edit = PendingAppEdit['edit'];

const scopeKey = (scopes: readonly ScopeRequest[]) =>
  scopes
    .map((s) => `${s.type}:${s.name}`)
    .sort()
    .join(' ');

/** The fields of `input` that differ from the application as cached. */
function changedFields(app: ExternalClient, input: InputOf<'savePendingAppEdit'>): Edit {
  const edit: Edit = {};
  if (input.name !== undefined && input.name.trim() !== app.name) edit.name = input.name.trim();
  if (input.redirectUri !== undefined && input.redirectUri !== app.redirectUri) edit.redirectUri = input.redirectUri;
  if (input.scopes !== undefined && scopeKey(input.scopes) !== scopeKey(scopesOf(app)))
    edit.scopes = input.scopes.map((s) => ({ name: s.name, type: s.type }));
  return edit;
}

export function pendingAppEditService(
  deps: { workspace: Workspace; organisations: OrganisationService },
  update: (input: InputOf<'updateApp'>) => Promise<ExternalClient>,
) {
  const { workspace, organisations } = deps;

  function get(organisation: string, clientId: string): PendingAppEdit | null {
    organisations.get(organisation);
    return workspace.pendingAppEdits.get(organisation, clientId);
  }

  return {
    /** Keeps the edit's changed fields as the application's pending change, in place of an earlier one. */
    save(input: InputOf<'savePendingAppEdit'>): PendingAppEdit {
      const organisation = organisations.get(input.organisation);
      const app = workspace.registrations.get(organisation.id, input.clientId);
      if (!app)
        throw new AppError(
          'not_found',
          `${organisation.displayName} has no application ${input.clientId} in the cache.`,
        );
      const edit = changedFields(app, input);
      if (Object.keys(edit).length === 0)
        throw AppError.invalid([{ field: 'name', message: 'Nothing to keep: the edit changes nothing.' }]);
      const pending: PendingAppEdit = {
        organisation: organisation.id,
        clientId: app.id,
        appName: app.name,
        edit,
        createdAt: new Date().toISOString(),
      };
      workspace.pendingAppEdits.put(pending);
      return pending;
    },
    get,
    /** Applies the pending edit as any edit is applied (the application re-read first), then forgets it. */
    async apply(organisation: string, clientId: string): Promise<ExternalClient> {
      const pending = get(organisation, clientId);
      if (!pending) throw new AppError('not_found', 'This application has no pending change.');
      const app = await update({ organisation, clientId, ...pending.edit });
      workspace.pendingAppEdits.remove(organisation, clientId);
      return app;
    },
    discard(organisation: string, clientId: string): { discarded: boolean } {
      organisations.get(organisation);
      return { discarded: workspace.pendingAppEdits.remove(organisation, clientId) };
    },
  };
}
export type PendingAppEditService = ReturnType<typeof pendingAppEditService>;
