// "Why was my token refused?": a pasted JWT decoded in main (never verified, stored or sent anywhere) and judged against
// each federated credential of an application as UiPath judges it: iss, aud and sub exactly, RS256 only, at most 8 KB,
// exp and nbf with the small clock skew. The signature is the organisation's to check, with the issuer's keys.
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { FederatedCredential, FederatedDifference, FederatedTokenCheck } from '../../shared/contract';
import {
  FEDERATED_CLOCK_SKEW_SECONDS,
  FEDERATED_JWT_ALG,
  FEDERATED_JWT_MAX_BYTES,
  jwtByteLength,
} from '../../shared/federated';

type Token = FederatedTokenCheck['token'];

/** Where two texts first differ, in words ("at character 18"), or how one is longer. */
export function whereDiffers(expected: string, actual: string): string {
  const shorter = Math.min(expected.length, actual.length);
  for (let i = 0; i < shorter; i++) if (expected[i] !== actual[i]) return `at character ${i + 1}`;
  return actual.length > expected.length
    ? `after character ${shorter}: the token's is longer`
    : `after character ${shorter}: the token's is shorter`;
}

const seconds = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const iso = (value: number | null): string | null => {
  if (value === null) return null;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};
const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function unreadable(sizeBytes: number, problem: string): Token {
  return {
    ...{ readable: false, problem, alg: null, sizeBytes, iss: null, aud: [], sub: null },
    ...{ exp: null, nbf: null, expired: false },
  };
}

/** The header and claims as the token carries them, unverified; or why the text is not a JWT. */
function decode(jwt: string, now: number): { token: Token; claims: JWTPayload | null } {
  const sizeBytes = jwtByteLength(jwt);
  let alg: unknown;
  let claims: JWTPayload;
  try {
    alg = decodeProtectedHeader(jwt).alg;
    claims = decodeJwt(jwt);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { token: unreadable(sizeBytes, `The text is not a JWT (${why}).`), claims: null };
  }
  const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  const exp = seconds(claims.exp);
  const token: Token = {
    ...{ readable: true, problem: null, alg: textOf(alg), sizeBytes, iss: textOf(claims.iss) },
    ...{ aud: aud.filter((a): a is string => typeof a === 'string'), sub: textOf(claims.sub) },
    ...{
      exp: iso(exp),
      nbf: iso(seconds(claims.nbf)),
      expired: exp !== null && exp + FEDERATED_CLOCK_SKEW_SECONDS < now,
    },
  };
  return { token, claims };
}

/** What refuses the token whatever the credential: its algorithm, size, expiry and not-before. */
function tokenProblems(token: Token, claims: JWTPayload, now: number): FederatedDifference[] {
  const problems: FederatedDifference[] = [];
  if (token.alg !== FEDERATED_JWT_ALG)
    problems.push({
      ...{ claim: 'alg', expected: FEDERATED_JWT_ALG, actual: token.alg ?? '' },
      message: `The token is signed with ${token.alg ?? 'no algorithm'}; only ${FEDERATED_JWT_ALG} is accepted.`,
    });
  if (token.sizeBytes > FEDERATED_JWT_MAX_BYTES)
    problems.push({
      ...{ claim: 'size', expected: `at most ${FEDERATED_JWT_MAX_BYTES} bytes`, actual: `${token.sizeBytes} bytes` },
      message: `The token is ${token.sizeBytes} bytes; one over ${FEDERATED_JWT_MAX_BYTES} is refused before it is validated.`,
    });
  const exp = seconds(claims.exp);
  if (exp === null)
    problems.push({ claim: 'exp', expected: 'a time', actual: '', message: 'The token has no exp: it must expire.' });
  else if (token.expired)
    problems.push({
      ...{ claim: 'exp', expected: `after ${iso(now)}`, actual: token.exp ?? String(exp) },
      message: `The token expired at ${token.exp ?? exp}; ask the identity provider for a new one.`,
    });
  const nbf = seconds(claims.nbf);
  if (nbf !== null && nbf - FEDERATED_CLOCK_SKEW_SECONDS > now)
    problems.push({
      ...{ claim: 'nbf', expected: `before ${iso(now)}`, actual: token.nbf ?? String(nbf) },
      message: `The token is not valid until ${token.nbf ?? nbf} (nbf).`,
    });
  return problems;
}

/** The credential's own claims: iss and sub exactly, its audience among aud. */
function credentialDifferences(credential: FederatedCredential, token: Token): FederatedDifference[] {
  const differences: FederatedDifference[] = [];
  const exact = (claim: 'iss' | 'sub', expected: string, actual: string | null, field: string) => {
    if (actual === expected) return;
    differences.push({
      ...{ claim, expected, actual: actual ?? '' },
      message:
        actual === null
          ? `The token has no ${claim}; the credential's ${field} is ${expected}.`
          : `${claim} differs from the credential's ${field} ${whereDiffers(expected, actual)} (matched exactly).`,
    });
  };
  exact('iss', credential.issuer, token.iss, 'issuer');
  if (!token.aud.includes(credential.audience))
    differences.push({
      ...{ claim: 'aud', expected: credential.audience, actual: token.aud.join(', ') },
      message:
        token.aud.length === 0
          ? `The token has no aud; it must contain the credential's audience ${credential.audience}.`
          : `aud does not contain the credential's audience ${credential.audience}.`,
    });
  exact('sub', credential.subject, token.sub, 'subject');
  return differences;
}

/** Judges `jwt` against each credential; `now` in seconds since the epoch. */
export function checkFederatedToken(
  jwt: string,
  credentials: readonly FederatedCredential[],
  now = Math.floor(Date.now() / 1000),
): FederatedTokenCheck {
  const { token, claims } = decode(jwt, now);
  if (!claims)
    return {
      token,
      matchedCredentialId: null,
      credentials: credentials.map((c) => ({ id: c.id, name: c.name, matches: false, differences: [] })),
    };
  const common = tokenProblems(token, claims, now);
  const verdicts = credentials.map((credential) => {
    const differences = [...credentialDifferences(credential, token), ...common];
    return { id: credential.id, name: credential.name, matches: differences.length === 0, differences };
  });
  return { token, matchedCredentialId: verdicts.find((v) => v.matches)?.id ?? null, credentials: verdicts };
}
