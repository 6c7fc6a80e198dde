// The connections to the organisations: a OrganisationClient each (made once and kept, so its token is reused), the token
// source each one signs in with, and the embedded organisation's admin secret when only memory could hold it.
import { AppError } from '../../../shared/errors';
import { organisationInWords } from '../../../shared/organisationInWords';
import { keychainRefusal } from '../../keychain/keychain';
import type { Keychain } from '../../ports';
import type { AccountTokens } from '../../organisation/accountSignIn';
import { OrganisationClient } from '../../organisation/client';
import { endpointsOf } from '../../organisation/endpoints';
import { accountSource, clientCredentialsSource, type TokenSource } from '../../organisation/tokens';
import type { OrganisationRecord } from '../../workspace/organisations';
import type { Workspace } from '../../workspace/workspace';
import type { IssuedSecret } from '../localOrganisationBootstrap';
import type { SecretKeeping } from '../secretKeeping';
import { readKeychain, signInRef, writeKeychain } from './registry';
import type { StatusKeeper } from './status';

export interface ConnectionDeps {
  workspace: Workspace;
  keychain: Keychain;
  keychainService: string;
  secretKeeping: SecretKeeping;
  status: StatusKeeper;
  /** The organisation's record; throws not_found for one the workspace does not know. */
  record(organisationId: string): OrganisationRecord;
  fetch?: typeof fetch;
}

interface ConnectionState extends ConnectionDeps {
  clients: Map<string, OrganisationClient>;
  /** Only when the keychain refused the admin secret at start: the session keeps working, and it is written nowhere. */
  adminSecretsInMemory: Map<string, string>;
}

/** The embedded organisation's admin secret: the in-memory hold, else the newest of its kept secrets. */
async function readAdminSecret(state: ConnectionState, organisation: OrganisationRecord): Promise<string | null> {
  const inMemory = state.adminSecretsInMemory.get(organisation.id);
  if (inMemory) return inMemory;
  const ref = state.workspace.secrets.listForClient(organisation.id, organisation.adminClientId).at(-1)?.keychain;
  return ref ? state.keychain.get(ref.service, ref.account) : null;
}

async function keepAdminSecret(
  state: ConnectionState,
  organisationId: string,
  clientId: string,
  secret: IssuedSecret,
): Promise<void> {
  const kept = await state.secretKeeping.keep({ organisationId, clientId, secretId: secret.id, value: secret.value });
  if (kept.stored) return;
  // The admin secret has no dialog to wait in; hold it for this session only.
  state.adminSecretsInMemory.set(organisationId, secret.value);
  if (kept.pendingId)
    state.secretKeeping.dismiss(kept.pendingId, 'the admin secret is held in memory until the app closes');
}

/** The organisation's admin secret, read from the keychain (or the in-memory hold) for each token, never cached here. */
function adminSecretOf(state: ConnectionState, organisation: OrganisationRecord): () => Promise<string> {
  return async () => {
    const secret =
      organisation.signIn === 'embedded'
        ? await readAdminSecret(state, organisation)
        : await readKeychain(state.keychain, signInRef(state.keychainService, organisation));
    if (secret === null) {
      // A locked keychain answers every read with "no entry": a write tells which it is.
      const refusal = await keychainRefusal(state.keychain, state.keychainService);
      if (refusal) throw refusal;
      throw new AppError(
        'unauthorized',
        `The keychain holds no secret of the admin application of ${organisationInWords(organisation)}; change its sign-in in organisation settings (oauth-desk orgs sign-in).`,
      );
    }
    return secret;
  };
}

/** How the organisation signs in: its admin application's secret, or the account's refresh token in the keychain. */
function tokenSourceOf(
  state: ConnectionState,
  organisation: OrganisationRecord,
  signedIn?: AccountTokens,
): TokenSource {
  const place = {
    tokenUrl: endpointsOf(organisation).tokenUrl,
    inWords: organisationInWords(organisation),
    clientId: organisation.adminClientId,
  };
  if (organisation.signIn !== 'account')
    return clientCredentialsSource({ ...place, secret: adminSecretOf(state, organisation) });
  const ref = signInRef(state.keychainService, organisation);
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
function newClient(
  state: ConnectionState,
  organisation: OrganisationRecord,
  signedIn?: AccountTokens,
): OrganisationClient {
  return new OrganisationClient({
    connection: organisation,
    inWords: organisationInWords(organisation),
    fetch: state.fetch,
    tokens: tokenSourceOf(state, organisation, signedIn),
    onReachability: (reach) => state.status.reachability(organisation.id, reach),
    onRateLimitWait: (untilMs) => state.status.rateLimitWait(organisation.id, untilMs),
  });
}

/** The HTTP client of an organisation, made once and kept, so its admin token is reused until it expires. */
function clientOf(state: ConnectionState, organisationId: string): OrganisationClient {
  const existing = state.clients.get(organisationId);
  if (existing) return existing;
  const created = newClient(state, state.record(organisationId));
  state.clients.set(organisationId, created);
  return created;
}

export function organisationConnections(deps: ConnectionDeps) {
  const state: ConnectionState = { ...deps, clients: new Map(), adminSecretsInMemory: new Map() };
  return {
    client: (organisationId: string): OrganisationClient => clientOf(state, organisationId),
    /**
     * A client of `organisation` not kept yet (an organisation being added, a secret being tried); an account's first
     * sign-in gives it its first tokens.
     */
    newClient: (organisation: OrganisationRecord, signedIn?: AccountTokens): OrganisationClient =>
      newClient(state, organisation, signedIn),
    /** Keeps `client` as the organisation's: the one that proved the sign-in keeps its token. */
    adopt(organisationId: string, client: OrganisationClient): void {
      state.clients.set(organisationId, client);
    },
    /** Forgets the organisation's client: the next call makes one for its record as it is now. */
    drop(organisationId: string): void {
      state.clients.delete(organisationId);
    },
    readAdminSecret: (organisation: OrganisationRecord) => readAdminSecret(state, organisation),
    keepAdminSecret: (organisationId: string, clientId: string, secret: IssuedSecret) =>
      keepAdminSecret(state, organisationId, clientId, secret),
    /** Whether the organisation's admin secret lives only in memory this session (the keychain refused it). */
    holdsInMemory: (organisationId: string): boolean => state.adminSecretsInMemory.has(organisationId),
    forgetSecretsInMemory(): void {
      state.adminSecretsInMemory.clear();
    },
  };
}
export type OrganisationConnections = ReturnType<typeof organisationConnections>;
