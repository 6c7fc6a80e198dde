// Changing how OAuth Desk signs in to an organisation, so a sign-in problem never needs removing and adding it again: a
// new admin application secret (or another admin application), or the admin's account signed in again. The new sign-in
// is proven first (a token, then every connection check) while main holds it in memory only; the keychain entry is
// replaced only then, so a refused sign-in, or one that fails a check, leaves the old one in place.
import type { InputOf } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { organisationInWords } from '../../../shared/organisationInWords';
import type { ConnectionCheck, OrganisationSummary } from '../../../shared/model';
import { OrganisationClient } from '../../organisation/client';
import { endpointsOf } from '../../organisation/endpoints';
import { accountSource, clientCredentialsSource, type TokenSource } from '../../organisation/tokens';
import type { OrganisationRecord } from '../../workspace/organisations';
import { runConnectionChecks } from '../connectionChecks';
import { refusedSecret, signInInBrowser, signInRef, summaryOf, writeKeychain, type MembershipParts } from './registry';

type NewSignIn = InputOf<'changeSignIn'>['signIn'];

export interface SignInChange {
  /** False when a check failed with the new sign-in: the old one stays, and the checks say why. */
  changed: boolean;
  organisation: OrganisationSummary;
  checks: ConnectionCheck[];
}

/** The new sign-in's secret or refresh token: held here, never in the keychain, until it has proven itself. */
interface Held {
  value: string;
}

async function trialSource(
  parts: MembershipParts,
  record: OrganisationRecord,
  signIn: NewSignIn,
  held: Held,
): Promise<TokenSource> {
  const place = {
    tokenUrl: endpointsOf(record).tokenUrl,
    inWords: organisationInWords(record),
    clientId: record.adminClientId,
  };
  if (signIn.method === 'adminApp') {
    held.value = signIn.clientSecret;
    return clientCredentialsSource({ ...place, secret: () => Promise.resolve(held.value) });
  }
  const signedIn = await signInInBrowser(parts, record);
  held.value = signedIn.refreshToken;
  return accountSource({
    ...place,
    initial: signedIn,
    refreshToken: {
      read: () => Promise.resolve(held.value),
      write: (value) => {
        held.value = value;
        return Promise.resolve();
      },
    },
  });
}

/** A sign-in of another organisation (its token names another partition) is refused: it would show another's data. */
function samePartition(old: OrganisationRecord, prtId: unknown): void {
  if (typeof prtId !== 'string' || prtId === '' || old.partitionGlobalId === '' || prtId === old.partitionGlobalId)
    return;
  throw AppError.invalid([
    {
      field: 'signIn.clientId',
      message: `This sign-in is of another organisation (its token names the partition ${prtId}, not ${old.partitionGlobalId}); nothing was changed.`,
    },
  ]);
}

/** The new sign-in into the keychain (the same entry replaced in one write), then the record; the old entry goes last. */
async function replaceSignIn(
  parts: MembershipParts,
  old: OrganisationRecord,
  record: OrganisationRecord,
  value: string,
): Promise<void> {
  const oldRef = signInRef(parts.keychainService, old);
  const newRef = signInRef(parts.keychainService, record);
  await writeKeychain(parts.keychain, newRef, value);
  parts.workspace.organisations.save(record);
  if (newRef.account !== oldRef.account) await parts.keychain.delete(oldRef.service, oldRef.account).catch(() => false);
  // The next request makes a client of the record as it is now, reading the new sign-in from the keychain.
  parts.connections.drop(record.id);
  parts.events.emit('organisationDataChanged', { organisation: record.id, what: 'organisations' });
  const how =
    record.signIn === 'account'
      ? `your account, signed in again through ${record.adminClientId}`
      : `a new secret of the admin application ${record.adminClientId}`;
  parts.activity.record({
    organisation: record.id,
    action: 'organisation.sign_in_changed',
    target: record.orgName,
    headline: `Changed how OAuth Desk signs in to ${record.displayName}`,
    detail: `${record.displayName} now signs in with ${how}, kept in the keychain as ${newRef.service} / ${newRef.account}; every connection check passed first.`,
  });
}

/**
 * Changes an organisation's sign-in: a token with the new one first (refused: "Acme refused this secret" on the App
 * secret field), then the connection checks; only when every check passed does it replace the old keychain entry.
 */
export async function changeSignIn(parts: MembershipParts, input: InputOf<'changeSignIn'>): Promise<SignInChange> {
  const old = parts.registry.get(input.organisation);
  if (old.isLocal)
    throw AppError.invalid([
      {
        field: 'organisation',
        message: 'The embedded organisation signs in with its own admin application, which OAuth Desk looks after.',
      },
    ]);
  const clientId = input.signIn.clientId.trim();
  if (clientId === '') throw AppError.invalid([{ field: 'signIn.clientId', message: 'App ID is required.' }]);
  const record: OrganisationRecord = { ...old, signIn: input.signIn.method, adminClientId: clientId };
  const held: Held = { value: '' };
  const client = new OrganisationClient({
    connection: record,
    inWords: organisationInWords(record),
    fetch: parts.fetch,
    tokens: await trialSource(parts, record, input.signIn, held),
    onReachability: (reach) => parts.status.reachability(record.id, reach),
    onRateLimitWait: (untilMs) => parts.status.rateLimitWait(record.id, untilMs),
  });
  const claims = await client.tokenClaims().catch((error: unknown) => {
    throw refusedSecret(error, record);
  });
  samePartition(old, claims.prt_id);
  const checks = await runConnectionChecks(client);
  if (checks.some((check) => check.result !== 'passed'))
    return { changed: false, organisation: summaryOf(old, parts.registry.current()), checks };
  await replaceSignIn(parts, old, record, held.value);
  return { changed: true, organisation: summaryOf(record, parts.registry.current()), checks };
}
