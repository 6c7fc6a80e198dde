// What the admin reads when the keychain fails, and how secrets are named in it.
import { describe, expect, it } from 'vitest';
import { keychainUnavailable, secretRef } from '../../src/main/keychain/keychain';

describe('keychain', () => {
  it('names each secret by organisation, app and secret, so rotation never overwrites an entry', () => {
    expect(secretRef('oauth-desk', 'local', 'app-1', 'sec-1')).toEqual({
      service: 'oauth-desk',
      account: 'local/app-1/sec-1',
    });
    expect(secretRef('oauth-desk', 'local', 'app-1', 'sec-2').account).not.toBe(
      secretRef('oauth-desk', 'local', 'app-1', 'sec-1').account,
    );
  });

  it('says in a sentence, without the D-Bus message, that no keychain service is running', () => {
    const error = keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toMatch(/^No keychain service is running\. On Linux, start GNOME Keyring/);
    expect(error.message).not.toMatch(/D-Bus|DISPLAY/);
  });

  it('says when the keychain is locked or access was denied, and what to do', () => {
    expect(keychainUnavailable(new Error('The collection is locked')).message).toBe(
      'Your keychain is locked. Unlock it and try again.',
    );
    expect(keychainUnavailable(new Error('User canceled the operation')).message).toMatch(
      /^Your keychain did not allow OAuth Desk to use it\./,
    );
  });

  it('quotes an unknown refusal, as it is then the only clue', () => {
    expect(keychainUnavailable(new Error('error 42')).message).toMatch(
      /^Your keychain refused the request \(it said: error 42\)\./,
    );
  });
});
