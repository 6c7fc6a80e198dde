// The sign-in step of the authorization-code flow: oidc-provider's interaction page, with the local organisation's users.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { IdentityDatabase } from '../store/database';
import type { UserStore } from '../store/users';
import { SIGN_IN_SCOPES, USER_SCOPES } from './clientMetadata';
import { errorBody, sendPage, signInBody, type PageSecurity } from './pages';
import { ISSUER_PATH } from './provider';
import { SignInThrottle, tooManyFailuresMessage } from './signInThrottle';

export const WRONG_CREDENTIALS = 'The user name or password is incorrect.';
const EXPIRED =
  'This sign-in has expired or was opened in another browser. Go back to the application and start signing in again.';
const MAX_FORM_BYTES = 8 * 1024;

interface SignInSettings {
  provider: Provider;
  users: UserStore;
  /** The server's database, where the sign-in throttle keeps its counts across restarts. */
  db: IdentityDatabase;
  /** The resource the user scopes are granted on: the organisation's APIs (the access tokens' audience). */
  apiAudience: string;
}

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Handles `/interaction/{uid}`. What ties the form to the authorization request is oidc-provider's own interaction
 * cookie (signed, SameSite=Lax, scoped to this path): a page elsewhere cannot post a sign-in into someone's flow.
 * There is no consent screen: an admin granted the application its user scopes when registering it.
 */
export function createSignIn(
  settings: SignInSettings,
): (req: IncomingMessage, res: ServerResponse, uid: string) => Promise<void> {
  const { provider, users } = settings;
  // Failed sign-ins per user name: one count per server, so that every interaction shares it.
  const throttle = new SignInThrottle(settings.db);

  return async (req, res, uid) => {
    const interaction = await interactionOf(provider, req, res, uid);
    if (!interaction) return;

    // Signed in already (a session of this browser) but without a grant for this app: grant it, no page needed.
    if (interaction.prompt.name !== 'login' && interaction.session?.accountId) {
      return finish(settings, interaction, interaction.session.accountId, req, res);
    }

    const page: SignInPage = {
      security: { formActions: formActionsFor(interaction) },
      applicationName: await applicationNameOf(provider, interaction),
      action: `${ISSUER_PATH}/interaction/${uid}`,
    };
    if (req.method === 'GET' || req.method === 'HEAD') {
      sendSignInPage(res, 200, page, '', null);
      return;
    }
    if (req.method !== 'POST') {
      res.statusCode = 405;
      res.setHeader('allow', 'GET, POST');
      res.end();
      return;
    }
    const accountId = await signedInAccount(req, res, page);
    if (accountId !== null) await finish(settings, interaction, accountId, req, res);
  };

  /** The account the posted form signs in, or null once the page has said why not (throttled, wrong credentials). */
  async function signedInAccount(req: IncomingMessage, res: ServerResponse, page: SignInPage): Promise<string | null> {
    const form = await readForm(req);
    const userName = form?.get('userName') ?? '';
    // A user name with too many recent failures is refused before its password is looked at, whether or not it exists.
    // Only failures count: attempts of one user name are checked one at a time, a correct one clearing the count.
    const decision = await throttle.signIn(userName, () =>
      form ? users.authenticate(userName, form.get('password') ?? '') : Promise.resolve(null),
    );
    if (!decision.allowed) {
      res.setHeader('retry-after', String(Math.ceil(decision.retryAfterMs / 1000)));
      sendSignInPage(res, 429, page, userName, tooManyFailuresMessage(decision.retryAfterMs));
      return null;
    }
    if (!decision.signedIn) {
      sendSignInPage(res, 401, page, userName, WRONG_CREDENTIALS);
      return null;
    }
    return decision.signedIn.id;
  }
}

/** Records the login and a grant of the requested scopes the app holds as user scopes, then resumes the flow. */
async function finish(
  settings: SignInSettings,
  interaction: Interaction,
  accountId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { provider } = settings;
  const clientId = String(interaction.params.client_id);
  const client = await provider.Client.find(clientId);
  const userScopes = new Set((client?.metadata()[USER_SCOPES] as string[] | undefined) ?? []);
  const scopeParam = interaction.params.scope;
  const requested = (typeof scopeParam === 'string' ? scopeParam : '').split(' ').filter(Boolean);
  const signInScopes = requested.filter((scope) => (SIGN_IN_SCOPES as readonly string[]).includes(scope));
  const resourceScopes = requested.filter((scope) => userScopes.has(scope));

  // The catalogue's scope names are also the provider's static scopes, so each granted one is recorded both ways.
  const grant = interaction.grantId
    ? ((await provider.Grant.find(interaction.grantId)) ?? new provider.Grant({ accountId, clientId }))
    : new provider.Grant({ accountId, clientId });
  grant.addOIDCScope([...signInScopes, ...resourceScopes].join(' '));
  if (resourceScopes.length > 0) grant.addResourceScope(settings.apiAudience, resourceScopes.join(' '));
  const grantId = await grant.save();

  // Anything still missing after this grant was not the app's to have (its scopes changed meanwhile): refuse it,
  // rather than send the browser round again.
  const missing =
    interaction.prompt.name === 'consent'
      ? missingScopes(interaction).filter((s) => !userScopes.has(s) && !signInScopes.includes(s))
      : [];
  const result =
    missing.length > 0
      ? { error: 'access_denied', error_description: `The application was not granted: ${missing.join(' ')}` }
      : { login: { accountId }, consent: { grantId } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

async function applicationNameOf(provider: Provider, interaction: Interaction): Promise<string> {
  const client = await provider.Client.find(String(interaction.params.client_id));
  return client?.clientName ?? String(interaction.params.client_id);
}

/** The sign-in form's page, whichever answer it goes with: where it posts, the app it names, where it may lead. */
interface SignInPage {
  action: string;
  applicationName: string;
  security: PageSecurity;
}

function sendSignInPage(
  res: ServerResponse,
  status: number,
  page: SignInPage,
  userName: string,
  error: string | null,
): void {
  const { action, applicationName, security } = page;
  sendPage(res, status, 'Sign in', signInBody({ action, applicationName, userName, error }), security);
}

/** The interaction `uid` of this browser, or null once an expired page has been sent: no interaction, or another. */
async function interactionOf(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
): Promise<Interaction | null> {
  let interaction: Interaction | null;
  try {
    interaction = await provider.interactionDetails(req, res);
  } catch {
    interaction = null;
  }
  if (interaction?.uid === uid) return interaction;
  sendPage(res, 400, 'Sign-in expired', errorBody('Sign-in cannot continue', 'Sign-in expired', EXPIRED));
  return null;
}

/** What the consent prompt reports as not yet granted, OpenID and resource scopes together. */
function missingScopes(interaction: Interaction): string[] {
  const details = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  return [...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()];
}

/**
 * The page posts to itself, and the answer redirects through the provider to the app's redirect URL; Chromium
 * applies form-action to every hop, so the app's redirect origin (or private-use scheme) is allowed too.
 */
function formActionsFor(interaction: Interaction): string[] {
  const sources = ["'self'"];
  const redirectUri = interaction.params.redirect_uri;
  const redirect = URL.parse(typeof redirectUri === 'string' ? redirectUri : '');
  if (redirect) sources.push(redirect.origin !== 'null' ? redirect.origin : redirect.protocol);
  return sources;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
