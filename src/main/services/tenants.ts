// The tenants service: the organisations this workspace knows (the embedded one bootstrapped at start, others added
// with an admin application or the admin's account), the current one, a TenantClient each and what is known of each
// one's reachability.
import type { InputOf, organisationOperations } from '../../shared/contract';
import type { HandlersOf } from '../dispatch';
import type { Services } from './index';
import { AppError, type Issue } from '../../shared/errors';
import {
  ADMIN_APP_SCOPES,
  type ConnectionCheck,
  type KeychainRef,
  type TenantDetails,
  type TenantStatus,
  type TenantSummary,
} from '../../shared/model';
import { checkOrganisation } from '../../shared/rules';
import { keychainUnavailable } from '../keychain/keychain';
import type { BrowserOpener, Keychain } from '../ports';
import { signInWithAccount } from '../tenant/accountSignIn';
import { TenantClient, type Reachability } from '../tenant/client';
import { endpointsOf } from '../tenant/endpoints';
import { accountSource, clientCredentialsSource, type TokenSource } from '../tenant/tokens';
import type { Workspace } from '../workspace/workspace';
import type { TenantRecord } from '../workspace/tenants';
import type { ActivityService } from './activity';
import { runConnectionChecks } from './connectionChecks';
import { planLocalTenant, type AdminSecretFinding, type IssuedSecret } from './localTenantBootstrap';
import type { SecretKeeping } from './secretKeeping';

export const LOCAL_TENANT_ID = 'local';

/** The account's sign-in asks for the admin scopes as user scopes, and offline_access for a refresh token. */
const ACCOUNT_SCOPES = [...ADMIN_APP_SCOPES, 'offline_access'] as const;

/** The embedded Identity Server as the tenants service sees it. */
export interface LocalServer {
  baseUrl: string;
  orgName: string;
  partitionGlobalId: string;
  /** Present when this process runs the server; absent when another process of this data folder runs it. */
  ensureAdminClient?: (options?: { reissueSecret?: boolean }) => Promise<{
    clientId: string;
    secret: IssuedSecret | null;
  }>;
}

export interface TenantServiceDeps {
  workspace: Workspace;
  keychain: Keychain;
  keychainService: string;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  fetch?: typeof fetch;
  /** The system browser, for signing in with an account; without it only an admin application can be added. */
  openBrowser?: BrowserOpener;
}

/** What this session knows of an organisation beyond the workspace: kept in memory, asked by the header. */
interface LiveStatus {
  online: boolean | null;
  lastError: string | null;
  sync: { done: number; total: number | null } | null;
  rateLimitedUntil: number | null;
  /** How many requests are waiting out a 429 now: the wait shows until the last one goes on. */
  waiting: number;
  /** Ends the sync under way. */
  stopSync: AbortController | null;
}

function summaryOf(t: TenantRecord, current: string): TenantSummary {
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

export function tenantService(deps: TenantServiceDeps) {
  const { workspace, keychain, keychainService, secretKeeping, activity } = deps;
  const clients = new Map<string, TenantClient>();
  const statuses = new Map<string, LiveStatus>();
  // Only when the keychain refused the admin secret at start: the session keeps working, and the secret is not written anywhere.
  const adminSecretsInMemory = new Map<string, string>();

  function tenantRecord(tenantId: string): TenantRecord {
    const tenant = workspace.tenants.get(tenantId);
    if (!tenant)
      throw new AppError('not_found', `No tenant named "${tenantId}" is known to this workspace.`, [
        { field: 'tenant', message: `No tenant named "${tenantId}" is known to this workspace.` },
      ]);
    return tenant;
  }

  /** Where the admin application's current secret is kept: the newest of its kept secrets. */
  function adminSecretRef(tenant: TenantRecord): KeychainRef | null {
    return workspace.secrets.listForClient(tenant.id, tenant.adminClientId).at(-1)?.keychain ?? null;
  }

  async function readAdminSecret(tenant: TenantRecord): Promise<string | null> {
    const inMemory = adminSecretsInMemory.get(tenant.id);
    if (inMemory) return inMemory;
    const ref = adminSecretRef(tenant);
    return ref ? keychain.get(ref.service, ref.account) : null;
  }

  async function keepAdminSecret(tenantId: string, clientId: string, secret: IssuedSecret): Promise<void> {
    const kept = await secretKeeping.keep({ tenantId, clientId, secretId: secret.id, value: secret.value });
    if (!kept.stored) {
      // The admin secret has no dialog to wait in; hold it for this session only.
      adminSecretsInMemory.set(tenantId, secret.value);
      if (kept.pendingId)
        secretKeeping.dismiss(kept.pendingId, 'the admin secret is held in memory until the app closes');
    }
  }

  /**
   * Where a remote organisation's sign-in is kept in the keychain, under the organisation's own account names: the
   * admin application's secret, or the account's refresh token. The embedded tenant's is a kept secret instead.
   */
  function signInRef(tenant: Pick<TenantRecord, 'id' | 'signIn' | 'adminClientId'>): KeychainRef {
    const kind = tenant.signIn === 'account' ? 'refresh-token' : 'admin';
    return { service: keychainService, account: `${tenant.id}/${kind}/${tenant.adminClientId}` };
  }

  async function readKeychain(ref: KeychainRef): Promise<string | null> {
    try {
      return await keychain.get(ref.service, ref.account);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  async function writeKeychain(ref: KeychainRef, value: string): Promise<void> {
    try {
      await keychain.set(ref.service, ref.account, value);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  /** The tenant's admin secret, read from the keychain (or the in-memory hold) for each token, never cached here. */
  function adminSecretOf(tenant: TenantRecord): () => Promise<string> {
    return async () => {
      const secret =
        tenant.signIn === 'embedded' ? await readAdminSecret(tenant) : await readKeychain(signInRef(tenant));
      if (secret === null)
        throw new AppError(
          'unauthorized',
          `The keychain holds no secret of the admin application of ${tenant.orgName}; remove the organisation and add it again.`,
        );
      return secret;
    };
  }

  function tokenSourceOf(tenant: TenantRecord): TokenSource {
    const place = { tokenUrl: endpointsOf(tenant).tokenUrl, orgName: tenant.orgName, clientId: tenant.adminClientId };
    if (tenant.signIn !== 'account') return clientCredentialsSource({ ...place, secret: adminSecretOf(tenant) });
    const ref = signInRef(tenant);
    return accountSource({
      ...place,
      refreshToken: { read: () => readKeychain(ref), write: (value) => writeKeychain(ref, value) },
    });
  }

  function liveStatus(tenantId: string): LiveStatus {
    let status = statuses.get(tenantId);
    if (!status) {
      status = { online: null, lastError: null, sync: null, rateLimitedUntil: null, waiting: 0, stopSync: null };
      statuses.set(tenantId, status);
    }
    return status;
  }

  /** A tenant's HTTP client, reporting every answer (or silence) and every rate-limit wait to the tenant's status. */
  function newClient(tenant: TenantRecord, tokens: TokenSource = tokenSourceOf(tenant)): TenantClient {
    return new TenantClient({
      connection: tenant,
      fetch: deps.fetch,
      tokens,
      onReachability: (reach: Reachability) => {
        const status = liveStatus(tenant.id);
        status.online = reach.online;
        status.lastError = reach.online ? null : reach.error;
      },
      onRateLimitWait: (untilMs) => {
        const status = liveStatus(tenant.id);
        if (untilMs !== null) {
          status.waiting++;
          status.rateLimitedUntil = Math.max(status.rateLimitedUntil ?? 0, untilMs);
        } else if (--status.waiting <= 0) {
          status.waiting = 0;
          status.rateLimitedUntil = null;
        }
      },
    });
  }

  /** The HTTP client of a tenant, made once and kept, so its admin token is reused until it expires. */
  function client(tenantId: string): TenantClient {
    const existing = clients.get(tenantId);
    if (existing) return existing;
    const created = newClient(tenantRecord(tenantId));
    clients.set(tenantId, created);
    return created;
  }

  /**
   * The admin secret of `tenant` as found at start. When this process runs the server, a secret the keychain holds
   * is tried once, since the server may no longer accept it (deleted or expired there); `probe` then made that try.
   */
  async function findAdminSecret(
    tenant: TenantRecord,
    runsHere: boolean,
  ): Promise<{ finding: AdminSecretFinding; probe: TenantClient | null }> {
    let value: string | null;
    try {
      value = await readAdminSecret(tenant);
    } catch (cause) {
      return { finding: { state: 'unreadable', cause }, probe: null };
    }
    if (value === null) return { finding: { state: 'missing' }, probe: null };
    if (!runsHere) return { finding: { state: 'unchecked' }, probe: null };
    const probe = newClient(tenant);
    try {
      await probe.checkAdminAccess();
      return { finding: { state: 'works' }, probe };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'unauthorized')) throw error;
      return { finding: { state: 'refused' }, probe };
    }
  }

  /** The organisation worked on when none is named: the one last chosen while it exists, else the embedded one. */
  function currentTenant(): string {
    const chosen = workspace.settings.currentTenant();
    return chosen !== null && workspace.tenants.get(chosen) ? chosen : LOCAL_TENANT_ID;
  }

  /** The input's faults, each on its field, before anything is asked of the keychain or the organisation. */
  function addIssues(input: InputOf<'addTenant'>): { issues: Issue[]; baseUrl: string | null } {
    const verdict = checkOrganisation({
      ...input,
      method: input.signIn.method,
      clientId: input.signIn.clientId,
      clientSecret: input.signIn.method === 'adminApp' ? input.signIn.clientSecret : undefined,
    });
    // The contract names the sign-in's fields under signIn.
    const issues = verdict.errors.map((issue) =>
      issue.field === 'clientId' || issue.field === 'clientSecret'
        ? { ...issue, field: `signIn.${issue.field}` }
        : issue,
    );
    if (workspace.tenants.get(input.id))
      issues.push({
        field: 'id',
        message: `An organisation with ID "${input.id}" is already known to this workspace; choose another ID.`,
      });
    return { issues, baseUrl: verdict.baseUrl };
  }

  /**
   * Adds an organisation: the sign-in (admin secret or refresh token) goes to the keychain, a token proves it works
   * and names the partition (prt_id) when it was not given, and only then is the organisation recorded. If any of that
   * fails, nothing is recorded and the keychain entry goes. Answers the connection checks.
   */
  async function addTenant(input: InputOf<'addTenant'>): Promise<{ tenant: TenantSummary; checks: ConnectionCheck[] }> {
    const { issues, baseUrl } = addIssues(input);
    if (issues.length > 0 || baseUrl === null) throw AppError.invalid(issues);
    const orgName = input.orgName.trim();
    const record: TenantRecord = {
      id: input.id,
      displayName: input.displayName.trim() || orgName,
      baseUrl,
      orgName,
      partitionGlobalId: input.partitionGlobalId?.trim() ?? '',
      adminClientId: input.signIn.clientId.trim(),
      isLocal: false,
      signIn: input.signIn.method,
    };
    const ref = signInRef(record);
    let tokens: TokenSource;
    if (input.signIn.method === 'adminApp') {
      await writeKeychain(ref, input.signIn.clientSecret);
      tokens = tokenSourceOf(record);
    } else {
      const openBrowser = deps.openBrowser;
      if (!openBrowser)
        throw AppError.invalid([
          {
            field: 'signIn',
            message:
              'Signing in with your account needs the system browser, which is not available here; use an admin application instead.',
          },
        ]);
      const signedIn = await signInWithAccount({
        endpoints: endpointsOf(record),
        orgName,
        clientId: record.adminClientId,
        scopes: ACCOUNT_SCOPES,
        openBrowser,
        fetch: deps.fetch,
      });
      await writeKeychain(ref, signedIn.refreshToken);
      tokens = accountSource({
        tokenUrl: endpointsOf(record).tokenUrl,
        orgName,
        clientId: record.adminClientId,
        refreshToken: { read: () => readKeychain(ref), write: (value) => writeKeychain(ref, value) },
        initial: signedIn,
      });
    }

    // The client reads the partition from `record` when it calls the API, so learning it from the token here is enough.
    const added = newClient(record, tokens);
    try {
      const claims = await added.tokenClaims();
      if (record.partitionGlobalId === '') {
        if (typeof claims.prt_id !== 'string' || claims.prt_id === '')
          throw AppError.invalid([
            {
              field: 'partitionGlobalId',
              message: `${orgName}'s token does not say its partitionGlobalId (no prt_id claim); type it (the organisation's ID, a GUID).`,
            },
          ]);
        record.partitionGlobalId = claims.prt_id;
      }
    } catch (error) {
      await keychain.delete(ref.service, ref.account).catch(() => false);
      statuses.delete(record.id);
      throw error;
    }

    workspace.tenants.save(record);
    clients.set(record.id, added);
    activity.record({
      tenant: record.id,
      action: 'tenant.add',
      target: orgName,
      detail: `Added the organisation ${record.displayName}\nAdded ${record.displayName} (${record.baseUrl}, organisation ${orgName}, partition ${record.partitionGlobalId}); signs in with ${
        record.signIn === 'account' ? 'your account through' : 'the admin application'
      } ${record.adminClientId}, kept in the keychain as ${ref.service} / ${ref.account}.`,
    });
    return { tenant: summaryOf(record, currentTenant()), checks: await runConnectionChecks(added) };
  }

  return {
    /**
     * Makes the local tenant usable: records it, makes sure its admin application exists and that the keychain
     * holds a working secret of it. If the keychain lost the secret, the server issues a new one.
     * planLocalTenant decides from the facts gathered here; this carries its plan out.
     */
    async bootstrapLocal(server: LocalServer): Promise<TenantRecord> {
      const known = workspace.tenants.get(LOCAL_TENANT_ID);
      const ensured = server.ensureAdminClient ? await server.ensureAdminClient() : null;
      const tenant: TenantRecord = {
        id: LOCAL_TENANT_ID,
        displayName: 'Local Identity Server',
        baseUrl: server.baseUrl,
        orgName: server.orgName,
        partitionGlobalId: server.partitionGlobalId,
        adminClientId: ensured?.clientId ?? known?.adminClientId ?? '',
        isLocal: true,
        signIn: 'embedded',
      };
      const found: { finding: AdminSecretFinding; probe: TenantClient | null } = ensured?.secret
        ? { finding: { state: 'issued', secret: ensured.secret }, probe: null }
        : await findAdminSecret(tenant, ensured !== null);
      const plan = planLocalTenant({
        known,
        server: { partitionGlobalId: server.partitionGlobalId, runsHere: ensured !== null },
        adminSecret: found.finding,
      });
      if (plan.kind === 'refuse') throw plan.error;

      workspace.db.transaction(() => {
        workspace.tenants.save(tenant);
        if (plan.forgetCache) {
          workspace.registrations.replaceAll(LOCAL_TENANT_ID, []);
          workspace.tenants.setRegistrationsFetchedAt(LOCAL_TENANT_ID, null);
        }
      })();
      // The client that tried the secret keeps its token; otherwise the next call makes one for the new record.
      if (found.probe) clients.set(LOCAL_TENANT_ID, found.probe);
      else clients.delete(LOCAL_TENANT_ID);

      if (plan.kind === 'create') {
        await keepAdminSecret(tenant.id, tenant.adminClientId, plan.secret);
        if (plan.announce)
          activity.record({
            tenant: tenant.id,
            action: 'tenant.connect',
            target: tenant.orgName,
            detail: `Started the embedded Identity Server\nLocal Identity Server at ${tenant.baseUrl}; admin application ${tenant.adminClientId}.`,
          });
      } else if (plan.kind === 'reissue') {
        // Planned only when this process runs the server, which is when ensureAdminClient is there.
        const reissued = await server.ensureAdminClient?.({ reissueSecret: true });
        if (!reissued?.secret)
          throw new AppError('server_error', 'The local Identity Server did not issue a new admin secret.');
        await keepAdminSecret(tenant.id, reissued.clientId, reissued.secret);
        clients.get(tenant.id)?.forgetToken();
        activity.record({
          tenant: tenant.id,
          action: 'tenant.admin_secret_reissued',
          target: reissued.clientId,
          detail:
            'Issued a new admin secret for the embedded Identity Server\nThe keychain held no working admin secret, so the local Identity Server issued a new one.',
        });
      }
      return tenant;
    },

    get: tenantRecord,
    client,

    list(): TenantSummary[] {
      const current = currentTenant();
      return workspace.tenants.list().map((t) => summaryOf(t, current));
    },

    show(tenantId: string): TenantDetails {
      const t = tenantRecord(tenantId);
      const endpoints = endpointsOf(t);
      const kept = workspace.secrets.listForClient(t.id, t.adminClientId).at(-1);
      return {
        ...summaryOf(t, currentTenant()),
        partitionGlobalId: t.partitionGlobalId,
        issuer: endpoints.issuer,
        tokenUrl: endpoints.tokenUrl,
        authorizeUrl: endpoints.authorizeUrl,
        adminClientId: t.adminClientId,
        adminSecret:
          t.signIn !== 'embedded'
            ? signInRef(t)
            : // Not kept: the keychain refused the secret at start; it lives in memory for this session only.
              (kept?.keychain ?? { service: keychainService, account: '(not in the keychain)' }),
      };
    },

    current: currentTenant,

    /** Makes an organisation the current one, for the window and the CLI alike (it is kept in the workspace). */
    use(tenantId: string): { current: string } {
      tenantRecord(tenantId);
      workspace.settings.setCurrentTenant(tenantId === LOCAL_TENANT_ID ? null : tenantId);
      return { current: tenantId };
    },

    add: addTenant,

    /** Test connection: every check against the organisation as it is recorded. */
    async test(tenantId: string): Promise<ConnectionCheck[]> {
      tenantRecord(tenantId);
      return runConnectionChecks(client(tenantId));
    },

    /**
     * Forgets an organisation: the keychain entries of its secrets and of its sign-in first (so that a refusing keychain
     * leaves everything as it was, to try again), then its record, cache and kept secrets. Nothing changes on the server.
     */
    async remove(tenantId: string): Promise<{ removed: true; keychainEntriesRemoved: number }> {
      const tenant = tenantRecord(tenantId);
      if (tenant.isLocal)
        throw AppError.invalid([
          { field: 'tenant', message: 'The embedded tenant cannot be removed; it is where OAuth Desk starts.' },
        ]);
      statuses.get(tenantId)?.stopSync?.abort();
      const refs = [...workspace.secrets.listForTenant(tenantId).map((k) => k.keychain), signInRef(tenant)];
      let keychainEntriesRemoved = 0;
      for (const ref of refs) {
        try {
          if (await keychain.delete(ref.service, ref.account)) keychainEntriesRemoved++;
        } catch (error) {
          throw keychainUnavailable(error);
        }
      }
      workspace.db.transaction(() => {
        workspace.tenants.delete(tenantId);
        if (workspace.settings.currentTenant() === tenantId) workspace.settings.setCurrentTenant(null);
      })();
      clients.delete(tenantId);
      statuses.delete(tenantId);
      activity.record({
        tenant: tenantId,
        action: 'tenant.remove',
        target: tenant.orgName,
        detail: `Removed the organisation ${tenant.displayName} from this workspace\nRemoved ${tenant.displayName} (${tenant.baseUrl}, ${tenant.orgName}) from this workspace; ${keychainEntriesRemoved} keychain ${
          keychainEntriesRemoved === 1 ? 'entry' : 'entries'
        } removed; nothing changed on the server.`,
      });
      return { removed: true, keychainEntriesRemoved };
    },

    /** Online state, last sync, a sync's progress and a rate-limit wait. */
    status(tenantId: string): TenantStatus {
      tenantRecord(tenantId);
      const live = liveStatus(tenantId);
      return {
        online: live.online,
        lastError: live.lastError,
        lastSyncAt: workspace.tenants.registrationsFetchedAt(tenantId),
        sync: live.sync ? { ...live.sync } : null,
        rateLimitedUntil: live.rateLimitedUntil === null ? null : new Date(live.rateLimitedUntil).toISOString(),
      };
    },

    /** A sync begins: its progress shows in the status, and the controller answered ends it. */
    beginSync(tenantId: string): AbortController {
      const live = liveStatus(tenantId);
      const stop = new AbortController();
      live.stopSync = stop;
      live.sync = { done: 0, total: null };
      return stop;
    },

    syncProgress(tenantId: string, progress: { done: number; total: number | null }): void {
      liveStatus(tenantId).sync = progress;
    },

    endSync(tenantId: string): void {
      const live = statuses.get(tenantId);
      if (!live) return;
      live.sync = null;
      live.stopSync = null;
    },

    /** Stops the sync under way, if any; true when one was. */
    stopSync(tenantId: string): boolean {
      tenantRecord(tenantId);
      const stop = statuses.get(tenantId)?.stopSync;
      if (!stop) return false;
      stop.abort();
      return true;
    },

    forgetSecretsInMemory(): void {
      adminSecretsInMemory.clear();
    },
  };
}
export type TenantService = ReturnType<typeof tenantService>;

/** The handlers of the organisations' operations (src/shared/contract/organisations.ts): one line each onto the services. */
export function organisationHandlers(s: Services): HandlersOf<typeof organisationOperations> {
  return {
    listTenants: () => Promise.resolve(s.tenants.list()),
    showTenant: ({ tenant }) => Promise.resolve(s.tenants.show(tenant)),
    addTenant: (input) => s.tenants.add(input),
    testTenant: ({ tenant }) => s.tenants.test(tenant),
    useTenant: ({ tenant }) => Promise.resolve(s.tenants.use(tenant)),
    removeTenant: ({ tenant }) => s.tenants.remove(tenant),
    tenantStatus: ({ tenant }) => Promise.resolve(s.tenants.status(tenant)),
    syncTenant: ({ tenant }) => s.sync.sync(tenant),
    stopSync: ({ tenant }) => Promise.resolve(s.sync.stop(tenant)),
    listExpiringSecrets: ({ withinDays }) => Promise.resolve(s.expiry.list(withinDays)),
    rotateAdminSecret: ({ tenant }) => s.adminSecret.rotate(tenant),
    openLink: ({ link, tenant }) => s.links.open(link, tenant),
  };
}
