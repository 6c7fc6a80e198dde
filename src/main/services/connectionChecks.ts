// Test connection: one line per check (discovery, token, list applications, catalogue, secret management), each
// passed, failed (with the reason and the fix in words) or not checked (a check it stands on failed), run against an
// organisation through its OrganisationClient with a new token.
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
export function secretManagementCheck(grantedScopes: readonly string[], grantee?: string): ConnectionCheck {
  const carried = SECRET_SCOPES.find((scope) => grantedScopes.includes(scope));
  return carried
    ? {
        check: 'secretManagement',
        ok: true,
        result: 'passed',
        detail: `the token carries ${carried}: secrets can be generated`,
      }
    : {
        check: 'secretManagement',
        ok: false,
        result: 'failed',
        detail: tokenLacks(SCOPE_NEEDS.generateSecrets),
        fix: scopeFix(SCOPE_NEEDS.generateSecrets.scope, grantee),
      };
}

/** What to do when the sign-in lacks `scope`: the portal first, then the check again. */
export function scopeFix(scope: string, grantee = 'the admin application'): string {
  return grantee.startsWith('the sign-in application')
    ? `Add ${scope} to the user scopes of ${grantee} in the portal, then Change sign-in to sign in again.`
    : `Add ${scope} to the admin application in the portal, then Test connection.`;
}

/** What to do about a check that failed for `error`. */
function fixOf(error: unknown, check: ConnectionCheck['check'], grantee: string): string {
  const code = error instanceof AppError ? error.code : null;
  if (code === 'organisation_unreachable')
    return 'Check the network and the base URL in these settings, then Test connection.';
  if (check === 'discovery') return 'Check the base URL and the organisation name, then Test connection.';
  if (code === 'unauthorized') return 'Change sign-in (a new admin secret, or sign in again), then Test connection.';
  if (code === 'forbidden') return scopeFix(SCOPE_NEEDS.readApps.scope, grantee);
  return 'Test connection again; if it fails again, the message above says what the organisation answered.';
}

/** Runs every check; a check that cannot run without a token says so instead of failing for the same reason again. */
export async function runConnectionChecks(client: OrganisationClient): Promise<ConnectionCheck[]> {
  const checks: ConnectionCheck[] = [];
  const run = async (check: ConnectionCheck['check'], passed: () => Promise<string>): Promise<boolean> => {
    try {
      checks.push({ check, ok: true, result: 'passed', detail: await passed() });
      return true;
    } catch (error) {
      checks.push({
        check,
        ok: false,
        result: 'failed',
        detail: reasonOf(error),
        fix: fixOf(error, check, client.grantee),
      });
      return false;
    }
  };
  /** The checks that stand on one that failed: not checked, never passed on what is known from before. */
  const notChecked = (names: readonly ConnectionCheck['check'][], because: string): ConnectionCheck[] => {
    for (const check of names)
      checks.push({ check, ok: false, result: 'notChecked', detail: `not checked: ${because}` });
    return checks;
  };
  // Every check asks for a new token: one held in memory would pass while the organisation refuses or is gone.
  client.forgetToken();

  const discovered = await run('discovery', async () => {
    const discovery = await client.discovery();
    if (discovery.issuer !== client.endpoints.issuer)
      throw new AppError(
        'server_error',
        `the discovery document names the issuer ${discovery.issuer}, not ${client.endpoints.issuer}: check the base URL`,
      );
    return `the issuer ${discovery.issuer} answers`;
  });
  if (!discovered)
    return notChecked(['token', 'listApps', 'catalogue', 'secretManagement'], 'the discovery check failed');
  const gotToken = await run('token', async () => {
    await client.checkAdminAccess();
    return `${client.grantee} got a token`;
  });
  if (!gotToken) return notChecked(['listApps', 'catalogue', 'secretManagement'], 'there is no token to check it with');
  // Counted as the list arrives, as a sync reads it: never held whole, however long it is.
  await run('listApps', async () => plural(await client.eachApps(() => undefined), 'application', 'applications'));
  await run('catalogue', async () => {
    const catalogue = await client.catalogue();
    const scopes = catalogue.reduce((count, resource) => count + resource.scopes.length, 0);
    return `${plural(catalogue.length, 'resource', 'resources')}, ${plural(scopes, 'scope', 'scopes')}`;
  });
  checks.push(secretManagementCheck(await client.grantedScopes(), client.grantee));
  return checks;
}
