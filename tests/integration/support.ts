// What the integration tests of the main process share: a temp data folder, a per-test keychain service that is
// cleaned up afterwards, a keychain that can be made to refuse, and a typed way to call the dispatch.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { OperationName, OutputOf, RawInputOf } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import type { Dispatch } from '../../src/main/dispatch';
import type { Keychain } from '../../src/main/keychain/keychain';
import { createKeytarKeychain } from '../../src/main/keychain/keytar';

export interface Keytar {
  setPassword(service: string, account: string, password: string): Promise<void>;
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}
/** keytar itself, to read back what the app stored the way any other program on the machine would. */
export const keytar = createRequire(import.meta.url)('keytar') as Keytar;

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'oauth-desk-it-'));
}

export function testKeychainService(): string {
  return `oauth-desk-test-${randomBytes(4).toString('hex')}`;
}

export async function clearKeychainService(service: string): Promise<void> {
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

/**
 * The real keychain, except that `refusing` makes `set` fail as a Secret Service does when it is not running —
 * the one fake the tests allow, since a real refusal cannot be caused on demand.
 */
export function refusableKeychain(): Keychain & { refusing: boolean } {
  const real = createKeytarKeychain();
  const keychain = {
    refusing: false,
    async set(service: string, account: string, value: string) {
      if (keychain.refusing)
        throw new AppError(
          'keychain_unavailable',
          'The OS keychain is not available (no Secret Service is running). Details: org.freedesktop.DBus.Error.ServiceUnknown',
        );
      return real.set(service, account, value);
    },
    get: (service: string, account: string) => real.get(service, account),
    delete: (service: string, account: string) => real.delete(service, account),
  };
  return keychain;
}

/** Calls an operation through the dispatch; a typed error becomes a thrown AppError. */
export function caller(dispatch: Dispatch) {
  return async <K extends OperationName>(operation: K, input: RawInputOf<K>): Promise<OutputOf<K>> => {
    const result = await dispatch(operation, input);
    if (!result.ok) throw AppError.from(result.error);
    return result.value as OutputOf<K>;
  };
}

/** The files under `dir` (every depth, WAL and journal files included) whose bytes contain any of `values`. */
export function filesContaining(dir: string, values: readonly string[]): string[] {
  const needles = values.filter((v) => v.length > 0).map((v) => Buffer.from(v, 'utf8'));
  const hits: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const bytes = readFileSync(full);
        if (needles.some((n) => bytes.includes(n))) hits.push(full);
      }
    }
  };
  walk(dir);
  return hits;
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** An OAuth client library's view of an application, as an integration holding `secret` configures it. */
export function oauthClient(issuer: string, clientId: string, secret: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, secret, oidc.ClientSecretPost(secret), {
    execute: [oidc.allowInsecureRequests],
  });
}
