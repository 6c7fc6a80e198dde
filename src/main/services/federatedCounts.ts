// At sync, the list learns which applications are secretless without one request per application: only confidential
// applications without a secret can be (an application with a secret is never marked), and of those at most
// SYNC_FEDERATED_LOOKUPS_MAX per sync, the ones whose count is not known yet first. Any other application keeps the
// count last read (when its page listed its credentials, or they were added or deleted here), or none: not known.
import type { OrganisationClient } from '../organisation/client';
import { writeIfPossible } from '../workspace/unwritable';
import type { Workspace } from '../workspace/workspace';

/** The most federated credential lists one sync asks for. */
export const SYNC_FEDERATED_LOOKUPS_MAX = 50;

/**
 * Reads the federated credential count of the organisation's confidential applications without a secret (up to
 * `max`) into the cache. The first refusal ends it (an admin without the scope would be refused for each one): the
 * counts not read stay as they were. Answers how many were read.
 */
export async function fillFederatedCounts(
  workspace: Workspace,
  client: OrganisationClient,
  organisationId: string,
  options: { stopped: () => boolean; max?: number },
): Promise<number> {
  const clientIds = workspace.registrations.confidentialWithoutSecret(
    organisationId,
    options.max ?? SYNC_FEDERATED_LOOKUPS_MAX,
  );
  let read = 0;
  for (const clientId of clientIds) {
    if (options.stopped()) break;
    try {
      const count = (await client.federatedCredentials(clientId).list()).length;
      writeIfPossible(() => workspace.registrations.setFederatedCredentialCount(organisationId, clientId, count));
      read++;
    } catch {
      break;
    }
  }
  return read;
}
