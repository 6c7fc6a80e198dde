// The connections to the organisations: a TenantClient each (made once and kept, so its token is reused), the token
// source each one signs in with, and the embedded organisation's admin secret when only memory could hold it.
import { AppError } from '../../../shared/errors';
import type { Keychain } from '../../ports';
import type { AccountTokens } from '../../tenant/accountSignIn';
import { TenantClient } from '../../tenant/client';
import { endpointsOf } from '../../tenant/endpoints';
import { accountSource, clientCredentialsSource, type TokenSource } from '../../tenant/tokens';
import type { TenantRecord } from '../../workspace/tenants';
import type { Workspace } from '../../workspace/workspace';
import type { IssuedSecret } from '../localTenantBootstrap';
import type { SecretKeeping } from '../secretKeeping';
import { readKeychain, signInRef, writeKeychain } from './registry';
import type { OrganisationStatus } from './status';

export interface ConnectionDeps {
  workspace: Workspace;
  keychain: Keychain;
  keychainService: string;
  secretKeeping: SecretKeeping;
  status: OrganisationStatus;
  /** The organisation's record; throws not_found for one the workspace does not know. */
  record(tenantId: string): TenantRecord;
  fetch?: typeof fetch;
}

interface ConnectionState extends ConnectionDeps {
  clients: Map<string, TenantClient>;
  /** Only when the keychain refused the admin secret at start: the session keeps working, and it is written nowhere. */
  adminSecretsInMemory: Map<string, string>;
}

/** The embedded organisation's admin secret: the in-memory hold, else the newest of its kept secrets. */
async function readAdminSecret(state: ConnectionState, tenant: TenantRecord): Promise<string | null> {
  const inMemory = state.adminSecretsInMemory.get(tenant.id);
  if (inMemory) return inMemory;
  const ref = state.workspace.secrets.listForClient(tenant.id, tenant.adminClientId).at(-1)?.keychain;
  return ref ? state.keychain.get(ref.service, ref.account) : null;
}

async function keepAdminSecret(
  state: ConnectionState,
  tenantId: string,
  clientId: string,
  secret: IssuedSecret,
): Promise<void> {
  const kept = await state.secretKeeping.keep({ tenantId, clientId, secretId: secret.id, value: secret.value });
  if (kept.stored) return;
  // The admin secret has no dialog to wait in; hold it for this session only.
  state.adminSecretsInMemory.set(tenantId, secret.value);
  if (kept.pendingId)
    state.secretKeeping.dismiss(kept.pendingId, 'the admin secret is held in memory until the app closes');
}

/** The organisation's admin secret, read from the keychain (or the in-memory hold) for each token, never cached here. */
function adminSecretOf(state: ConnectionState, tenant: TenantRecord): () => Promise<string> {
  return async () => {
    const secret =
      tenant.signIn === 'embedded'
        ? await readAdminSecret(state, tenant)
        : await readKeychain(state.keychain, signInRef(state.keychainService, tenant));
    if (secret === null)
      throw new AppError(
        'unauthorized',
        `The keychain holds no secret of the admin application of ${tenant.orgName}; remove the organisation and add it again.`,
      );
    return secret;
  };
}

/** How the organisation signs in: its admin application's secret, or the account's refresh token in the keychain. */
function tokenSourceOf(state: ConnectionState, tenant: TenantRecord, signedIn?: AccountTokens): TokenSource {
  const place = { tokenUrl: endpointsOf(tenant).tokenUrl, orgName: tenant.orgName, clientId: tenant.adminClientId };
  if (tenant.signIn !== 'account') return clientCredentialsSource({ ...place, secret: adminSecretOf(state, tenant) });
  const ref = signInRef(state.keychainService, tenant);
  return accountSource({
    ...place,
    refreshToken: {
      read: () => readKeychain(state.keychain, ref),
      write: (value) => writeKeychain(state.keychain, ref, value),
    },
    initial: signedIn,
  });
}

/** An organisation's HTTP client, reporting every answer (or silence) and every rate-limit wait to its status. */
function newClient(state: ConnectionState, tenant: TenantRecord, signedIn?: AccountTokens): TenantClient {
  return new TenantClient({
    connection: tenant,
    fetch: state.fetch,
    tokens: tokenSourceOf(state, tenant, signedIn),
    onReachability: (reach) => state.status.reachability(tenant.id, reach),
    onRateLimitWait: (untilMs) => state.status.rateLimitWait(tenant.id, untilMs),
  });
}

/** The HTTP client of an organisation, made once and kept, so its admin token is reused until it expires. */
function clientOf(state: ConnectionState, tenantId: string): TenantClient {
  const existing = state.clients.get(tenantId);
  if (existing) return existing;
  const created = newClient(state, state.record(tenantId));
  state.clients.set(tenantId, created);
  return created;
}

export function organisationConnections(deps: ConnectionDeps) {
  const state: ConnectionState = { ...deps, clients: new Map(), adminSecretsInMemory: new Map() };
  return {
    client: (tenantId: string): TenantClient => clientOf(state, tenantId),
    /**
     * A client of `tenant` not kept yet (an organisation being added, a secret being tried); an account's first
     * sign-in gives it its first tokens.
     */
    newClient: (tenant: TenantRecord, signedIn?: AccountTokens): TenantClient => newClient(state, tenant, signedIn),
    /** Keeps `client` as the organisation's: the one that proved the sign-in keeps its token. */
    adopt(tenantId: string, client: TenantClient): void {
      state.clients.set(tenantId, client);
    },
    /** Forgets the organisation's client: the next call makes one for its record as it is now. */
    drop(tenantId: string): void {
      state.clients.delete(tenantId);
    },
    readAdminSecret: (tenant: TenantRecord) => readAdminSecret(state, tenant),
    keepAdminSecret: (tenantId: string, clientId: string, secret: IssuedSecret) =>
      keepAdminSecret(state, tenantId, clientId, secret),
    forgetSecretsInMemory(): void {
      state.adminSecretsInMemory.clear();
    },
  };
}
export type OrganisationConnections = ReturnType<typeof organisationConnections>;
