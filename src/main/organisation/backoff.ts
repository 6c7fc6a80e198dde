// How long to wait before retrying a request the organisation refused with 429, from its Retry-After header.

export interface BackoffPolicy {
  /** Never wait longer than this for one retry, whatever the server says. */
  maxWaitMs: number;
  /** Used when Retry-After is missing or unreadable; doubled for each attempt, up to maxGuessMs. */
  baseWaitMs: number;
  /** The longest wait OAuth Desk guesses by itself, without a Retry-After. */
  maxGuessMs: number;
  /** Up to this much is added at random, so that many clients do not retry in step. */
  jitterMs: number;
  /**
   * How long one request may wait in all before it gives up: longer than UiPath's 5-minute windows, so that bulk work
   * outlasts a window instead of failing inside it.
   */
  maxTotalWaitMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxWaitMs: 300_000,
  baseWaitMs: 1_000,
  maxGuessMs: 30_000,
  jitterMs: 250,
  maxTotalWaitMs: 360_000,
};

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The wait before retry number `attempt` (0-based). */
export function retryDelayMs(
  retryAfter: string | null,
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  const asked = parseRetryAfter(retryAfter, now) ?? Math.min(policy.maxGuessMs, policy.baseWaitMs * 2 ** attempt);
  return Math.min(policy.maxWaitMs, asked) + Math.floor(random() * policy.jitterMs);
}

/** Waits `ms`; a `signal` that aborts ends the wait at once, rejecting (a Stop during a rate-limit wait). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  const stopped = () => new Error('The wait was stopped.');
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(stopped());
      return;
    }
    const stop = () => {
      clearTimeout(timer);
      reject(stopped());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}
