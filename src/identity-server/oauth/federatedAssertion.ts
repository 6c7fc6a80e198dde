// A federated client_assertion judged as UiPath documents it: at most 8 KB, RS256 only, signed by a key of the issuer's
// JWKS, then iss, aud, sub, exp and nbf (small skew), and a jti used once. Every refusal is a sentence.
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import {
  FEDERATED_CLOCK_SKEW_SECONDS,
  FEDERATED_JWT_ALG,
  FEDERATED_JWT_MAX_BYTES,
  jwtByteLength,
} from '../../shared/federated';
import type { FederatedCredentialStore, StoredFederatedCredential } from '../store/federatedCredentials';
import { IssuerUnreachable, type IssuerKeys } from './federatedIssuers';

export type AssertionVerdict = { ok: true; credential: StoredFederatedCredential } | { ok: false; reason: string };

interface AssertionSettings {
  credentials: FederatedCredentialStore;
  issuerKeys: IssuerKeys;
}

const refuse = (reason: string): AssertionVerdict => ({ ok: false, reason });

/** The unverified header and claims, or a refusal when it is not a JWT at all. */
function decoded(assertion: string): { alg: unknown; claims: JWTPayload } | string {
  try {
    return { alg: decodeProtectedHeader(assertion).alg, claims: decodeJwt(assertion) };
  } catch {
    return 'The client_assertion is not a JWT.';
  }
}

/** Which claim keeps a verified token from every credential of its issuer, as a sentence. */
function mismatch(candidates: readonly StoredFederatedCredential[], claims: JWTPayload): string {
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  const sameSubject = candidates.filter((c) => c.subject === claims.sub);
  if (sameSubject.length === 0)
    return `No federated credential of this application has issuer ${String(claims.iss)} and subject ${String(claims.sub)} (sub must match exactly).`;
  const wanted = sameSubject.map((c) => c.audience).join(', ');
  return `The token's aud (${audiences.join(', ')}) does not contain the credential's audience (${wanted}).`;
}

function verifyFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The client_assertion has expired (exp).';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'The client_assertion is not valid yet (nbf).';
    return `The client_assertion's ${error.claim} claim is refused: ${error.reason}.`;
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return "No key of the issuer's JWKS matches the client_assertion's kid.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return "The client_assertion's signature does not verify with the issuer's keys.";
  if (error instanceof joseErrors.JOSEError) return `The client_assertion cannot be verified (${error.code}).`;
  throw error;
}

/** The credential the assertion matches, or why it matches none. */
export async function verifyFederatedAssertion(
  settings: AssertionSettings,
  clientId: string,
  assertion: string,
): Promise<AssertionVerdict> {
  const size = jwtByteLength(assertion);
  if (size > FEDERATED_JWT_MAX_BYTES)
    return refuse(`The client_assertion is ${size} bytes; at most ${FEDERATED_JWT_MAX_BYTES} are accepted.`);
  const all = settings.credentials.list(clientId);
  if (all.length === 0) return refuse('This application has no federated credentials.');
  const token = decoded(assertion);
  if (typeof token === 'string') return refuse(token);
  if (token.alg !== FEDERATED_JWT_ALG)
    return refuse(`The client_assertion is signed with ${String(token.alg)}; only ${FEDERATED_JWT_ALG} is accepted.`);
  const issuer = token.claims.iss;
  const candidates = all.filter((c) => c.issuer === issuer);
  if (typeof issuer !== 'string' || candidates.length === 0)
    return refuse(
      `No federated credential of this application has the issuer ${String(issuer)} (iss must match exactly).`,
    );

  let claims: JWTPayload;
  try {
    const keys = await settings.issuerKeys.keysOf(issuer);
    ({ payload: claims } = await jwtVerify(assertion, keys, {
      issuer,
      algorithms: [FEDERATED_JWT_ALG],
      clockTolerance: FEDERATED_CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'sub', 'aud'],
    }));
  } catch (error) {
    if (error instanceof IssuerUnreachable) return refuse(error.message);
    return refuse(verifyFailure(error));
  }
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  const credential = candidates.find((c) => c.subject === claims.sub && audiences.includes(c.audience));
  if (!credential) return refuse(mismatch(candidates, claims));
  if (
    typeof claims.jti === 'string' &&
    !settings.credentials.useOnce(issuer, claims.jti, (claims.exp ?? 0) + FEDERATED_CLOCK_SKEW_SECONDS)
  )
    return refuse('The client_assertion was already used (its jti); ask the identity provider for a new one.');
  return { ok: true, credential };
}
