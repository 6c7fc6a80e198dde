// A change whose answer was lost after it went out (the connection closed, a timeout, a 5xx: outcomeUnknown) is read
// back before anything is said. An update: the application is read again and compared with what was sent, so it is
// reported applied or not applied, never "failed" when it took effect. A new secret: the application's secrets are
// compared with those before; one that appeared is this request's, whose value no one holds, so it is deleted.
import { scopesOf } from '../../shared/changes';
import { AppError } from '../../shared/errors';
import type { ExternalClient, ScopeRequest } from '../../shared/model';
import { outcomeUnknown } from '../organisation/answers';
import type { CallOptions, UpdateAppRequest } from '../organisation/requests';
import { applicationWords } from '../organisation/wire';

/** What an update needs of the organisation's client. */
export interface UpdatingClient {
  updateApp(clientId: string, request: UpdateAppRequest, call?: CallOptions): Promise<ExternalClient>;
  getApp(clientId: string): Promise<ExternalClient>;
}

/** An update as it ended: the application as it is now, and, when its answer was lost, the sentence that says so. */
export interface ConfirmedUpdate {
  app: ExternalClient;
  lostAnswer: string | null;
}

const scopeKeys = (scopes: readonly ScopeRequest[]) => [...new Set(scopes.map((s) => `${s.type}:${s.name}`))].sort();

/** Whether the application as read back is what the update asked for: name, redirect URL and scopes. */
function holdsUpdate(app: ExternalClient, wanted: UpdateAppRequest): boolean {
  return (
    app.name === wanted.name &&
    (app.redirectUri ?? null) === (wanted.redirectUri ?? null) &&
    JSON.stringify(scopeKeys(scopesOf(app))) === JSON.stringify(scopeKeys(wanted.scopes))
  );
}

export function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

/**
 * Sends the update; when its answer is lost, reads the application again and answers it if it holds the change
 * (with the sentence saying the answer was lost), or refuses saying it was not changed, or that this is unknown.
 */
export async function updateConfirmed(
  client: UpdatingClient,
  orgName: string,
  app: { id: string; name: string },
  wanted: UpdateAppRequest,
  stopWaiting?: AbortSignal,
): Promise<ConfirmedUpdate> {
  try {
    return { app: await client.updateApp(app.id, wanted, { stopWaiting }), lostAnswer: null };
  } catch (error) {
    if (stopWaiting?.aborted || !outcomeUnknown(error)) throw error;
    const words = applicationWords(app.name, app.id);
    let now: ExternalClient;
    try {
      now = await client.getApp(app.id);
    } catch (again) {
      throw new AppError(
        'organisation_unreachable',
        `${orgName} did not answer (${reasonOf(error)}) and ${words} could not be read again (${reasonOf(again)}): whether it was changed is unknown. Look at it before you change it again.`,
      );
    }
    if (!holdsUpdate(now, wanted))
      throw new AppError(
        error instanceof AppError ? error.code : 'server_error',
        `${orgName} did not answer (${reasonOf(error)}); read again, ${words} does not hold the change, so it was not applied. Run it again.`,
      );
    return {
      app: now,
      lostAnswer: `${orgName}'s answer was lost (${reasonOf(error)}); read again, ${words} holds the change, so it was applied`,
    };
  }
}

/** What the read-back of a lost new secret needs. */
export interface LostSecretDeps {
  /** The application fresh from the organisation (and cached). */
  readApp: () => Promise<ExternalClient>;
  /** Whether this workspace keeps the secret (another request of this workspace made it). */
  keptHere: (secretId: string) => boolean;
  deleteSecret: (secretId: string) => Promise<void>;
}

/** How long before the request a secret made by it may seem to have been made, the clocks differing. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The secrets that appeared since `before`, made no earlier than the request, with its description, kept nowhere here. */
function appeared(
  deps: LostSecretDeps,
  app: ExternalClient,
  asked: { secretIdsBefore: ReadonlySet<string>; description: string | null; at: number },
): string[] {
  return app.secrets
    .filter((s) => !asked.secretIdsBefore.has(s.id) && !deps.keptHere(s.id))
    .filter((s) => (s.description ?? null) === asked.description)
    .filter((s) => s.creationTime === null || Date.parse(s.creationTime) >= asked.at - CLOCK_SKEW_MS)
    .map((s) => s.id);
}

/**
 * A new secret whose answer was lost: the application's secrets are read again. None new: nothing was made, run it
 * again. One new: it is this request's, and its value was in the lost answer, so it is deleted (no one can use it) and
 * the admin asked to generate another. Several, or the application unreadable: said so, with the step to take.
 */
export async function lostSecret(
  deps: LostSecretDeps,
  orgName: string,
  asked: {
    clientId: string;
    name: string;
    secretIdsBefore: ReadonlySet<string>;
    description: string | null;
    at: number;
  },
  why: unknown,
): Promise<AppError> {
  const words = applicationWords(asked.name, asked.clientId);
  let app: ExternalClient;
  try {
    app = await deps.readApp();
  } catch (again) {
    return new AppError(
      'organisation_unreachable',
      `${orgName} did not answer (${reasonOf(why)}) and ${words} could not be read again (${reasonOf(again)}): whether a secret was generated is unknown. Look at its secrets: one marked "not in your keychain" has a value no one holds; delete it, then generate another.`,
    );
  }
  const fresh = appeared(deps, app, asked);
  const cmd = (id: string) => `apps delete-secret ${asked.clientId} ${id}`;
  if (fresh.length === 0)
    return new AppError(
      error(why),
      `${orgName} did not answer (${reasonOf(why)}); read again, ${words} has no new secret, so none was generated. Run it again.`,
    );
  if (fresh.length > 1)
    return new AppError(
      'server_error',
      `${orgName} did not answer (${reasonOf(why)}); read again, ${words} has ${fresh.length} new secrets no one here holds (${fresh.join(', ')}), so which one was generated is unknown. Their values could not be read: delete them (${fresh.map(cmd).join('; ')}) and generate another.`,
    );
  const only = fresh[0] ?? '';
  const lost = `A secret was generated for ${words} in ${orgName}, but its value could not be read (${reasonOf(why)})`;
  try {
    await deps.deleteSecret(only);
  } catch (failed) {
    return new AppError(
      'server_error',
      `${lost}; delete it (${cmd(only)}) and generate another. Deleting it here failed: ${reasonOf(failed)}.`,
    );
  }
  return new AppError(
    'server_error',
    `${lost}. No one holds its value, so OAuth Desk deleted it (secret ${only}); generate another.`,
  );
}

function error(why: unknown): AppError['code'] {
  return why instanceof AppError ? why.code : 'server_error';
}
