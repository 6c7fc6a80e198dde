// The handoff service: what a developer needs to build the integration, as data and as a Markdown, JSON or .env
// document. A document tells where each secret is kept in the keychain, never the secret; only an export the admin
// explicitly asks for writes the secret, and only into a .env file.
import { chmodSync, writeFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { Handoff, ExternalClient } from '../../shared/model';
import { endpointsOf } from '../tenant/endpoints';
import type { Workspace } from '../workspace/workspace';
import type { TenantRecord } from '../workspace/tenants';
import type { ActivityService } from './activity';
import type { RegistrationService } from './registrations';
import type { SecretKeeping } from './secretKeeping';
import type { TenantService } from './tenants';

export type HandoffFormat = 'md' | 'json' | 'env';

/** Asks the user where to save a file (Electron's save dialog); null when they cancelled. */
export type ChooseSavePath = (suggestedFileName: string) => Promise<string | null>;

function buildHandoff(tenant: TenantRecord, app: ExternalClient, workspace: Workspace): Handoff {
  const endpoints = endpointsOf(tenant);
  const scopes = app.resources.flatMap((r) => r.scopes);
  const kept = new Map(workspace.secrets.listForClient(tenant.id, app.id).map((k) => [k.secretId, k]));
  return {
    tenant: tenant.id,
    appId: app.id,
    name: app.name,
    applicationType: app.isConfidential ? 'Confidential' : 'Non-confidential',
    userScopes: scopes.filter((s) => s.type === 'user').map((s) => s.name),
    applicationScopes: scopes.filter((s) => s.type === 'application').map((s) => s.name),
    redirectUri: app.redirectUri,
    issuer: endpoints.issuer,
    tokenUrl: endpoints.tokenUrl,
    authorizeUrl: endpoints.authorizeUrl,
    // Only secrets this workspace put into the keychain: for others there is no entry to point to.
    secrets: app.secrets.flatMap((s) => {
      const keptSecret = kept.get(s.id);
      return keptSecret ? [{ id: s.id, keychain: keptSecret.keychain, expiryTime: s.expiryTime }] : [];
    }),
  };
}

const list = (items: readonly string[]) => (items.length > 0 ? items.map((i) => `\`${i}\``).join(' ') : '—');

function handoffMarkdown(h: Handoff, orgName: string): string {
  const lines = [
    `# ${h.name}`,
    '',
    `| | |`,
    `|---|---|`,
    `| App ID | \`${h.appId}\` |`,
    `| Application type | ${h.applicationType} |`,
    `| Organization | ${orgName} (tenant \`${h.tenant}\`) |`,
    `| User scopes | ${list(h.userScopes)} |`,
    `| Application scopes | ${list(h.applicationScopes)} |`,
    `| Redirect URL | ${h.redirectUri ? `\`${h.redirectUri}\`` : '—'} |`,
    `| Issuer | \`${h.issuer}\` |`,
    `| Token URL | \`${h.tokenUrl}\` |`,
    `| Authorize URL | \`${h.authorizeUrl}\` |`,
    '',
    '## Secret',
    '',
  ];
  const [first] = h.secrets;
  if (h.applicationType === 'Non-confidential') {
    lines.push('A non-confidential application has no secret: use the authorization code flow with PKCE (S256).');
  } else if (first === undefined) {
    lines.push("No secret of this application is in this workspace's keychain. Ask the admin for one.");
  } else {
    lines.push('The secret is not in this document. It is in the OS keychain:', '');
    for (const s of h.secrets)
      lines.push(
        `- secret \`${s.id}\`: service \`${s.keychain.service}\`, account \`${s.keychain.account}\`${
          s.expiryTime ? `, expires ${s.expiryTime}` : ', does not expire'
        }`,
      );
    lines.push(
      '',
      'Read it on Linux with `secret-tool lookup service ' +
        `${first.keychain.service} account ${first.keychain.account}\`` +
        ', on macOS with Keychain Access, on Windows with Credential Manager.',
    );
  }
  if (h.applicationScopes.length > 0 && h.applicationType === 'Confidential') {
    lines.push(
      '',
      '## Getting a token (client credentials)',
      '',
      '```sh',
      `curl -s ${h.tokenUrl} \\`,
      '  -d grant_type=client_credentials \\',
      `  -d client_id=${h.appId} \\`,
      '  -d client_secret="$CLIENT_SECRET" \\',
      `  -d scope="${h.applicationScopes.join(' ')}"`,
      '```',
    );
  }
  if (h.userScopes.length > 0) {
    lines.push(
      '',
      '## Signing a user in (authorization code)',
      '',
      `Send the user to \`${h.authorizeUrl}\` with \`client_id=${h.appId}\`, \`redirect_uri=${h.redirectUri ?? ''}\`, ` +
        `\`response_type=code\`, \`scope=${h.userScopes.join(' ')}\`${
          h.applicationType === 'Non-confidential' ? ' and a PKCE `code_challenge` (S256)' : ''
        }, then exchange the code at \`${h.tokenUrl}\`.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A value as a .env line understands it: double-quoted, with backslash and quote escaped. */
function envValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The .env document. OAUTH_SCOPE holds the scopes of the app's own flow (application scopes for client credentials
 * when it has any, else its user scopes); both types are listed apart as well, since one name can stand under both.
 * `secret` is written only when the admin asked for it in an export; otherwise the line stays empty and a comment
 * says where the secret is.
 */
function handoffEnv(h: Handoff, orgName: string, secret: { id: string; value: string } | null = null): string {
  const lines = [
    `# ${h.name}: OAuth settings for the integration (OAuth Desk handoff)`,
    `# Organization ${orgName} (tenant ${h.tenant}); application type ${h.applicationType}`,
    `OAUTH_CLIENT_ID=${envValue(h.appId)}`,
    `OAUTH_ISSUER=${envValue(h.issuer)}`,
    `OAUTH_TOKEN_URL=${envValue(h.tokenUrl)}`,
    `OAUTH_AUTHORIZE_URL=${envValue(h.authorizeUrl)}`,
    `OAUTH_REDIRECT_URI=${envValue(h.redirectUri ?? '')}`,
    `OAUTH_SCOPE=${envValue((h.applicationScopes.length > 0 ? h.applicationScopes : h.userScopes).join(' '))}`,
    `OAUTH_USER_SCOPE=${envValue(h.userScopes.join(' '))}`,
    `OAUTH_APPLICATION_SCOPE=${envValue(h.applicationScopes.join(' '))}`,
  ];
  if (h.applicationType === 'Non-confidential') {
    lines.push('# A non-confidential application has no secret: use the authorization code flow with PKCE (S256).');
  } else if (secret) {
    lines.push(
      `# Secret ${secret.id}. Keep this file private, and out of version control.`,
      `OAUTH_CLIENT_SECRET=${envValue(secret.value)}`,
    );
  } else {
    const newest = h.secrets.at(-1);
    lines.push(
      newest
        ? `# The secret is in the OS keychain: service ${newest.keychain.service}, account ${newest.keychain.account}` +
            ` (on Linux: secret-tool lookup service ${newest.keychain.service} account ${newest.keychain.account}).`
        : '# No secret of this application is in the keychain of the workspace that wrote this file; ask the admin for one.',
      'OAUTH_CLIENT_SECRET=',
    );
  }
  return `${lines.join('\n')}\n`;
}

const EXTENSIONS: Record<HandoffFormat, string> = { md: 'md', json: 'json', env: 'env' };

/** A file name for the save dialog, from the application's name. */
export function suggestedFileName(appName: string, format: HandoffFormat): string {
  const base = appName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'application'}.${EXTENSIONS[format]}`;
}

export interface HandoffServiceDeps {
  workspace: Workspace;
  tenants: TenantService;
  registrations: RegistrationService;
  secretKeeping: SecretKeeping;
  activity: ActivityService;
  /** Absent where no dialog can be shown (the CLI): an export then needs a path. */
  chooseSavePath?: ChooseSavePath;
}

export function handoffService(deps: HandoffServiceDeps) {
  const { workspace, tenants, registrations, secretKeeping, activity } = deps;

  async function prepare(tenantId: string, clientId: string) {
    const tenant = tenants.get(tenantId);
    const app = await registrations.get(tenantId, clientId);
    return { tenant, app, handoff: buildHandoff(tenant, app, workspace) };
  }

  function render(handoff: Handoff, orgName: string, format: HandoffFormat): string {
    if (format === 'json') return `${JSON.stringify(handoff, null, 2)}\n`;
    if (format === 'env') return handoffEnv(handoff, orgName);
    return handoffMarkdown(handoff, orgName);
  }

  return {
    async handoff(
      tenantId: string,
      clientId: string,
      format: HandoffFormat,
    ): Promise<{ handoff: Handoff; document: string }> {
      const { tenant, handoff } = await prepare(tenantId, clientId);
      return { handoff, document: render(handoff, tenant.orgName, format) };
    },

    /**
     * Writes the document to `path`, or where the user chooses. With `includeSecret` (.env only) the newest secret
     * this workspace holds is read from the keychain here in main and written into a file only its owner can read.
     */
    async export(input: {
      tenant: string;
      clientId: string;
      format: HandoffFormat;
      includeSecret: boolean;
      path?: string;
    }): Promise<{ path: string } | { cancelled: true }> {
      const { tenant, app, handoff } = await prepare(input.tenant, input.clientId);
      if (input.includeSecret && input.format !== 'env')
        throw AppError.invalid([{ field: 'includeSecret', message: 'Only a .env export can include the secret.' }]);
      let secret: { id: string; value: string } | null = null;
      if (input.includeSecret) {
        // The newest by creation among the secrets the tenant still has and this workspace holds.
        const live = new Set(app.secrets.map((s) => s.id));
        const newest = workspace.secrets
          .listForClient(tenant.id, app.id)
          .filter((r) => live.has(r.secretId))
          .at(-1);
        if (!newest)
          throw AppError.invalid([
            {
              field: 'includeSecret',
              message: `This workspace holds no secret of "${app.name}" in the keychain to include.`,
            },
          ]);
        secret = { id: newest.secretId, value: await secretKeeping.read(tenant.id, app.id, newest.secretId) };
      }
      const document =
        input.format === 'env'
          ? handoffEnv(handoff, tenant.orgName, secret)
          : render(handoff, tenant.orgName, input.format);

      let path = input.path ?? null;
      if (path === null) {
        if (!deps.chooseSavePath)
          throw AppError.invalid([{ field: 'path', message: 'Give the path of the file to write.' }]);
        path = await deps.chooseSavePath(suggestedFileName(app.name, input.format));
        if (path === null) return { cancelled: true };
      }
      try {
        writeFileSync(path, document, { mode: secret ? 0o600 : 0o644 });
        // An existing file keeps its mode on write: a file holding a secret is made private either way.
        if (secret) chmodSync(path, 0o600);
      } catch (error) {
        const why = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
        throw AppError.invalid([{ field: 'path', message: `Cannot write ${path} (${why}).` }]);
      }
      activity.record({
        tenant: tenant.id,
        action: 'handoff.export',
        target: app.id,
        detail: `Exported the handoff of "${app.name}" as ${input.format} to ${path}${
          secret ? `, including secret ${secret.id} (at the admin's request)` : ''
        }.`,
      });
      return { path };
    },
  };
}
export type HandoffService = ReturnType<typeof handoffService>;
