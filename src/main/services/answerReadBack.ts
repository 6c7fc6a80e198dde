// When a write succeeded but its answer cannot be read, the organisation is read back and the admin told in a
// sentence what exists now. A secret value in that answer was kept first (secretKeeping.keepFromAnswer); here it is
// matched to the secret the read-back shows, so that its record names it, or else its keychain entry is named.
import { AppError } from '../../shared/errors';
import type { ExternalClient } from '../../shared/model';
import { applicationWords } from '../organisation/wire';
import type { Workspace } from '../workspace/workspace';
import type { KeptFromAnswer, SecretKeeping } from './secretKeeping';

export interface ReadBackDeps {
  workspace: Workspace;
  secretKeeping: SecretKeeping;
  /** The organisation's list fetched into the cache (fetchRegistrations). */
  refresh: () => Promise<unknown>;
}

/** What the kept value became, as the end of a sentence. */
function secretWords(kept: KeptFromAnswer): string {
  if (kept.secret?.stored) return `its secret is in your keychain (${kept.secret.keychain.account})`;
  if (kept.secret) return `its secret is held in memory because the keychain refused it (${kept.secret.keychainError})`;
  if (kept.unidentified) return `its secret is in your keychain (${kept.unidentified.keychain.account})`;
  if (kept.keychainError)
    return `its secret could not be kept (${kept.keychainError}), so generate a new one once the keychain works`;
  return 'its answer held no secret OAuth Desk could read: it has no usable secret, so generate a new one';
}

async function refreshed(deps: ReadBackDeps): Promise<string> {
  try {
    await deps.refresh();
    return 'the list was refreshed';
  } catch (error) {
    return `the list could not be refreshed (${reason(error)})`;
  }
}

/** Gives a secret kept without its ID the ID of the one new secret the read-back shows, when exactly one is new. */
function adoptNewSecret(
  deps: ReadBackDeps,
  organisationId: string,
  app: ExternalClient | null,
  kept: KeptFromAnswer,
  knownSecretIds: ReadonlySet<string>,
): void {
  if (!app || !kept.unidentified) return;
  const fresh = app.secrets.filter((s) => !knownSecretIds.has(s.id));
  const only = fresh.length === 1 ? fresh[0] : undefined;
  if (only) deps.secretKeeping.adopt(organisationId, app.id, only, kept.unidentified);
}

/** The application a create made, found in the refreshed cache by its App ID or else by its (unique) new name. */
function createdApp(
  workspace: Workspace,
  organisationId: string,
  clientId: string | null,
  name: string,
  before: ReadonlySet<string>,
) {
  if (clientId) return workspace.registrations.get(organisationId, clientId);
  const candidates = workspace.registrations.idsNamed(organisationId, name).filter((id) => !before.has(id));
  const only = candidates.length === 1 ? candidates[0] : undefined;
  return only === undefined ? null : workspace.registrations.get(organisationId, only);
}

/**
 * A create whose answer could not be read: the list is refreshed, the kept secret matched, and the refusal says
 * what exists now, e.g. "“Invoice sync” was created in Acme and its secret is in your keychain (…), but Acme's
 * answer could not be read (…); the list was refreshed."
 */
export async function unreadableCreate(
  deps: ReadBackDeps,
  at: { organisationId: string; orgName: string },
  created: { name: string; clientId: string | null; namesBefore: ReadonlySet<string> },
  kept: KeptFromAnswer,
  why: unknown,
): Promise<AppError> {
  const list = await refreshed(deps);
  const app = createdApp(deps.workspace, at.organisationId, created.clientId, created.name, created.namesBefore);
  adoptNewSecret(deps, at.organisationId, app, kept, new Set());
  return new AppError(
    'server_error',
    `${sentence(applicationWords(created.name, created.clientId))} was created in ${at.orgName} and ${secretWords(kept)}, but ${at.orgName}'s answer could not be read (${reason(why)}); ${list}.`,
  );
}

/**
 * A create whose answer was lost (the connection closed, a timeout, a 5xx): the list is read again before anything is
 * said, and the refusal says what is true: created (its secret, never seen, needs a new one), not created (safe to run
 * again), or unknown when the organisation cannot be read back either.
 */
export async function lostCreate(
  deps: ReadBackDeps,
  at: { organisationId: string; orgName: string },
  created: { name: string; isConfidential: boolean; namesBefore: ReadonlySet<string> },
  why: unknown,
): Promise<AppError> {
  const list = await refreshed(deps);
  const words = applicationWords(created.name, null);
  if (!list.startsWith('the list was refreshed'))
    return new AppError(
      'organisation_unreachable',
      `${at.orgName} did not answer (${reason(why)}) and ${list}: whether ${words} was created is unknown. Look with the list before you register it again.`,
    );
  const fresh = deps.workspace.registrations
    .idsNamed(at.organisationId, created.name)
    .filter((id) => !created.namesBefore.has(id));
  if (fresh.length > 1)
    return new AppError(
      'server_error',
      `${at.orgName} did not answer (${reason(why)}); read again, its list holds ${fresh.length} new applications named ${words} (${fresh.join(', ')}), so which one this was is unknown. Look before you register it again.`,
    );
  const app = fresh[0] === undefined ? null : deps.workspace.registrations.get(at.organisationId, fresh[0]);
  if (!app)
    return new AppError(
      'organisation_unreachable',
      `${at.orgName} did not answer (${reason(why)}); read again, its list holds no new ${words}, so nothing was created. Run it again.`,
    );
  const secret = created.isConfidential
    ? `; its secret was in the lost answer, so it has none you can use: generate a new one (apps generate-secret ${app.id})`
    : '';
  return new AppError(
    'server_error',
    `${sentence(applicationWords(app.name, app.id))} was created in ${at.orgName}, but its answer was lost (${reason(why)})${secret}. It is in the list now; do not register it again.`,
  );
}

/** A new secret whose answer could not be read: the application is read again and the refusal says what exists. */
export async function unreadableSecret(
  deps: ReadBackDeps,
  at: { organisationId: string; orgName: string },
  app: { clientId: string; name: string; secretIdsBefore: ReadonlySet<string> },
  kept: KeptFromAnswer,
  why: unknown,
): Promise<AppError> {
  const list = await refreshed(deps);
  adoptNewSecret(
    deps,
    at.organisationId,
    deps.workspace.registrations.get(at.organisationId, app.clientId),
    kept,
    app.secretIdsBefore,
  );
  return new AppError(
    'server_error',
    `A new secret of ${applicationWords(app.name, app.clientId)} was made in ${at.orgName} and ${secretWords(kept).replace(/^its secret/, 'it')}, but ${at.orgName}'s answer could not be read (${reason(why)}); ${list}.`,
  );
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
