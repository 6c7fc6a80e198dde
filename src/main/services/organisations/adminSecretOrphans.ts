// The embedded organisation's admin secrets that no keychain entry holds: issued at a start whose keychain then
// refused them (so they lived only in that process's memory), or whose entry was deleted since. Nothing can ever sign
// in with them again, and they never expire, so a start that can reach the keychain deletes them on the server.
import { secretRef } from '../../keychain/keychain';
import type { Keychain } from '../../ports';
import type { OrganisationRecord } from '../../workspace/organisations';
import type { Workspace } from '../../workspace/workspace';
import type { ActivityService } from '../activity';
import type { OrganisationConnections } from './connections';

export interface OrphanParts {
  workspace: Workspace;
  keychain: Keychain;
  keychainService: string;
  connections: OrganisationConnections;
  activity: ActivityService;
}

/** Whether the keychain holds the value of the admin secret `secretId`: under its kept record's entry, or its own. */
async function held(parts: OrphanParts, organisation: OrganisationRecord, secretId: string): Promise<boolean> {
  const kept = parts.workspace.secrets.get(organisation.id, secretId)?.keychain;
  const own = secretRef(parts.keychainService, organisation.id, organisation.adminClientId, secretId);
  for (const ref of kept ? [kept, own] : [own])
    if ((await parts.keychain.get(ref.service, ref.account)) !== null) return true;
  return false;
}

/**
 * Deletes the admin secrets of the embedded `organisation` that no keychain entry holds; answers how many. Called only
 * once the keychain has just accepted a write (a locked one answers every read with "no entry"), and never deletes
 * the last secret: one the keychain holds is the one OAuth Desk signs in with.
 */
export async function deleteOrphanAdminSecrets(parts: OrphanParts, organisation: OrganisationRecord): Promise<number> {
  const client = parts.connections.client(organisation.id);
  const { secrets } = await client.getApp(organisation.adminClientId);
  const orphans: string[] = [];
  for (const secret of secrets) if (!(await held(parts, organisation, secret.id))) orphans.push(secret.id);
  if (orphans.length === 0 || orphans.length === secrets.length) return 0;
  for (const secretId of orphans) {
    await client.deleteSecret(secretId);
    parts.workspace.secrets.delete(organisation.id, secretId);
  }
  const one = orphans.length === 1;
  parts.activity.record({
    organisation: organisation.id,
    action: 'secret.delete',
    target: organisation.adminClientId,
    headline: `Deleted ${one ? 'an admin secret' : `${orphans.length} admin secrets`} no keychain entry held`,
    detail: `Nothing could sign in with ${one ? 'it' : 'them'} any more (issued while the keychain refused to store ${one ? 'it' : 'them'}): ${orphans.join(', ')}.`,
  });
  return orphans.length;
}
