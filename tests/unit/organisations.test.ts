// The pure parts of organisations: the base URL rule, the scope sentences and the secret management check.
import { describe, expect, it } from 'vitest';
import { checkBaseUrl } from '../../src/shared/rules';
import { secretManagementCheck } from '../../src/main/services/connectionChecks';
import { SCOPE_NEEDS, refusedForScope, scopesOfClaims, tokenLacks } from '../../src/main/organisation/scopes';

describe('checkBaseUrl', () => {
  it.each([
    ['https://cloud.uipath.com', 'https://cloud.uipath.com'],
    ['https://cloud.uipath.com/', 'https://cloud.uipath.com'],
    ['  https://suite.example.com:8443  ', 'https://suite.example.com:8443'],
    ['http://127.0.0.1:43110', 'http://127.0.0.1:43110'],
    ['http://[::1]:5000/', 'http://[::1]:5000'],
  ])('accepts %s as %s', (value, normalized) => {
    expect(checkBaseUrl(value)).toEqual({ errors: [], warnings: [], normalized });
  });

  it.each([
    ['', /required/],
    ['cloud.uipath.com', /absolute URL/],
    ['ftp://cloud.uipath.com', /https/],
    ['http://cloud.uipath.com', /only on a loopback address/],
    ['http://localhost:43110', /only on a loopback address/],
    ['http://192.168.1.5', /only on a loopback address/],
    ['https://cloud.uipath.com/acme', /host only/],
    ['https://cloud.uipath.com/?x=1', /query/],
    ['https://cloud.uipath.com/?', /query/],
    ['https://cloud.uipath.com/#top', /fragment/],
    ['https://admin:pw@cloud.uipath.com', /user name or password/],
  ])('refuses %j naming baseUrl', (value, message) => {
    const verdict = checkBaseUrl(value);
    expect(verdict.normalized).toBeNull();
    expect(verdict.errors).toEqual([{ field: 'baseUrl', message: expect.stringMatching(message) as unknown }]);
  });
});

describe('scope sentences', () => {
  it('say what the token lacks and what fails', () => {
    expect(tokenLacks(SCOPE_NEEDS.generateSecrets)).toBe(
      'the token lacks PM.OAuthAppSecret.Write: generating secrets will fail',
    );
    expect(refusedForScope(SCOPE_NEEDS.deleteSecrets, 'acme', 'the admin application a1')).toBe(
      "The token lacks PM.OAuthAppSecret.Write: deleting secrets fails in acme. Give the admin application a1 the scope PM.OAuthAppSecret.Write in the organisation's portal.",
    );
  });

  it('read scopes from the scope claim or scp', () => {
    expect(scopesOfClaims({ scope: 'PM.OAuthApp  PM.User' })).toEqual(['PM.OAuthApp', 'PM.User']);
    expect(scopesOfClaims({ scp: ['PM.OAuthApp.Read', 7] })).toEqual(['PM.OAuthApp.Read']);
    expect(scopesOfClaims({})).toEqual([]);
  });

  it('pass secret management with PM.OAuthAppSecret.Write or PM.OAuthApp, and name the scope otherwise', () => {
    expect(secretManagementCheck(['PM.OAuthApp'])).toMatchObject({ ok: true });
    expect(secretManagementCheck(['PM.OAuthApp.Read', 'PM.OAuthAppSecret.Write'])).toMatchObject({ ok: true });
    expect(secretManagementCheck(['PM.OAuthApp.Write'])).toMatchObject({ ok: true });
    expect(secretManagementCheck(['PM.OAuthApp.Read'])).toEqual({
      check: 'secretManagement',
      ok: false,
      result: 'failed',
      detail: 'the token lacks PM.OAuthAppSecret.Write: generating secrets will fail',
      fix: 'Add PM.OAuthAppSecret.Write to the admin application in the portal, then Test connection.',
    });
  });
});
