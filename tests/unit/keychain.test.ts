// What the admin reads when the keychain fails, and how secrets are named in it.
import { describe, expect, it } from 'vitest';
import { keychainUnavailable, secretRef } from '../../src/main/keychain/keychain';

describe('keychain', () => {
  it('names each secret by tenant, app and secret, so rotation never overwrites an entry', () => {
    expect(secretRef('oauth-desk', 'local', 'app-1', 'sec-1')).toEqual({
      service: 'oauth-desk',
      account: 'local/app-1/sec-1',
    });
    expect(secretRef('oauth-desk', 'local', 'app-1', 'sec-2').account).not.toBe(
      secretRef('oauth-desk', 'local', 'app-1', 'sec-1').account,
    );
  });

  it('says in plain words that no Secret Service is running', () => {
    const error = keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toMatch(/^The OS keychain is not available \(no Secret Service is running/);
  });

  it('says when the keychain is locked or access was denied', () => {
    expect(keychainUnavailable(new Error('The collection is locked')).message).toMatch(/it is locked/);
    expect(keychainUnavailable(new Error('User canceled the operation')).message).toMatch(/access was denied/);
  });
});
