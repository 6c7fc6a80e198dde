// The Keychain port over keytar (macOS Keychain, Windows Credential Manager, Secret Service on Linux).
// keytar is archived upstream; @napi-rs/keyring is its maintained successor, and swapping means replacing this file only.
import { createRequire } from 'node:module';
import type { Keychain } from '../ports';
import { keychainUnavailable } from './keychain';

interface Keytar {
  setPassword(service: string, account: string, password: string): Promise<void>;
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

// keytar is a CommonJS native module; loading it lazily means a machine without it still opens the app,
// and the first keychain use reports the problem as keychain_unavailable instead of crashing at start.
let loaded: Keytar | null = null;
function keytar(): Keytar {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = require('keytar') as Keytar;
  }
  return loaded;
}

async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw keychainUnavailable(error);
  }
}

export function createKeytarKeychain(): Keychain {
  return {
    set: (service, account, value) => guarded(() => keytar().setPassword(service, account, value)),
    get: (service, account) => guarded(() => keytar().getPassword(service, account)),
    delete: (service, account) => guarded(() => keytar().deletePassword(service, account)),
  };
}
