// Test connection: one line per check (discovery, token, list applications, catalogue, secret management), each ✓ or
// ✗ with the reason in words, run against an organisation through its OrganisationClient.
import { AppError } from '../../shared/errors';
import type { ConnectionCheck } from '../../shared/model';
import type { OrganisationClient } from '../organisation/client';
import { SCOPE_NEEDS, SECRET_SCOPES, tokenLacks } from '../organisation/scopes';

function reasonOf(error: unknown): string {
  return error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The secret management line, from the scopes the admin token carries. */
export function secretManagementCheck(grantedScopes: readonly string[]): ConnectionCheck {
  const carried = SECRET_SCOPES.find((scope) => grantedScopes.includes(scope));
  return carried
    ? { check: 'secretManagement', ok: true, detail: `the token carries ${carried}: secrets can be generated` }
    : { check: 'secretManagement', ok: false, detail: tokenLacks(SCOPE_NEEDS.generateSecrets) };
}

/** Runs every check; a check that cannot run without a token says so instead of failing for the same reason again. */
export async function runConnectionChecks(client: OrganisationClient): Promise<ConnectionCheck[]> {
  const checks: ConnectionCheck[] = [];
  const run = async (check: ConnectionCheck['check'], passed: () => Promise<string>): Promise<boolean> => {
    try {
      checks.push({ check, ok: true, detail: await passed() });
      return true;
    } catch (error) {
      checks.push({ check, ok: false, detail: reasonOf(error) });
      return false;
    }
  };

  await run('discovery', async () => {
    const discovery = await client.discovery();
    if (discovery.issuer !== client.endpoints.issuer)
      throw new AppError(
        'server_error',
        `the discovery document names the issuer ${discovery.issuer}, not ${client.endpoints.issuer}: check the base URL`,
      );
    return `the issuer ${discovery.issuer} answers`;
  });
  const gotToken = await run('token', async () => {
    await client.checkAdminAccess();
    return `${client.grantee} got a token`;
  });
  if (!gotToken) {
    for (const check of ['listApps', 'catalogue', 'secretManagement'] as const)
      checks.push({ check, ok: false, detail: 'not checked: there is no token to check it with' });
    return checks;
  }
  await run('listApps', async () => plural((await client.listApps()).length, 'application', 'applications'));
  await run('catalogue', async () => {
    const catalogue = await client.catalogue();
    const scopes = catalogue.reduce((count, resource) => count + resource.scopes.length, 0);
    return `${plural(catalogue.length, 'resource', 'resources')}, ${plural(scopes, 'scope', 'scopes')}`;
  });
  checks.push(secretManagementCheck(await client.grantedScopes()));
  return checks;
}
