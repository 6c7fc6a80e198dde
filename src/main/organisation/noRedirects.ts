// An organisation's answers are never followed elsewhere: a token or API request that is answered with a redirect
// (a 307 or 308 would send the admin secret on, to plain http or another host) is an error naming where it pointed.
import { AppError } from '../../shared/errors';

export function noRedirects(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, { ...init, redirect: 'manual' });
    if (response.type !== 'opaqueredirect' && (response.status < 300 || response.status > 399)) return response;
    await response.body?.cancel();
    const from = input instanceof Request ? input.url : String(input);
    const to = response.headers.get('location');
    throw new AppError(
      'server_error',
      `${new URL(from).host} answered ${from} with a redirect${to ? ` to ${to}` : ''}. OAuth Desk never follows a redirect from an organisation, so nothing was sent there; check the organisation's base URL.`,
    );
  };
}
