// The token endpoint's front for federated credentials: a client_credentials request that authenticates with a
// client_assertion of the workload's identity provider (not the client's own key, so oidc-provider's private_key_jwt
// cannot judge it) is judged here; once it matches a credential, oidc-provider issues the token as for any
// client_credentials request, the client authenticated by a one-time, in-memory proof that never leaves the process.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage, type ServerResponse } from 'node:http';
import { JWT_BEARER_ASSERTION_TYPE } from '../../shared/federated';
import { verifyFederatedAssertion } from './federatedAssertion';
import type { IssuerKeys } from './federatedIssuers';
import type { ClientStore } from '../store/clients';
import type { FederatedCredentialStore } from '../store/federatedCredentials';

/** oidc-provider's own limit on a form body; a larger one is handed over unread for it to refuse. */
const BODY_LIMIT = 56 * 1024;
/** How long a proof may wait for oidc-provider (it is used within the same request). */
const PROOF_TTL_MS = 30_000;

export type Forward = (req: IncomingMessage, res: ServerResponse) => void;

/** One-time proofs that a client was authenticated by a federated assertion, checked by compareClientSecret. */
export class FederatedProofs {
  private readonly proofs = new Map<string, { clientId: string; expiresAt: number }>();

  issue(clientId: string): string {
    const now = Date.now();
    for (const [key, proof] of this.proofs) if (proof.expiresAt < now) this.proofs.delete(key);
    const value = `federated.${randomBytes(32).toString('base64url')}`;
    this.proofs.set(value, { clientId, expiresAt: now + PROOF_TTL_MS });
    return value;
  }

  /** Whether `presented` is a live proof for `clientId`; a proof is consumed by its first check. */
  consume(clientId: string, presented: string): boolean {
    if (!presented.startsWith('federated.')) return false;
    const proof = this.proofs.get(presented);
    if (!proof) return false;
    this.proofs.delete(presented);
    const sameClient =
      proof.clientId.length === clientId.length && timingSafeEqual(Buffer.from(proof.clientId), Buffer.from(clientId));
    return sameClient && proof.expiresAt >= Date.now();
  }
}

interface FrontSettings {
  clients: Pick<ClientStore, 'getForAuthorization'>;
  credentials: FederatedCredentialStore;
  issuerKeys: IssuerKeys;
  proofs: FederatedProofs;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A request like `req` with `body` as its body, for oidc-provider to read as if it came from the socket. */
function replayed(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = { ...req.headers, 'content-length': String(body.length) };
  (copy as IncomingMessage & { originalUrl?: string }).originalUrl = (
    req as IncomingMessage & { originalUrl?: string }
  ).originalUrl;
  copy.push(body);
  copy.push(null);
  // The whole message is here: ending it must not abort (and close) the connection it came on.
  copy.complete = true;
  return copy;
}

function refuse(res: ServerResponse, description: string): void {
  res.statusCode = 401;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify({ error: 'invalid_client', error_description: description }));
}

/**
 * Handles POST /connect/token: a request with client_assertion_type jwt-bearer is judged against the application's
 * federated credentials (refused as invalid_client with the reason), every other goes to oidc-provider unchanged.
 */
export function federatedTokenFront(settings: FrontSettings) {
  return async (req: IncomingMessage, res: ServerResponse, forward: Forward): Promise<void> => {
    const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    if (!isForm) {
      forward(req, res);
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      refuseTooLarge(res);
      return;
    }
    const params = new URLSearchParams(body.toString('utf8'));
    if (params.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE || !params.has('client_assertion')) {
      forward(replayed(req, body), res);
      return;
    }
    const outcome = await judged(settings, params);
    if (typeof outcome === 'string') refuse(res, outcome);
    else forward(replayed(req, outcome), res);
  };
}

/** The request oidc-provider is to answer (the assertion judged and replaced by a proof), or why it is refused. */
async function judged(settings: FrontSettings, params: URLSearchParams): Promise<Buffer | string> {
  const clientId = params.get('client_id');
  if (!clientId) return 'client_id is required with a federated client_assertion.';
  if (params.getAll('client_assertion').length > 1) return 'Send one client_assertion.';
  const verdict = await verifyFederatedAssertion(settings, clientId, params.get('client_assertion') ?? '');
  if (!verdict.ok) return verdict.reason;
  const rewritten = new URLSearchParams();
  for (const [key, value] of params)
    if (key !== 'client_assertion' && key !== 'client_assertion_type') rewritten.append(key, value);
  rewritten.set('client_secret', settings.proofs.issue(clientId));
  // As UiPath does, a federated token carries the application's scopes when the request names none.
  if (!params.get('scope')) rewritten.set('scope', applicationScopes(settings, clientId));
  return Buffer.from(rewritten.toString(), 'utf8');
}

function applicationScopes(settings: FrontSettings, clientId: string): string {
  const scopes = settings.clients.getForAuthorization(clientId)?.scopes ?? [];
  return scopes
    .filter((scope) => scope.type === 'application')
    .map((scope) => scope.name)
    .join(' ');
}

function refuseTooLarge(res: ServerResponse): void {
  res.statusCode = 400;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('connection', 'close');
  res.end(JSON.stringify({ error: 'invalid_request', error_description: 'The request body is too large.' }));
}
