// Plain-text rendering of the CLI's answers: aligned tables and key/value blocks, no colours (scripts read them too).
import type {
  ActivityEntry,
  AppSecret,
  AppSummary,
  ConnectionCheck,
  ExpiringSecret,
  ExternalClient,
  LocalUser,
  NewSecret,
  ScopeRequest,
  SignInMethod,
  OrganisationDetails,
  OrganisationSummary,
} from '../shared/model';
import { secretStatus } from '../shared/secrets';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

function keyValues(pairs: [string, string | number | boolean | null | undefined][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v ?? '—'}`).join('\n');
}

/** An application's name as the CLI prints it; UiPath may answer an application without one. */
export function appName(app: { name: string }): string {
  return app.name || '(no name)';
}

function appType(isConfidential: boolean): string {
  return isConfidential ? 'Confidential' : 'Non-confidential';
}

export function appsTable(apps: AppSummary[]): string {
  if (apps.length === 0) return 'No external applications yet. Register one with: oauth-desk apps create <name> …';
  return table(
    ['APP ID', 'NAME', 'TYPE', 'RESOURCES', 'SECRETS'],
    apps.map((a) => {
      const status = secretStatus(a.nextSecretExpiry);
      const secretless = a.isConfidential && a.secretCount === 0 && (a.federatedCredentialCount ?? 0) > 0;
      const mark = secretless ? ' (secretless)' : '';
      const secrets = `${a.secretCount}${mark}${status === 'active' ? '' : ` (a secret ${status === 'expired' ? 'expired' : 'expires soon'})`}`;
      return [a.id, appName(a), appType(a.isConfidential), a.resources.join(', '), secrets];
    }),
  );
}

function scopesByType(app: ExternalClient): { user: string[]; application: string[] } {
  const scopes = app.resources.flatMap((r) => r.scopes);
  return {
    user: scopes.filter((s) => s.type === 'user').map((s) => s.name),
    application: scopes.filter((s) => s.type === 'application').map((s) => s.name),
  };
}

export function appDetails(app: ExternalClient): string {
  const scopes = scopesByType(app);
  const secrets = app.secrets.map(
    (s) =>
      `  ${s.id}  created ${s.creationTime}  expires ${s.expiryTime ?? 'never'}${s.description ? `  ${s.description}` : ''}`,
  );
  return [
    keyValues([
      ['App ID', app.id],
      ['Name', appName(app)],
      ['Type', appType(app.isConfidential)],
      ['Redirect URL', app.redirectUri],
      ['User scopes', scopes.user.join(' ') || '—'],
      ['Application scopes', scopes.application.join(' ') || '—'],
      ['Secrets', app.secrets.length],
    ]),
    ...secrets,
  ].join('\n');
}

const SIGN_IN_WORDS: Record<SignInMethod, string> = {
  embedded: 'embedded Identity Server',
  adminApp: 'admin application',
  account: 'your account',
};

/** The organisations, the current one marked with `*`. */
export function organisationsTable(organisations: OrganisationSummary[]): string {
  return table(
    ['ORGANISATION', 'ORGANIZATION', 'BASE URL', 'SIGN-IN', 'CURRENT'],
    organisations.map((t) => [t.id, t.orgName, t.baseUrl, SIGN_IN_WORDS[t.signIn], t.isCurrent ? '*' : '']),
  );
}

/** Test connection, one line per check: ✓, ✗ or – (not checked), the check, what passed or why it failed, the fix. */
export function connectionChecksLines(checks: ConnectionCheck[]): string {
  const names: Record<ConnectionCheck['check'], string> = {
    discovery: 'discovery',
    token: 'token',
    listApps: 'list applications',
    catalogue: 'resource catalogue',
    secretManagement: 'secret management',
  };
  const mark = { passed: '✓', failed: '✗', notChecked: '–' } as const;
  return checks
    .map((c) => `${mark[c.result]} ${names[c.check]}: ${c.detail}${c.fix ? `\n  fix: ${c.fix}` : ''}`)
    .join('\n');
}

export function organisationDetails(t: OrganisationDetails): string {
  return keyValues([
    ['Organisation', t.id],
    ['Display name', t.displayName],
    ['Current', t.isCurrent ? 'yes' : 'no'],
    ['Sign-in', SIGN_IN_WORDS[t.signIn]],
    ['Base URL', t.baseUrl],
    ['Organization', t.orgName],
    ['partitionGlobalId', t.partitionGlobalId],
    ['Issuer', t.issuer],
    ['Token URL', t.tokenUrl],
    ['Authorize URL', t.authorizeUrl],
    [t.signIn === 'account' ? 'Sign-in App ID' : 'Admin App ID', t.adminClientId],
    [
      t.signIn === 'account' ? 'Refresh token' : 'Admin secret',
      `keychain service "${t.adminSecret.service}", account "${t.adminSecret.account}"`,
    ],
  ]);
}

/** What `apps create` says about the new secret: where it is kept, and the value only when asked (or when it would be lost). */
export function secretNotice(secret: NewSecret, showSecret: boolean): { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  if (secret.stored) {
    stdout.push(`App secret saved to your keychain as ${secret.keychain.service} / ${secret.keychain.account}`);
    if (showSecret)
      stdout.push(`App secret: ${secret.value}`, 'It cannot be viewed again from the Identity Server; keep it safe.');
  } else {
    // The keychain refused it: printing it is the only way not to lose it.
    stderr.push(`The secret could not be saved to your keychain: ${secret.keychainError ?? 'unknown error'}`);
    stderr.push('Store it somewhere safe now; it cannot be viewed again.');
    stdout.push(`App secret: ${secret.value}`);
  }
  return { stdout, stderr };
}

export function secretsTable(secrets: AppSecret[], now: Date = new Date()): string {
  if (secrets.length === 0) return 'This application has no secrets.';
  return table(
    ['SECRET ID', 'DESCRIPTION', 'CREATED', 'EXPIRES', 'LAST USED', 'KEYCHAIN'],
    secrets.map((s) => {
      const status = secretStatus(s.expiryTime, now);
      return [
        s.id,
        s.description ?? '',
        s.creationTime ?? 'unknown',
        s.expiryTime ? `${s.expiryTime}${status === 'active' ? '' : ` (${status})`}` : 'never',
        s.lastUsedTime ?? 'never',
        s.keychain ? `${s.keychain.service} / ${s.keychain.account}` : 'not in this workspace',
      ];
    }),
  );
}

export function usersTable(users: LocalUser[]): string {
  if (users.length === 0)
    return 'No users yet. Add one with: oauth-desk users create <userName> (the password is read from standard input)';
  return table(
    ['USER NAME', 'DISPLAY NAME', 'ID', 'CREATED'],
    users.map((u) => [u.userName, u.displayName, u.id, u.creationTime]),
  );
}

export function activityTable(entries: ActivityEntry[]): string {
  if (entries.length === 0) return 'No activity yet.';
  return table(
    ['WHEN', 'ORGANISATION', 'ACTION', 'TARGET', 'DETAIL'],
    entries.map((e) => [e.at, e.organisation, e.action, e.target, e.detail]),
  );
}

export function expiringSecretsTable(secrets: ExpiringSecret[], withinDays: number): string {
  if (secrets.length === 0) return `No secret expires within ${withinDays} days or has expired.`;
  return table(
    ['EXPIRES', 'STATUS', 'ORGANIZATION', 'APP ID', 'APP', 'SECRET ID'],
    secrets.map((s) => [
      s.expiryTime,
      s.expired ? 'expired' : 'expires soon',
      s.tenantName,
      s.clientId,
      s.appName,
      s.secretId,
    ]),
  );
}

/** What `apps copy` says when the target cannot grant some scopes: each scope with the type it is granted as. */
export function missingScopesNotice(to: string, missing: ScopeRequest[]): string {
  return [
    `${to} cannot grant ${missing.length === 1 ? 'this scope' : `these ${missing.length} scopes`} (its catalogue lacks ${
      missing.length === 1 ? 'it' : 'them'
    }, or not as that type), so nothing was created:`,
    ...missing.map((s) => `  ${s.name} (${s.type} scope)`),
  ].join('\n');
}
