// Dispatches each request of the one HTTP server: the management API, the sign-in page, or oidc-provider.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import { ISSUER_PATH } from '../oauth/provider';
import { pathUnderIssuer } from './organizationPath';

const API_PATH = '/api';

export interface RouterParts {
  /** The organisation whose `/{org}/identity_/…` paths are this server's, besides `/identity_/…`. */
  orgName: string;
  provider: Provider;
  management: Koa;
  /** The sign-in page of interaction `uid`. */
  signIn: (req: IncomingMessage, res: ServerResponse, uid: string) => Promise<void>;
  /** The token endpoint's front (federated client assertions); the request goes on to `forward` unless it answers. */
  tokenFront?: (
    req: IncomingMessage,
    res: ServerResponse,
    forward: (req: IncomingMessage, res: ServerResponse) => void,
  ) => Promise<void>;
}

/**
 * Both path forms reduce to the path under the issuer: `/api/…` goes to the management API, `/interaction/{uid}` to
 * the sign-in page, the rest to oidc-provider (which answers CORS itself, per client). Anything else is a JSON 404.
 */
export function createRouter(parts: RouterParts): RequestListener {
  const { orgName, signIn } = parts;
  const provide = parts.provider.callback();
  const manage = parts.management.callback();

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const path = pathUnderIssuer(url.pathname, orgName, ISSUER_PATH);
    if (path === null) {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 404, title: 'Not found.' }));
      return;
    }
    if (path === API_PATH || path.startsWith(`${API_PATH}/`)) {
      req.url = (path.slice(API_PATH.length) || '/') + url.search;
      void manage(req, res);
      return;
    }
    const interactionUid = /^\/interaction\/([\w-]+)$/.exec(path)?.[1];
    if (interactionUid !== undefined) {
      signIn(req, res, interactionUid).catch((error: unknown) => {
        console.error('Sign-in page failed:', error);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
      return;
    }
    if (path === '/connect/authorize') {
      dropTenantAcrValue(url, orgName);
      allowOfflineAccess(url);
    }
    // oidc-provider derives its mount path from originalUrl minus url, as under Express: its generated URLs
    // (discovery, interactions, resume) then stay under /identity_ whichever form the request came in.
    req.url = path + url.search;
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = ISSUER_PATH + req.url;
    if (path === '/connect/token' && req.method === 'POST' && parts.tokenFront) {
      parts
        .tokenFront(req, res, (forwarded, answer) => void provide(forwarded, answer))
        .catch((error: unknown) => {
          console.error('Token endpoint failed:', error);
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
      return;
    }
    void provide(req, res);
  };
}

/**
 * UiPath's clients send `acr_values=tenantName:{org}`, which oidc-provider refuses without the `openid` scope.
 * The organisation is this server's, so the value says nothing more: it is checked and dropped.
 */
function dropTenantAcrValue(url: URL, orgName: string): void {
  const acr = url.searchParams.get('acr_values');
  if (acr === null) return;
  const rest = acr.split(' ').filter((value) => value.toLowerCase() !== `tenantname:${orgName.toLowerCase()}`);
  if (rest.length > 0) url.searchParams.set('acr_values', rest.join(' '));
  else url.searchParams.delete('acr_values');
}

/**
 * UiPath's clients add `offline_access` to the scope and expect a refresh token. oidc-provider follows OpenID Connect
 * Core §11 and drops `offline_access` unless the request says `prompt=consent`. An admin's grant is this server's
 * consent (the sign-in page never asks), so a request for offline access is marked as one that consents; the
 * interaction then finishes without a page when the browser is already signed in. `prompt=none` is left alone.
 */
function allowOfflineAccess(url: URL): void {
  const scopes = (url.searchParams.get('scope') ?? '').split(' ');
  if (!scopes.includes('offline_access')) return;
  const prompts = (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
  if (prompts.includes('none') || prompts.includes('consent')) return;
  url.searchParams.set('prompt', [...prompts, 'consent'].join(' '));
}
