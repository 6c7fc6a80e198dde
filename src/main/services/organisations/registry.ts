// The organisations this workspace knows: their records, the current one, where each one's sign-in is kept in the
// keychain, and adding and forgetting one.
import type { InputOf } from '../../../shared/contract';
import { AppError, type Issue } from '../../../shared/errors';
import {
  ADMIN_APP_SCOPES,
  type ConnectionCheck,
  type KeychainRef,
  type OrganisationDetails,
  type OrganisationSummary,
} from '../../../shared/model';
import { checkOrganisation } from '../../../shared/rules';
import { organisationInWords } from '../../../shared/organisationInWords';
import type { EventBus } from '../../events';
import { keychainUnavailable } from '../../keychain/keychain';
import type { BrowserOpener, ConfirmByMain, Keychain } from '../../ports';
import { signInWithAccount, type AccountTokens } from '../../organisation/accountSignIn';
import type { OrganisationClient } from '../../organisation/client';
import { endpointsOf } from '../../organisation/endpoints';
import type { OrganisationRecord } from '../../workspace/organisations';
import type { Workspace } from '../../workspace/workspace';
import type { ActivityService } from '../activity';
import { runConnectionChecks } from '../connectionChecks';
import type { OrganisationConnections } from './connections';
import type { AccountSignIns } from './accountSignIns';
import { accountEndpoints, confirmNewHost } from './newHost';
import type { StatusKeeper } from './status';

export const LOCAL_ORGANISATION_ID = 'local';

/** The account's sign-in asks for the admin scopes as user scopes, and offline_access for a refresh token. */
export const ACCOUNT_SCOPES = [...ADMIN_APP_SCOPES, 'offline_access'] as const;

export function summaryOf(t: OrganisationRecord, current: string): OrganisationSummary {
  return {
    id: t.id,
    displayName: t.displayName,
    baseUrl: t.baseUrl,
    orgName: t.orgName,
    isLocal: t.isLocal,
    signIn: t.signIn,
    isCurrent: t.id === current,
  };
}

/**
 * Where a remote organisation's sign-in is kept in the keychain, under the organisation's own account names: the
 * admin application's secret, or the account's refresh token. The embedded organisation's is a kept secret instead.
 */
export function signInRef(
  keychainService: string,
  organisation: Pick<OrganisationRecord, 'id' | 'signIn' | 'adminClientId'>,
): KeychainRef {
  const kind = organisation.signIn === 'account' ? 'refresh-token' : 'admin';
  return { service: keychainService, account: `${organisation.id}/${kind}/${organisation.adminClientId}` };
}

export async function readKeychain(keychain: Keychain, ref: KeychainRef): Promise<string | null> {
  try {
    return await keychain.get(ref.service, ref.account);
  } catch (error) {
    throw keychainUnavailable(error);
  }
}

export async function writeKeychain(keychain: Keychain, ref: KeychainRef, value: string): Promise<void> {
  try {
    await keychain.set(ref.service, ref.account, value);
  } catch (error) {
    throw keychainUnavailable(error);
  }
}

/** The records: one organisation, all of them, the current one, its details, and making one the current one. */
export function organisationRegistry(deps: { workspace: Workspace; keychainService: string }) {
  const { workspace, keychainService } = deps;

  function record(organisationId: string): OrganisationRecord {
    const organisation = workspace.organisations.get(organisationId);
    if (!organisation)
      throw new AppError('not_found', `No organisation named "${organisationId}" is known to this workspace.`, [
        { field: 'organisation', message: `No organisation named "${organisationId}" is known to this workspace.` },
      ]);
    return organisation;
  }

  /** The organisation worked on when none is named: the one last chosen while it exists, else the embedded one. */
  function current(): string {
    const chosen = workspace.settings.currentOrganisation();
    return chosen !== null && workspace.organisations.get(chosen) ? chosen : LOCAL_ORGANISATION_ID;
  }

  function show(organisationId: string): OrganisationDetails {
    const t = record(organisationId);
    const endpoints = endpointsOf(t);
    const kept = workspace.secrets.listForClient(t.id, t.adminClientId).at(-1);
    return {
      ...summaryOf(t, current()),
      partitionGlobalId: t.partitionGlobalId,
      issuer: endpoints.issuer,
      tokenUrl: endpoints.tokenUrl,
      authorizeUrl: endpoints.authorizeUrl,
      adminClientId: t.adminClientId,
      keptSecrets: workspace.secrets.listForOrganisation(t.id).length,
      adminSecret:
        t.signIn !== 'embedded'
          ? signInRef(keychainService, t)
          : // Not kept: the keychain refused the secret at start; it lives in memory for this session only.
            (kept?.keychain ?? { service: keychainService, account: '(not in the keychain)' }),
    };
  }

  return {
    get: record,
    current,
    show,
    list(): OrganisationSummary[] {
      const now = current();
      return workspace.organisations.list().map((t) => summaryOf(t, now));
    },
    /** Makes an organisation the current one, for the window and the CLI alike (it is kept in the workspace). */
    use(organisationId: string): { current: string } {
      record(organisationId);
      workspace.settings.setCurrentOrganisation(organisationId === LOCAL_ORGANISATION_ID ? null : organisationId);
      return { current: organisationId };
    },
  };
}
export type OrganisationRegistry = ReturnType<typeof organisationRegistry>;

/** What adding and forgetting an organisation reach: the records, the connections, the status, the keychain. */
export interface MembershipParts {
  workspace: Workspace;
  keychain: Keychain;
  keychainService: string;
  activity: ActivityService;
  events: EventBus;
  registry: OrganisationRegistry;
  connections: OrganisationConnections;
  status: StatusKeeper;
  fetch?: typeof fetch;
  /** The system browser, for signing in with an account; without it only an admin application can be added. */
  openBrowser?: BrowserOpener;
  /** The one sign-in in the browser main waits for: the window cancels it, opens it again, copies its link. */
  accountSignIns: AccountSignIns;
  /** Main's own confirmation of a new organisation's host, before anything is sent to it (newHost.ts). */
  confirm?: ConfirmByMain;
  /** Called before an organisation is forgotten: a sync of it stops. */
  removing(organisationId: string): void;
}

/** The input's faults, each on its field, before anything is asked of the keychain or the organisation. */
function addIssues(
  workspace: Workspace,
  input: InputOf<'addOrganisation'>,
): { issues: Issue[]; baseUrl: string | null } {
  const verdict = checkOrganisation({
    ...input,
    method: input.signIn.method,
    clientId: input.signIn.clientId,
    clientSecret: input.signIn.method === 'adminApp' ? input.signIn.clientSecret : undefined,
  });
  // The contract names the sign-in's fields under signIn.
  const issues = verdict.errors.map((issue) =>
    issue.field === 'clientId' || issue.field === 'clientSecret' ? { ...issue, field: `signIn.${issue.field}` } : issue,
  );
  if (workspace.organisations.get(input.id))
    issues.push({
      field: 'id',
      message: `An organisation with ID "${input.id}" is already known to this workspace; choose another ID.`,
    });
  return { issues, baseUrl: verdict.baseUrl };
}

function newRecord(input: InputOf<'addOrganisation'>, baseUrl: string): OrganisationRecord {
  const orgName = input.orgName.trim();
  return {
    id: input.id,
    displayName: input.displayName.trim() || orgName,
    baseUrl,
    orgName,
    partitionGlobalId: input.partitionGlobalId?.trim() ?? '',
    adminClientId: input.signIn.clientId.trim(),
    isLocal: false,
    signIn: input.signIn.method,
  };
}

/**
 * The admin's sign-in in the system browser, for adding an organisation or changing its sign-in: the sign-in page of the
 * confirmed host's own discovery document, never an address the page sent.
 */
export async function signInInBrowser(parts: MembershipParts, record: OrganisationRecord): Promise<AccountTokens> {
  if (!parts.openBrowser || parts.openBrowser.canOpen?.() === false)
    throw AppError.invalid([
      {
        field: 'signIn',
        message:
          'Signing in with your account needs the system browser, which is not available here; use an admin application instead.',
      },
    ]);
  const endpoints = await accountEndpoints(parts.connections.newClient(record), record);
  const openBrowser = parts.openBrowser;
  const signedIn = await parts.accountSignIns.run((onWaiting) =>
    signInWithAccount({
      ...{ endpoints, orgName: record.orgName, clientId: record.adminClientId },
      ...{ scopes: ACCOUNT_SCOPES, openBrowser, fetch: parts.fetch, onWaiting },
    }),
  );
  return signedIn;
}

/** Puts the sign-in in the keychain: the admin secret as given, or the refresh token of a sign-in in the browser. */
async function keepSignIn(
  parts: MembershipParts,
  input: InputOf<'addOrganisation'>,
  record: OrganisationRecord,
): Promise<AccountTokens | undefined> {
  const ref = signInRef(parts.keychainService, record);
  if (input.signIn.method === 'adminApp') {
    await writeKeychain(parts.keychain, ref, input.signIn.clientSecret);
    return undefined;
  }
  const signedIn = await signInInBrowser(parts, record);
  await writeKeychain(parts.keychain, ref, signedIn.refreshToken);
  return signedIn;
}

/** The organisation refusing the admin application's token: said on the App secret field, which is what to change. */
export function refusedSecret(error: unknown, record: OrganisationRecord): unknown {
  if (!(error instanceof AppError) || error.code !== 'unauthorized' || record.signIn !== 'adminApp') return error;
  const name = organisationInWords(record);
  return new AppError('unauthorized', error.message, [
    {
      field: 'signIn.clientSecret',
      message: `${name} refused this secret. Check the App ID, and paste the admin application's current secret.`,
    },
  ]);
}

/** A token proves the sign-in works, and names the partition (prt_id) when it was not given. */
async function learnPartition(client: OrganisationClient, record: OrganisationRecord): Promise<void> {
  // The client reads the partition from `record` when it calls the API, so learning it from the token here is enough.
  const claims = await client.tokenClaims().catch((error: unknown) => {
    throw refusedSecret(error, record);
  });
  if (record.partitionGlobalId !== '') return;
  if (typeof claims.prt_id !== 'string' || claims.prt_id === '')
    throw AppError.invalid([
      {
        field: 'partitionGlobalId',
        message: `${organisationInWords(record)}'s token does not say its partitionGlobalId (no prt_id claim); type it (the organisation's ID, a GUID).`,
      },
    ]);
  record.partitionGlobalId = claims.prt_id;
}

/**
 * Adds an organisation: the sign-in (admin secret or refresh token) goes to the keychain, a token proves it works
 * and names the partition (prt_id) when it was not given, and only then is the organisation recorded. If any of that
 * fails, nothing is recorded and the keychain entry goes. Answers the connection checks.
 */
export async function addOrganisation(
  parts: MembershipParts,
  input: InputOf<'addOrganisation'>,
): Promise<{ organisation: OrganisationSummary; checks: ConnectionCheck[] }> {
  const { issues, baseUrl } = addIssues(parts.workspace, input);
  if (issues.length > 0 || baseUrl === null) throw AppError.invalid(issues);
  const record = newRecord(input, baseUrl);
  await confirmNewHost(parts.confirm, parts.workspace, record);
  const ref = signInRef(parts.keychainService, record);
  const added = parts.connections.newClient(record, await keepSignIn(parts, input, record));
  try {
    await learnPartition(added, record);
  } catch (error) {
    await parts.keychain.delete(ref.service, ref.account).catch(() => false);
    parts.status.forget(record.id);
    throw error;
  }

  parts.workspace.organisations.save(record);
  parts.connections.adopt(record.id, added);
  parts.status.publish(record.id);
  parts.events.emit('organisationDataChanged', { organisation: record.id, what: 'organisations' });
  parts.activity.record({
    organisation: record.id,
    action: 'organisation.add',
    target: record.orgName,
    headline: `Added the organisation ${record.displayName}`,
    detail: `Added ${record.displayName} (${record.baseUrl}, organisation ${record.orgName}, partition ${record.partitionGlobalId}); signs in with ${
      record.signIn === 'account' ? 'your account through' : 'the admin application'
    } ${record.adminClientId}, kept in the keychain as ${ref.service} / ${ref.account}.`,
  });
  return { organisation: summaryOf(record, parts.registry.current()), checks: await runConnectionChecks(added) };
}
