// A new organisation's host: nothing is sent to it (no secret, no request, no browser opened on it) before main's own
// confirmation naming it, never the page's say-so. An account's sign-in page is then taken from that host's own
// discovery document, and opened only when it is on that host.
import { organisationInWords } from '../../../shared/organisationInWords';
import { AppError } from '../../../shared/errors';
import type { OrganisationClient } from '../../organisation/client';
import { endpointsOf, type OrganisationEndpoints } from '../../organisation/endpoints';
import type { ConfirmByMain } from '../../ports';
import type { OrganisationRecord } from '../../workspace/organisations';
import type { Workspace } from '../../workspace/workspace';

type NewRecord = Pick<OrganisationRecord, 'baseUrl' | 'orgName' | 'displayName' | 'signIn'>;

function refused(host: string, why: string): AppError {
  return AppError.invalid([
    {
      field: 'baseUrl',
      message: `Adding an organisation at ${host} needs your confirmation, ${why}; nothing was sent to ${host}.`,
    },
  ]);
}

/** What the workspace knows of `host`: the organisations already there, by name. */
function knownAt(workspace: Workspace, host: string): string[] {
  return workspace.organisations
    .list()
    .filter((o) => URL.parse(o.baseUrl)?.host === host)
    .map(organisationInWords);
}

/**
 * Asks main's confirmation of the organisation's host before anything is sent there: its name, whether this workspace
 * has met it before, and what it will be sent. A no (or no one to ask) is a refusal on the base URL.
 */
export async function confirmNewHost(
  confirm: ConfirmByMain | undefined,
  workspace: Workspace,
  record: NewRecord,
): Promise<void> {
  const host = new URL(record.baseUrl).host;
  if (!confirm) throw refused(host, 'and this OAuth Desk process has no one to ask');
  const known = knownAt(workspace, host);
  const sent =
    record.signIn === 'account'
      ? `your browser is opened on ${host}'s sign-in page, and your sign-in's tokens come from it`
      : `the admin application's secret is sent to ${host}`;
  const yes = await confirm.confirm({
    title: 'Add an organisation at this host?',
    message: `Add the organisation ${organisationInWords(record)} at ${host}?`,
    detail:
      `${known.length > 0 ? `${host} is already known here (${known.join(', ')}).` : `OAuth Desk has not contacted ${host} before.`} ` +
      `If you confirm, ${sent}. Confirm only the address you typed yourself.`,
    host,
  });
  if (!yes) throw refused(host, 'which was not given');
}

/**
 * The endpoints an account signs in with: the sign-in page is the one the confirmed host's discovery document names,
 * and only when it is on that host (same scheme, host and port); its issuer must be the one its base URL promises.
 */
export async function accountEndpoints(
  client: OrganisationClient,
  record: Pick<OrganisationRecord, 'baseUrl' | 'orgName'>,
): Promise<OrganisationEndpoints> {
  const expected = endpointsOf(record);
  const origin = new URL(record.baseUrl).origin;
  const discovery = await client.discovery();
  const refuse = (what: string) =>
    AppError.invalid([
      {
        field: 'baseUrl',
        message: `${origin}'s discovery document ${what}, so OAuth Desk opens no sign-in page for it; check the base URL.`,
      },
    ]);
  if (discovery.issuer !== expected.issuer)
    throw refuse(`names the issuer ${discovery.issuer}, not ${expected.issuer}`);
  const page = URL.parse(discovery.authorization_endpoint ?? '');
  if (!page) throw refuse('names no sign-in page (authorization_endpoint)');
  if (page.origin !== origin || page.username !== '' || page.password !== '')
    throw refuse(`puts its sign-in page on ${page.origin}, not on ${origin}`);
  return { ...expected, authorizeUrl: `${page.origin}${page.pathname}` };
}
