// A small OIDC issuer on loopback in the style of a CI provider (GitHub Actions, GitLab CI): its own RSA key, a
// discovery document and a JWKS, and ID tokens for a pipeline. Tests of federated credentials get their JWTs here.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface TestIssuer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash), the iss of its tokens. */
  issuer: string;
  /** A pipeline's ID token: RS256 with the issuer's key, 5 minutes, a fresh jti; claims override the defaults. */
  token(claims: JWTPayload & { sub: string; aud: string | string[] }, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

interface TokenOptions {
  /** Sign with another key than the one the JWKS publishes (a forged token). */
  key?: CryptoKey;
  kid?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Extra claims, e.g. padding to make a large token. */
  extra?: Record<string, unknown>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/.well-known/jwks') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    async token(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, jti: randomUUID(), ...options.extra, ...claims })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? kid })
        .setIssuedAt(now)
        .setNotBefore(now - 5)
        .setExpirationTime(now + (options.expiresIn ?? 300))
        .sign(options.key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
