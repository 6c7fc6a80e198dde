// The server's signing keys (RS256, 2048 bits) and cookie keys: generated once per data folder, kept in a 0600 file.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';

const KEYS_FILE = 'signing-keys.json';

export interface ServerKeys {
  /** Private JWKs, newest first: the first signs, all verify. */
  signing: JWK[];
  /** Keys that sign oidc-provider's cookies. */
  cookies: string[];
}

export function loadOrCreateKeys(dataDir: string): ServerKeys {
  const file = join(dataDir, KEYS_FILE);
  if (existsSync(file)) {
    // Tighten a file someone loosened; it holds private keys.
    chmodSync(file, 0o600);
    return JSON.parse(readFileSync(file, 'utf8')) as ServerKeys;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const keys: ServerKeys = {
    signing: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }],
    cookies: [randomBytes(32).toString('base64url')],
  };
  // 'wx' refuses to overwrite a file another process created meanwhile.
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
  return keys;
}

/** The public half of each signing key, for verifying tokens without oidc-provider. */
export function publicJwks(keys: ServerKeys): { keys: JWK[] } {
  return {
    keys: keys.signing.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use })),
  };
}
