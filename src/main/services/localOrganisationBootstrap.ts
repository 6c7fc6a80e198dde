// What to do at start about the local organisation, decided from what is known of it; organisations/localBootstrap.ts
// gathers the facts and carries the plan out.
import { AppError } from '../../shared/errors';
import { keychainUnavailable } from '../keychain/keychain';

/** A secret as the server issues it: its value is in this answer only. */
export interface IssuedSecret {
  id: string;
  value: string;
}

/** The local organisation's admin secret, as found at start. */
export type AdminSecretFinding =
  /** The server just created the admin application and issued its first secret. */
  | { state: 'issued'; secret: IssuedSecret }
  /** The keychain holds it and the server, run by this process, accepted it. */
  | { state: 'works' }
  /** The keychain holds it; another process runs the server, so it is trusted as it is. */
  | { state: 'unchecked' }
  /** The keychain holds one the server refuses: deleted or expired there. */
  | { state: 'refused' }
  /** The keychain holds none (or the workspace records none). */
  | { state: 'missing' }
  /** The keychain could not be read. */
  | { state: 'unreadable'; cause: unknown };

export interface LocalOrganisationFacts {
  /** The local organisation as the workspace recorded it at an earlier start; null when it never did. */
  known: { partitionGlobalId: string } | null;
  /** What the local Identity Server reports, and whether this process runs it (and so can issue a new secret). */
  server: { partitionGlobalId: string; runsHere: boolean };
  adminSecret: AdminSecretFinding;
}

export type LocalOrganisationPlan =
  /** Nothing is recorded: the start fails with `error`. */
  | { kind: 'refuse'; error: AppError }
  /** Keep the secret the server just issued; `announce` records the connection in the activity list. */
  | { kind: 'create'; secret: IssuedSecret; forgetCache: boolean; announce: boolean }
  /** Ask the server for a new admin secret: the keychain holds no working one. */
  | { kind: 'reissue'; forgetCache: boolean }
  /** The keychain's admin secret serves as it is. */
  | { kind: 'keep'; forgetCache: boolean };

export function planLocalOrganisation(facts: LocalOrganisationFacts): LocalOrganisationPlan {
  const { known, server, adminSecret } = facts;
  if (!known && !server.runsHere)
    return {
      kind: 'refuse',
      error: new AppError(
        'organisation_unreachable',
        'The local Identity Server is run by another OAuth Desk process, but this workspace does not know it yet. Stop the other process and try again.',
      ),
    };
  // A new partition means a new server database: the cached applications belong to the old one.
  const forgetCache = known !== null && known.partitionGlobalId !== server.partitionGlobalId;
  switch (adminSecret.state) {
    case 'issued':
      return { kind: 'create', secret: adminSecret.secret, forgetCache, announce: known === null || forgetCache };
    case 'works':
    case 'unchecked':
      return { kind: 'keep', forgetCache };
    case 'unreadable':
      if (!server.runsHere) return { kind: 'refuse', error: keychainUnavailable(adminSecret.cause) };
      return { kind: 'reissue', forgetCache };
    case 'refused':
    case 'missing':
      if (!server.runsHere)
        return {
          kind: 'refuse',
          error: new AppError(
            'unauthorized',
            "The keychain does not hold the local admin application's secret. Stop the other OAuth Desk process so this one can issue a new secret.",
          ),
        };
      return { kind: 'reissue', forgetCache };
  }
}
