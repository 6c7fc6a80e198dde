// How OrganisationClient's requests reach the organisation: fetch with a timeout, a reset GET asked once more, network
// errors as organisation_unreachable (and the organisation's reachability told), and 429 answered by waiting and retrying.
import { AppError } from '../../shared/errors';
import { unreachableOf, wasReset } from './answers';
import { AnswerTooLarge, capAnswer } from './answerCap';
import { retryDelayMs } from './backoff';
import type { OrganisationClientOptions, OrganisationConnection } from './requests';

/** What sending needs: the client's options (their defaults filled in), the organisation's address and its name in words. */
export type Transport = Required<
  Pick<OrganisationClientOptions, 'fetch' | 'backoff' | 'maxRetries' | 'requestTimeoutMs' | 'sleep'>
> &
  Pick<OrganisationClientOptions, 'onRateLimitWait' | 'onReachability' | 'inWords'> & {
    connection: Pick<OrganisationConnection, 'baseUrl'>;
  };

/** fetch with a timeout, network errors as organisation_unreachable, and 429 answered by waiting and retrying. */
export async function send(
  t: Transport,
  url: string,
  init: RequestInit,
  signal?: AbortSignal,
  stopWaiting?: AbortSignal,
): Promise<Response> {
  const reset = { askedAgain: false };
  const waited = { ms: 0 };
  for (let attempt = 0; ; attempt++) {
    const response = await fetchAnswer(t, url, init, signal, reset);
    t.onReachability?.({ online: true });
    if (response.status !== 429) return capAnswer(response, t.inWords);
    await waitBeforeRetry(
      t,
      response,
      attempt,
      waited,
      stopWaiting ? AbortSignal.any([stopWaiting, ...(signal ? [signal] : [])]) : signal,
    );
  }
}

/** A request that got no (whole) answer: stopped, or the organisation unreachable, as its status then says. */
export function failed(t: Transport, error: unknown, signal?: AbortSignal): AppError {
  if (signal?.aborted) return new AppError('server_error', 'The request was stopped.');
  if (error instanceof AnswerTooLarge) return error;
  const unreachable = unreachableOf(error, {
    baseUrl: t.connection.baseUrl,
    timeoutMs: t.requestTimeoutMs,
  });
  t.onReachability?.({ online: false, error: unreachable.message });
  return unreachable;
}

/** One answer of the organisation, whatever its status; `reset` says whether a reset GET was asked again already. */
async function fetchAnswer(
  t: Transport,
  url: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
  reset: { askedAgain: boolean },
): Promise<Response> {
  for (;;) {
    try {
      const timeout = AbortSignal.timeout(t.requestTimeoutMs);
      return await t.fetch(url, {
        ...init,
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      // A kept-alive connection the server closed while it lay idle resets the next request on it. A GET changes
      // nothing, so it is asked once more, on a new connection; a change is never sent twice.
      if (!reset.askedAgain && (init.method ?? 'GET') === 'GET' && !signal?.aborted && wasReset(error)) {
        reset.askedAgain = true;
        continue;
      }
      throw failed(t, error, signal);
    }
  }
}

/**
 * After a 429: waits as the organisation asks (and says so; a Stop through `signal` ends the wait), as long as the request's waits stay within the policy's
 * total (longer than UiPath's 5-minute window), or refuses once they would not, or `maxRetries` retries were made.
 */
async function waitBeforeRetry(
  t: Transport,
  response: Response,
  attempt: number,
  waited: { ms: number },
  signal?: AbortSignal,
): Promise<void> {
  const retryAfter = response.headers.get('retry-after');
  await response.body?.cancel();
  const waitMs = retryDelayMs(retryAfter, attempt, t.backoff);
  if (attempt >= t.maxRetries || waited.ms + waitMs > t.backoff.maxTotalWaitMs)
    throw new AppError(
      'rate_limited',
      `${t.inWords} is limiting requests${retryAfter ? ` (retry after ${retryAfter} s)` : ''}; OAuth Desk waited ${Math.round(waited.ms / 1000)} s in all. Try again later.`,
    );
  waited.ms += waitMs;
  t.onRateLimitWait?.(Date.now() + waitMs);
  try {
    // A Stop ends the wait at once: nothing was sent since the 429, so nothing is half-done.
    await t.sleep(waitMs, signal);
  } catch {
    throw new AppError('server_error', 'The request was stopped.');
  } finally {
    t.onRateLimitWait?.(null);
  }
}
