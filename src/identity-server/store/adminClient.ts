// The local admin external application OAuth Desk calls the management API with: created once, repaired, reissued.
import { ADMIN_APP_SCOPES, USER_ADMIN_SCOPE } from '../../shared/model';
import type { ClientRecord, ClientStore, SecretRequest } from './clients';
import type { IdentityDatabase } from './database';
import { loadOrganization, recordAdminClient, type Organization } from './organization';

/** The admin application, with a new secret's value when one was just issued. */
export interface EnsuredAdminClient {
  clientId: string;
  secret: { id: string; value: string } | null;
}

const ADMIN_CLIENT_NAME = 'OAuth Desk admin';
/** The local admin application manages applications and secrets, and the local organisation's users too. */
const LOCAL_ADMIN_SCOPES = [...ADMIN_APP_SCOPES, USER_ADMIN_SCOPE] as const;
const ADMIN_SECRET: SecretRequest = { description: `${ADMIN_CLIENT_NAME} secret`, expiryTime: null };

/**
 * Creates the admin application if the organisation has none (with its first secret), or gives the existing one any
 * admin scope it lacks and, when `reissueSecret` is true, a new secret (the keychain lost the old one).
 */
export function ensureAdminClient(
  db: IdentityDatabase,
  clients: ClientStore,
  organization: Pick<Organization, 'name' | 'partitionGlobalId'>,
  request: { reissueSecret?: boolean } = {},
): EnsuredAdminClient {
  const current = loadOrganization(db, organization.name).adminClientId;
  const existing = current ? clients.get(current) : null;
  if (!existing) return createAdminClient(db, clients, organization.partitionGlobalId);
  grantMissingAdminScopes(clients, existing);
  if (!request.reissueSecret) return { clientId: existing.id, secret: null };
  const issued = clients.addSecret(existing.id, ADMIN_SECRET);
  return { clientId: existing.id, secret: { id: issued.record.id, value: issued.value } };
}

function createAdminClient(db: IdentityDatabase, clients: ClientStore, partitionGlobalId: string): EnsuredAdminClient {
  const created = clients.create(
    partitionGlobalId,
    {
      name: ADMIN_CLIENT_NAME,
      isConfidential: true,
      redirectUri: null,
      scopes: LOCAL_ADMIN_SCOPES.map((name) => ({ name, type: 'application' })),
    },
    ADMIN_SECRET,
  );
  recordAdminClient(db, created.client.id);
  if (!created.secret) throw new Error('The admin application was created without its first secret.');
  return { clientId: created.client.id, secret: { id: created.secret.record.id, value: created.secret.value } };
}

/** A server created before an admin scope existed gives its admin app that scope now. */
function grantMissingAdminScopes(clients: ClientStore, admin: ClientRecord): void {
  const missing = LOCAL_ADMIN_SCOPES.filter(
    (name) => !admin.scopes.some((s) => s.type === 'application' && s.name === name),
  );
  if (missing.length === 0) return;
  const { id: _id, partitionGlobalId: _partition, secrets: _secrets, ...draft } = admin;
  clients.update(admin.id, {
    ...draft,
    scopes: [...draft.scopes, ...missing.map((name) => ({ name, type: 'application' as const }))],
  });
}
