// "Sign in with my account": authorization code + PKCE S256 in the system browser, back to a loopback listener (RFC 8252).
import { noRedirects } from './noRedirects';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { BrowserOpener } from '../ports';
import type { OrganisationEndpoints } from './endpoints';
import { CALLBACK_PATH, listenOnLoopback, randomToken, sameText, sendPage } from './loopbackListener';

export interface AccountTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;
/** UiPath gives a refresh token only to a request for this scope. */
const OFFLINE_ACCESS = 'offline_access';

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().default(3600),
});
const TokenErrorAnswer = z.object({ error: z.string(), error_description: z.string().optional() });

type Outcome = { tokens: AccountTokens } | { error: AppError };

/** What the window can do with a sign-in while it waits for the browser. */
export interface AccountSignInControl {
  /** A fresh one-time start address of this sign-in (never the authorize URL, which holds the state). */
  startAddress(): string;
  /** Opens the browser again, on a fresh one-time start address. */
  reopen(): Promise<void>;
  /**
   * Ends the sign-in now: the listener closes, and the sign-in ends as cancelled ("Sign-in cancelled; nothing was
   * changed."), not as a failure.
   */
  cancel(): void;
}

export const SIGN_IN_CANCELLED = 'Sign-in cancelled; nothing was changed.';

/**
 * Signs the admin in through the system browser and returns their tokens. The browser comes back to
 * `http://127.0.0.1:<free port>/callback`; an answer whose `state` is missing or wrong is refused. The listener
 * answers that one request and closes, whatever the outcome, and also when `timeoutMs` (default 5 minutes) passes.
 */
export async function signInWithAccount(o: {
  endpoints: OrganisationEndpoints;
  orgName: string;
  clientId: string;
  scopes: readonly string[];
  openBrowser: BrowserOpener;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told, once the listener is up, how to cancel the sign-in, open it again or have a fresh start address. */
  onWaiting?: (control: AccountSignInControl) => void;
}): Promise<AccountTokens> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const verifier = randomToken();
  const state = randomToken();
  const listener = await listenOnLoopback();
  const redirectUri = `http://127.0.0.1:${String(listener.port)}${CALLBACK_PATH}`;

  const authorizeUrl = authorizeUrlOf(o, { redirectUri, state, verifier });
  // The browser is opened on a one-time address of this listener, which sends it on to the authorize URL: the state
  // and the PKCE challenge never sit on the opener's command line (xdg-open's, visible to every local user).
  const startUrl = listener.startOnce(authorizeUrl.href);

  return new Promise<AccountTokens>((resolve, reject) => {
    // The first of the callback, the timeout and a failing browser decides; the listener then closes, and only
    // after it has does the promise settle.
    let decided = false;
    const settle = (outcome: Outcome) => {
      clearTimeout(timer);
      void listener.close().then(() => {
        if ('tokens' in outcome) resolve(outcome.tokens);
        else reject(outcome.error);
      });
    };
    const decide = (error: AppError) => {
      if (decided) return;
      decided = true;
      settle({ error });
    };
    const timer = setTimeout(() => {
      decide(
        new AppError(
          'unauthorized',
          `The sign-in in the browser did not finish within ${durationText(timeoutMs)}. Start it again.`,
        ),
      );
    }, timeoutMs);

    listener.onCallback(async (url, res) => {
      if (decided) {
        sendPage(res, 409, 'This sign-in is over', 'OAuth Desk is no longer waiting for it. Start again from the app.');
        return;
      }
      // Only the browser that carries this sign-in's state ends it: any other local process reaching the listener
      // first (to cancel the sign-in, or to slip in a code of its own) is answered and ignored.
      if (isStranger(url, state, res)) return;
      decided = true;
      clearTimeout(timer);
      const outcome = await callbackOutcome(url, { ...o, state, verifier, redirectUri }).catch(
        (error: unknown): Outcome => ({ error: new AppError('internal', messageOf(error)) }),
      );
      // The page is sent before the listener closes; a browser that left during the exchange gets none.
      if (res.destroyed) {
        settle(outcome);
        return;
      }
      res.once('close', () => {
        settle(outcome);
      });
      if ('tokens' in outcome)
        sendPage(res, 200, 'Signed in', 'You are signed in to OAuth Desk; you can close this tab.');
      else sendPage(res, 400, 'Sign-in refused', outcome.error.message);
    });

    const control = controlOf(() => listener.startOnce(authorizeUrl.href), o.openBrowser, decide);
    o.onWaiting?.(control);
    void control.open(startUrl);
  });
}

/** The window's hold on a waiting sign-in: each start address fresh and one-time; Cancel decides it, as a timeout does. */
function controlOf(
  freshStart: () => string,
  browser: BrowserOpener,
  decide: (error: AppError) => void,
): AccountSignInControl & { open(url: string): Promise<void> } {
  // A browser that cannot be opened ends the sign-in with its reason.
  const open = (url: string) =>
    browser.open(url).catch((error: unknown) => {
      decide(
        error instanceof AppError
          ? error
          : new AppError('internal', `The browser could not be opened: ${messageOf(error)}.`),
      );
    });
  return {
    open,
    startAddress: freshStart,
    reopen: () => open(freshStart()),
    cancel: () => {
      decide(new AppError('cancelled', SIGN_IN_CANCELLED));
    },
  };
}

/** The organisation's authorize URL for this sign-in: the code flow with PKCE S256, and offline_access asked for. */
function authorizeUrlOf(
  o: { endpoints: OrganisationEndpoints; orgName: string; clientId: string; scopes: readonly string[] },
  flow: { redirectUri: string; state: string; verifier: string },
): URL {
  const authorizeUrl = new URL(o.endpoints.authorizeUrl);
  const query = authorizeUrl.searchParams;
  query.set('response_type', 'code');
  query.set('client_id', o.clientId);
  query.set('redirect_uri', flow.redirectUri);
  query.set('scope', [...new Set([...o.scopes, OFFLINE_ACCESS])].join(' '));
  query.set('state', flow.state);
  query.set('code_challenge', createHash('sha256').update(flow.verifier).digest('base64url'));
  query.set('code_challenge_method', 'S256');
  query.set('acr_values', `tenantName:${o.orgName}`);
  return authorizeUrl;
}

/** Exchanges a refresh token for new tokens; the organisation rotates it, so the old one is then spent. */
export async function refreshAccountTokens(o: {
  tokenUrl: string;
  clientId: string;
  refreshToken: string;
  scopes?: readonly string[];
  fetch?: typeof fetch;
}): Promise<AccountTokens> {
  const params = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: o.clientId,
    refresh_token: o.refreshToken,
  });
  if (o.scopes) params.set('scope', o.scopes.join(' '));
  const answer = await tokenRequest(noRedirects(o.fetch ?? globalThis.fetch), o.tokenUrl, params, {
    refused: 'The saved sign-in is no longer valid (expired or revoked). Sign in with your account again',
  });
  // A server that does not rotate keeps the refresh token valid (RFC 6749 §6).
  return tokensOf(answer, o.refreshToken);
}

interface CallbackCheck {
  endpoints: OrganisationEndpoints;
  clientId: string;
  state: string;
  verifier: string;
  redirectUri: string;
  fetch?: typeof fetch;
}

/** A callback without this sign-in's state: told why on its page, and true, so that the sign-in goes on waiting. */
function isStranger(url: URL, state: string, res: ServerResponse): boolean {
  const returnedState = url.searchParams.get('state');
  if (returnedState !== null && sameText(returnedState, state)) return false;
  sendPage(
    res,
    400,
    'Not this sign-in',
    `This address came back with ${returnedState === null ? 'no' : 'a wrong'} state: it is not the sign-in OAuth ` +
      'Desk started, so OAuth Desk ignored it and still waits for the browser it opened.',
  );
  return true;
}

/** What the browser brought back: checked (state, issuer, error) and, when it is a code, exchanged for tokens. */
async function callbackOutcome(url: URL, check: CallbackCheck): Promise<Outcome> {
  const query = url.searchParams;
  const returnedState = query.get('state');
  if (returnedState === null || !sameText(returnedState, check.state))
    return refused(
      `The browser came back with ${returnedState === null ? 'no' : 'a wrong'} state, so OAuth Desk refused the ` +
        'answer: it is not the sign-in OAuth Desk started. Nothing was signed in; start again from OAuth Desk.',
    );
  // RFC 9207: an answer from another issuer is a mix-up, whatever it carries.
  const issuer = query.get('iss');
  if (issuer !== null && issuer !== check.endpoints.issuer)
    return refused(`The answer came from ${issuer}, not from ${check.endpoints.issuer}. Nothing was signed in.`);
  const error = query.get('error');
  if (error !== null) {
    const description = query.get('error_description');
    return refused(`The organisation did not sign you in: ${description ? `${description} (${error})` : error}.`);
  }
  const code = query.get('code');
  if (!code) return refused('The browser came back without an authorization code. Nothing was signed in.');

  const params = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: check.clientId,
    code,
    redirect_uri: check.redirectUri,
    code_verifier: check.verifier,
  });
  try {
    const answer = await tokenRequest(noRedirects(check.fetch ?? globalThis.fetch), check.endpoints.tokenUrl, params, {
      refused: 'The organisation refused the sign-in code',
    });
    return { tokens: tokensOf(answer, null) };
  } catch (failure) {
    return { error: failure instanceof AppError ? failure : new AppError('internal', messageOf(failure)) };
  }
}

function refused(message: string): Outcome {
  return { error: new AppError('unauthorized', message) };
}

function tokensOf(answer: z.infer<typeof TokenAnswer>, previousRefreshToken: string | null): AccountTokens {
  const refreshToken = answer.refresh_token ?? previousRefreshToken;
  if (refreshToken === null)
    throw new AppError(
      'unauthorized',
      'The organisation signed you in but gave no refresh token, so OAuth Desk cannot stay signed in. ' +
        'Check that the application is non-confidential, with the user scopes PM.OAuthApp and PM.OAuthAppSecret.Write.',
    );
  return { accessToken: answer.access_token, refreshToken, expiresInSeconds: answer.expires_in };
}

/** A form post to the token endpoint of a public client (no secret), its refusals as AppErrors. */
async function tokenRequest(
  doFetch: typeof fetch,
  tokenUrl: string,
  params: URLSearchParams,
  words: { refused: string },
): Promise<z.infer<typeof TokenAnswer>> {
  let response: Response;
  try {
    response = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: params.toString(),
      signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new AppError(
      'organisation_unreachable',
      `The organisation could not be reached at ${tokenUrl}: ${messageOf(error)}.`,
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = TokenAnswer.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new AppError(
      'server_error',
      `The organisation's token answer at ${tokenUrl} is not one OAuth Desk can read.`,
    );
  }
  const problem = TokenErrorAnswer.safeParse(body);
  if (response.status === 400 || response.status === 401) {
    const reason = problem.success
      ? `${problem.data.error_description ? `${problem.data.error_description} ` : ''}(${problem.data.error})`
      : `HTTP ${String(response.status)}`;
    throw new AppError('unauthorized', `${words.refused}: ${reason}.`);
  }
  if (response.status === 429) throw new AppError('rate_limited', `The organisation's token endpoint is rate limited.`);
  throw new AppError('server_error', `The organisation's token endpoint answered HTTP ${String(response.status)}.`);
}

function durationText(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0
    ? `${String(ms / 60_000)} minute${ms === 60_000 ? '' : 's'}`
    : `${String(Math.round(ms / 1000))} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
