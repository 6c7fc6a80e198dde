// The handoff service: what a developer needs to build the integration, as data and as a Markdown or JSON document.
// It tells where each secret is kept in the keychain, never the secret.
import type { Handoff, ExternalClient } from '../../shared/model';
import { endpointsOf } from '../tenant/endpoints';
import type { Workspace } from '../workspace/workspace';
import type { TenantRecord } from '../workspace/tenants';
import type { RegistrationService } from './registrations';
import type { TenantService } from './tenants';

export function buildHandoff(tenant: TenantRecord, app: ExternalClient, workspace: Workspace): Handoff {
  const endpoints = endpointsOf(tenant);
  const scopes = app.resources.flatMap((r) => r.scopes);
  const records = new Map(workspace.secrets.listForClient(tenant.id, app.id).map((r) => [r.secretId, r]));
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
      const record = records.get(s.id);
      return record ? [{ id: s.id, keychain: record.keychain, expiryTime: s.expiryTime }] : [];
    }),
  };
}

const list = (items: readonly string[]) => (items.length > 0 ? items.map((i) => `\`${i}\``).join(' ') : '—');

export function handoffMarkdown(h: Handoff, orgName: string): string {
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
  if (h.applicationType === 'Non-confidential') {
    lines.push('A non-confidential application has no secret: use the authorization code flow with PKCE (S256).');
  } else if (h.secrets.length === 0) {
    lines.push('No secret of this application is in this workspace\'s keychain. Ask the admin for one.');
  } else {
    lines.push('The secret is not in this document. It is in the OS keychain:', '');
    for (const s of h.secrets)
      lines.push(
        `- secret \`${s.id}\`: service \`${s.keychain.service}\`, account \`${s.keychain.account}\`${
          s.expiryTime ? `, expires ${s.expiryTime}` : ', does not expire'
        }`,
      );
    const first = h.secrets[0]!;
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

export function handoffService(deps: { workspace: Workspace; tenants: TenantService; registrations: RegistrationService }) {
  const { workspace, tenants, registrations } = deps;
  return {
    async handoff(tenantId: string, clientId: string, format: 'md' | 'json'): Promise<{ handoff: Handoff; document: string }> {
      const tenant = tenants.record(tenantId);
      const app = await registrations.get(tenantId, clientId);
      const handoff = buildHandoff(tenant, app, workspace);
      const document = format === 'json' ? `${JSON.stringify(handoff, null, 2)}\n` : handoffMarkdown(handoff, tenant.orgName);
      return { handoff, document };
    },
  };
}
export type HandoffService = ReturnType<typeof handoffService>;
