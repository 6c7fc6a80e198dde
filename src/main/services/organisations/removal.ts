// Forgetting an organisation never deletes an application secret silently: by default its secrets stay in the
// keychain, each under its own entry, and are listed as kept secrets of removed organisations, from which the admin
// copies (through main's clipboard, as every secret copy) or deletes each one. Deleting them with the organisation is
// an explicit choice (`secrets: 'delete'`).
import { AppError } from '../../../shared/errors';
import { reclaimSpace } from '../../workspace/reclaim';
import type { KeptSecretOfRemoved } from '../../../shared/model';
import type { SecretClipboard } from '../../clipboard/clipboard';
import { keychainUnavailable } from '../../keychain/keychain';
import type { Keychain } from '../../ports';
import type { Workspace } from '../../workspace/workspace';
import type { ActivityService } from '../activity';
import { signInRef, type MembershipParts } from './registry';

async function deleteEntry(keychain: Keychain, ref: { service: string; account: string }): Promise<boolean> {
  try {
    return await keychain.delete(ref.service, ref.account);
  } catch (error) {
    throw keychainUnavailable(error);
  }
}

function entries(count: number): string {
  return `${count} keychain ${count === 1 ? 'entry' : 'entries'}`;
}

/**
 * Forgets an organisation: the keychain entry of its sign-in first (so that a refusing keychain leaves everything as
 * it was, to try again), and its application secrets' entries too when `secrets` is 'delete'; else they are listed as
 * kept. Then its record and cache go. Nothing changes on the server.
 */
export async function removeOrganisation(
  parts: MembershipParts,
  organisationId: string,
  secrets: 'keep' | 'delete' = 'keep',
): Promise<{ removed: true; keychainEntriesRemoved: number; secretsKept: number }> {
  const { workspace, keychain } = parts;
  const organisation = parts.registry.get(organisationId);
  if (organisation.isLocal)
    throw AppError.invalid([
      { field: 'organisation', message: 'The embedded organisation cannot be removed; it is where OAuth Desk starts.' },
    ]);
  parts.removing(organisationId);
  const appSecrets = workspace.secrets.listForOrganisation(organisationId);
  const refs = [
    ...(secrets === 'delete' ? appSecrets.map((k) => k.keychain) : []),
    signInRef(parts.keychainService, organisation),
  ];
  let keychainEntriesRemoved = 0;
  for (const ref of refs) if (await deleteEntry(keychain, ref)) keychainEntriesRemoved++;
  const removedAt = new Date().toISOString();
  const kept: KeptSecretOfRemoved[] =
    secrets === 'keep'
      ? appSecrets.map((k) => ({
          organisationId,
          organisationName: organisation.displayName || organisation.orgName,
          clientId: k.clientId,
          appName: workspace.registrations.get(organisationId, k.clientId)?.name ?? null,
          secretId: k.secretId,
          keychain: k.keychain,
          createdAt: k.createdAt,
          expiresAt: k.expiresAt,
          removedAt,
        }))
      : [];
  workspace.db.transaction(() => {
    workspace.keptSecretsOfRemoved.add(kept);
    workspace.organisations.delete(organisationId);
    if (workspace.settings.currentOrganisation() === organisationId) workspace.settings.setCurrentOrganisation(null);
  })();
  // Its cached applications may have been many: the file gives their space back, not only the rows.
  reclaimSpace(workspace.db);
  parts.connections.drop(organisationId);
  parts.status.forget(organisationId);
  parts.events.emit('organisationDataChanged', { organisation: organisationId, what: 'organisations' });
  parts.activity.record({
    organisation: organisationId,
    action: 'organisation.remove',
    target: organisation.orgName,
    headline: `Removed the organisation ${organisation.displayName} from this workspace`,
    detail: `Removed ${organisation.displayName} (${organisation.baseUrl}, ${organisation.orgName}) from this workspace; ${entries(
      keychainEntriesRemoved,
    )} removed${
      kept.length > 0 ? `; ${kept.length} application secrets kept in the keychain, listed as kept secrets` : ''
    }; nothing changed on the server.`,
  });
  return { removed: true, keychainEntriesRemoved, secretsKept: kept.length };
}

export interface KeptSecretsDeps {
  workspace: Workspace;
  keychain: Keychain;
  activity: ActivityService;
  /** Absent where there is no clipboard to put a secret on (the CLI). */
  clipboard?: SecretClipboard;
}

/** The kept secrets of removed organisations: listed, copied to the clipboard through main, deleted one by one. */
export function keptSecretsService(deps: KeptSecretsDeps) {
  const { workspace, keychain } = deps;

  function named(account: string): KeptSecretOfRemoved {
    const kept = workspace.keptSecretsOfRemoved.get(account);
    if (!kept)
      throw new AppError('not_found', 'No kept secret of a removed organisation has that keychain entry.', [
        { field: 'account', message: 'No kept secret of a removed organisation has that keychain entry.' },
      ]);
    return kept;
  }

  return {
    list: (): KeptSecretOfRemoved[] => workspace.keptSecretsOfRemoved.list(),
    /** Keychain → main → clipboard, cleared after a while; the value never reaches the page. */
    async copy(account: string): Promise<{ copied: true; clearAfterSeconds: number }> {
      const kept = named(account);
      if (!deps.clipboard)
        throw new AppError(
          'invalid_input',
          `There is no clipboard here to copy a secret to. Read it from the keychain instead: ${kept.keychain.service} / ${kept.keychain.account}.`,
        );
      let value: string | null;
      try {
        value = await keychain.get(kept.keychain.service, kept.keychain.account);
      } catch (error) {
        throw keychainUnavailable(error);
      }
      if (value === null)
        throw new AppError(
          'not_found',
          `The keychain no longer holds ${kept.keychain.service} / ${kept.keychain.account}; delete it from this list.`,
        );
      await deps.clipboard.put(value);
      deps.activity.record({
        organisation: kept.organisationId,
        action: 'secret.copy',
        target: kept.clientId,
        subject: kept.appName,
        headline: `Copied a kept secret of the removed organisation ${kept.organisationName} to the clipboard`,
        detail: `Secret ${kept.secretId} of ${kept.appName ?? kept.clientId} copied to the clipboard, to be cleared after ${deps.clipboard.clearAfterSeconds} s.`,
      });
      return { copied: true, clearAfterSeconds: deps.clipboard.clearAfterSeconds };
    },
    /** Deletes the keychain entry, then forgets it. Nothing changes on any server. */
    async delete(account: string): Promise<{ deleted: true }> {
      const kept = named(account);
      await deleteEntry(keychain, kept.keychain);
      workspace.keptSecretsOfRemoved.remove(account);
      deps.activity.record({
        organisation: kept.organisationId,
        action: 'secret.delete',
        target: kept.clientId,
        subject: kept.appName,
        headline: `Deleted a kept secret of the removed organisation ${kept.organisationName} from the keychain`,
        detail: `Keychain entry ${kept.keychain.service} / ${kept.keychain.account} (secret ${kept.secretId} of ${
          kept.appName ?? kept.clientId
        }) deleted; nothing changed on the server.`,
      });
      return { deleted: true };
    },
  };
}
export type KeptSecretsService = ReturnType<typeof keptSecretsService>;
