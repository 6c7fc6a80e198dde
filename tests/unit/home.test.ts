// The data folder, local port and keychain service, from the environment or their defaults.
import { describe, expect, it } from 'vitest';
import { resolveHome, resolveKeychainService, resolveLocalPort } from '../../src/node/home';

describe('home', () => {
  it('uses OAUTH_DESK_HOME when set, else the given folder', () => {
    expect(resolveHome('/user/data', { OAUTH_DESK_HOME: '/tmp/desk' })).toBe('/tmp/desk');
    expect(resolveHome('/user/data', { OAUTH_DESK_HOME: '  ' })).toBe('/user/data');
    expect(resolveHome('/user/data', {})).toBe('/user/data');
  });

  it('uses port 43110 unless OAUTH_DESK_PORT names another', () => {
    expect(resolveLocalPort({})).toBe(43110);
    expect(resolveLocalPort({ OAUTH_DESK_PORT: '8080' })).toBe(8080);
    expect(() => resolveLocalPort({ OAUTH_DESK_PORT: 'eighty' })).toThrow(/OAUTH_DESK_PORT must be a port number/);
    expect(() => resolveLocalPort({ OAUTH_DESK_PORT: '70000' })).toThrow(/between 0 and 65535/);
  });

  it("files secrets under 'oauth-desk' unless OAUTH_DESK_KEYCHAIN_SERVICE names another", () => {
    expect(resolveKeychainService({})).toBe('oauth-desk');
    expect(resolveKeychainService({ OAUTH_DESK_KEYCHAIN_SERVICE: 'oauth-desk-test' })).toBe('oauth-desk-test');
  });
});
