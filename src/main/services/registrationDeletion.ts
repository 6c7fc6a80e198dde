// Deleting an application: refused for the admin application OAuth Desk manages its organisation through; otherwise
// deleted on the organisation first, then every keychain entry, kept secret and cache row of it here.
import { organisationInWords } from '../../shared/organisationInWords';
import { AppError } from '../../shared/errors';
import { retireAdminApp } from '../../shared/rules';
import type { OrganisationRecord } from '../workspace/organisations';
import type { RegistrationServiceDeps } from './registrations';

/** What a deletion reaches, and `changed`: tells every door showing the list that it changed. */
type DeletionDeps = Pick<RegistrationServiceDeps, 'workspace' | 'organisations' | 'secretKeeping' | 'activity'> & {
  changed(): void;
};

/** The admin application OAuth Desk manages the organisation through is never deleted here. */
function refuseDeletingAdminApp(organisation: OrganisationRecord, clientId: string): void {
  if (clientId === organisation.adminClientId)
    throw AppError.invalid([
      {
        field: 'clientId',
        message: `This is the admin application OAuth Desk manages ${organisationInWords(organisation)} through, so it cannot be deleted: OAuth Desk would lose access to ${organisationInWords(organisation)}. ${retireAdminApp(organisation)}`,
      },
    ]);
}

/** Removes the keychain entries of the application's kept secrets: how many went, and which the keychain refused. */
async function discardKeptSecrets(
  deps: DeletionDeps,
  organisationId: string,
  clientId: string,
): Promise<{ keychainEntriesRemoved: number; leftInKeychain: string[] }> {
  const kept = deps.workspace.secrets.listForClient(organisationId, clientId);
  let keychainEntriesRemoved = 0;
  const leftInKeychain: string[] = [];
  for (const keptSecret of kept) {
    try {
      if (await deps.secretKeeping.discard(organisationId, keptSecret.secretId)) keychainEntriesRemoved++;
    } catch {
      // The secret no longer works anywhere; the entry is named in the activity so the admin can remove it.
      leftInKeychain.push(`${keptSecret.keychain.service} / ${keptSecret.keychain.account}`);
    }
  }
  return { keychainEntriesRemoved, leftInKeychain };
}

/** Deletes the application on the organisation, then every keychain entry, kept secret and cache row of it here. */
export async function deleteApp(
  deps: DeletionDeps,
  organisationId: string,
  clientId: string,
): Promise<{ deleted: true; keychainEntriesRemoved: number }> {
  const { workspace, organisations } = deps;
  refuseDeletingAdminApp(organisations.get(organisationId), clientId);
  const name = workspace.registrations.get(organisationId, clientId)?.name;
  await organisations.client(organisationId).deleteApp(clientId);

  const { keychainEntriesRemoved, leftInKeychain } = await discardKeptSecrets(deps, organisationId, clientId);
  workspace.db.transaction(() => {
    workspace.secrets.deleteForClient(organisationId, clientId);
    workspace.registrations.delete(organisationId, clientId);
  })();
  deps.activity.record({
    organisation: organisationId,
    action: 'app.delete',
    target: clientId,
    subject: name ?? null,
    headline: `Deleted ${name ? `“${name}”` : 'an application'}`,
    detail: `Deleted ${name ? `"${name}"` : `application ${clientId}`}; ${keychainEntriesRemoved} keychain ${
      keychainEntriesRemoved === 1 ? 'entry' : 'entries'
    } removed${leftInKeychain.length > 0 ? `; the keychain refused to remove ${leftInKeychain.join(', ')}` : ''}.`,
  });
  deps.changed();
  return { deleted: true, keychainEntriesRemoved };
}
