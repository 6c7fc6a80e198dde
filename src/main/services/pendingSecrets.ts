// Secrets the keychain refused, held in memory only (never on disk) until the admin retries or dismisses them.
import { randomUUID } from 'node:crypto';
import type { KeychainRef } from '../../shared/model';

export interface PendingSecret {
  organisationId: string;
  clientId: string;
  secretId: string;
  value: string;
  keychain: KeychainRef;
  createdAt: string;
  expiresAt: string | null;
  /**
   * What must happen once the value is safely in the keychain, e.g. deleting the secrets it replaces: never before,
   * so that a refused keychain cannot leave an application without a secret anyone holds. Answers the secrets deleted.
   */
  afterStored?: () => Promise<string[]>;
}

export function pendingSecretStore() {
  const pending = new Map<string, PendingSecret>();
  return {
    /** Keeps the secret and answers the id the admin retries with. */
    hold(secret: PendingSecret): string {
      const id = randomUUID();
      pending.set(id, secret);
      return id;
    },
    get(id: string): PendingSecret | null {
      return pending.get(id) ?? null;
    },
    release(id: string): boolean {
      return pending.delete(id);
    },
    /** Forgets every held value, e.g. when the app closes. */
    clear(): void {
      pending.clear();
    },
  };
}
export type PendingSecretStore = ReturnType<typeof pendingSecretStore>;
