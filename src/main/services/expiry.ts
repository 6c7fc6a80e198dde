// The expiry service: the secrets of every organisation that expire soon or have expired, read from the cache, and
// the one notification they deserve at start and then daily.
import type { ExpiringSecret, ExternalClient } from '../../shared/model';
import { EXPIRING_WITHIN_DAYS } from '../../shared/secrets';
import type { Notifier } from '../ports';
import type { Workspace } from '../workspace/workspace';

const DAY_MS = 24 * 3600 * 1000;

/** How often the running app looks again, besides once at start. */
export const EXPIRY_CHECK_EVERY_MS = DAY_MS;

export interface ExpiryNotice {
  title: string;
  body: string;
}

/** The secrets of `apps` (one organisation's) that expire within `withinDays` of `now` or have expired. */
export function expiringSecretsOf(
  organisation: { id: string; name: string },
  apps: readonly ExternalClient[],
  withinDays: number,
  now: Date,
): ExpiringSecret[] {
  const horizon = now.getTime() + withinDays * DAY_MS;
  return apps.flatMap((app) =>
    app.secrets.flatMap((secret) => {
      if (secret.expiryTime === null) return [];
      const expiresAt = Date.parse(secret.expiryTime);
      if (expiresAt > horizon) return [];
      return [
        {
          organisation: organisation.id,
          tenantName: organisation.name,
          clientId: app.id,
          appName: app.name,
          secretId: secret.id,
          description: secret.description,
          expiryTime: secret.expiryTime,
          expired: expiresAt <= now.getTime(),
        },
      ];
    }),
  );
}

/** Soonest first; the same instant in organisation, then application name order, so the list does not shuffle. */
export function bySoonest(a: ExpiringSecret, b: ExpiringSecret): number {
  return (
    Date.parse(a.expiryTime) - Date.parse(b.expiryTime) ||
    a.tenantName.localeCompare(b.tenantName) ||
    a.appName.localeCompare(b.appName) ||
    a.secretId.localeCompare(b.secretId)
  );
}

/**
 * Whether the expiring secrets deserve a notification, and its words: one notification summing them up, e.g.
 * "3 secrets expire within 30 days, 1 has expired"; null when nothing expires within `withinDays`.
 */
export function expiryNotice(
  secrets: readonly ExpiringSecret[],
  withinDays: number = EXPIRING_WITHIN_DAYS,
): ExpiryNotice | null {
  if (secrets.length === 0) return null;
  const expired = secrets.filter((s) => s.expired).length;
  const expiring = secrets.length - expired;
  const within = `within ${withinDays} day${withinDays === 1 ? '' : 's'}`;
  const expiringPart = `${expiring} secret${expiring === 1 ? ' expires' : 's expire'} ${within}`;
  const expiredVerb = expired === 1 ? 'has expired' : 'have expired';
  let body: string;
  if (expired === 0) body = expiringPart;
  else if (expiring === 0) body = `${expired} secret${expired === 1 ? '' : 's'} ${expiredVerb}`;
  else body = `${expiringPart}, ${expired} ${expiredVerb}`;
  return { title: 'App secrets to renew', body };
}

export function expiryService(deps: { workspace: Workspace; now?: () => Date }) {
  const { workspace } = deps;
  const clock = deps.now ?? (() => new Date());

  function list(withinDays: number): ExpiringSecret[] {
    const now = clock();
    const horizon = now.getTime() + withinDays * DAY_MS;
    return workspace.organisations
      .list()
      .flatMap((organisation) => {
        // Each cached app carries its soonest expiry, indexed: only apps with a secret expiring by then are read. The
        // bound is a day late, so that a date written in another ISO form is never cut off; each secret is then
        // checked to the millisecond.
        const apps = workspace.registrations.withSecretsExpiringBy(
          organisation.id,
          new Date(horizon + DAY_MS).toISOString(),
        );
        return expiringSecretsOf(
          { id: organisation.id, name: organisation.displayName || organisation.orgName },
          apps,
          withinDays,
          now,
        );
      })
      .sort(bySoonest);
  }

  return {
    /** Secrets that expire within `withinDays` or have expired, in every organisation, soonest first. */
    list,

    /** Looks once: raises one notification when anything expires within 30 days or has expired; answers it. */
    check(notifier: Notifier): ExpiryNotice | null {
      const notice = expiryNotice(list(EXPIRING_WITHIN_DAYS));
      if (notice) notifier.notify(notice.title, notice.body);
      return notice;
    },
  };
}
export type ExpiryService = ReturnType<typeof expiryService>;

/** Checks at once and then every `everyMs`, until stopped (when the app context closes). */
export function watchExpiringSecrets(
  expiry: ExpiryService,
  notifier: Notifier,
  everyMs: number = EXPIRY_CHECK_EVERY_MS,
): { stop(): void } {
  expiry.check(notifier);
  // Unref'd: a check due tomorrow never keeps the process alive.
  const timer = setInterval(() => expiry.check(notifier), everyMs).unref();
  return {
    stop: () => {
      clearInterval(timer);
    },
  };
}
