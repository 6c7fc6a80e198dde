// The registration rules, case by case, with the messages an admin reads.
import { describe, expect, it } from 'vitest';
import catalogueJson from '../../resources/catalogue.json';
import type { Catalogue } from '../../src/shared/model';
import {
  checkName,
  checkOrganisation,
  ORGANISATION_ID_MESSAGE,
  checkRedirectUri,
  checkRegistration,
  checkScopes,
  scopesDroppedByNonConfidential,
  uniqueScopes,
} from '../../src/shared/rules';

const catalogue = catalogueJson as Catalogue;
const confidential = { isConfidential: true, required: false };
const publicApp = { isConfidential: false, required: true };

function redirectError(uri: string, options = confidential): string | undefined {
  return checkRedirectUri(uri, options).errors[0]?.message;
}

describe('application name', () => {
  it('is required, trimmed, and at most 100 characters', () => {
    expect(checkName('   ').errors).toEqual([{ field: 'name', message: 'Application Name is required.' }]);
    expect(checkName('  Billing sync  ').errors).toEqual([]);
    expect(checkName('x'.repeat(100)).errors).toEqual([]);
    expect(checkName('x'.repeat(101)).errors[0]?.message).toContain('at most 100 characters');
  });

  it('warns, without refusing, about a name already used in the organisation', () => {
    const verdict = checkName('Billing Sync', ['billing sync ']);
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings[0]).toMatchObject({ field: 'name' });
  });
});

describe('redirect URL', () => {
  it('is required once any user scope is chosen, optional otherwise', () => {
    expect(redirectError('', publicApp)).toBe('Redirect URL is required when the application has user scopes.');
    expect(checkRedirectUri('', confidential).errors).toEqual([]);
    expect(checkRedirectUri(null, confidential).errors).toEqual([]);
  });

  it('accepts https, and http only on a loopback address', () => {
    expect(redirectError('https://app.example.com/callback')).toBeUndefined();
    expect(redirectError('http://127.0.0.1:8080/cb')).toBeUndefined();
    expect(redirectError('http://[::1]/cb')).toBeUndefined();
    expect(redirectError('http://example.com/cb')).toMatch(/http is allowed only on a loopback host/);
    expect(redirectError('http://10.0.0.5/cb')).toMatch(/loopback/);
  });

  it('lets localhost through with a warning', () => {
    const verdict = checkRedirectUri('http://localhost:3000/cb', confidential);
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings[0]?.message).toMatch(/127\.0\.0\.1/);
  });

  it('refuses fragments, user-info, wildcards, relative URLs and dangerous schemes', () => {
    expect(redirectError('https://app.example.com/cb#x')).toMatch(/fragment/);
    expect(redirectError('https://user:pw@app.example.com/cb')).toMatch(/user name or password/);
    expect(redirectError('https://*.example.com/cb')).toMatch(/wildcards/);
    expect(redirectError('/callback')).toMatch(/absolute URL/);
    expect(redirectError('javascript:alert(1)')).toMatch(/javascript:/);
    expect(redirectError('data:text/html,hi')).toMatch(/data:/);
    expect(redirectError('file:///etc/passwd')).toMatch(/file:/);
    expect(redirectError('https://app.example.com/a b')).toMatch(/spaces/);
  });

  it('allows a reverse-domain private-use scheme only for a non-confidential application', () => {
    expect(redirectError('com.example.app:/oauth2redirect', publicApp)).toBeUndefined();
    expect(redirectError('com.example.app:/oauth2redirect', confidential)).toMatch(/only for a non-confidential/);
    expect(redirectError('myapp://callback', publicApp)).toMatch(/reverse-domain/);
  });

  it('is at most 256 characters', () => {
    const long = `https://app.example.com/${'a'.repeat(240)}`;
    expect(redirectError(long)).toMatch(/at most 256 characters/);
  });
});

describe('scopes', () => {
  it('must exist in the catalogue', () => {
    const verdict = checkScopes([{ name: 'OR.Nope', type: 'application' }], catalogue, true);
    expect(verdict.errors[0]).toEqual({
      field: 'scopes',
      message: 'Scope OR.Nope does not exist in the resource catalogue.',
    });
  });

  it('must be granted as a type the catalogue allows', () => {
    expect(checkScopes([{ name: 'Apps.Read', type: 'application' }], catalogue, true).errors[0]?.message).toBe(
      'Scope Apps.Read cannot be granted as an application scope; it is a user scope only.',
    );
    expect(checkScopes([{ name: 'AI.Trainer.Read', type: 'user' }], catalogue, true).errors[0]?.message).toMatch(
      /cannot be granted as a user scope/,
    );
    expect(
      checkScopes(
        [
          { name: 'OR.Jobs', type: 'user' },
          { name: 'OR.Jobs', type: 'application' },
        ],
        catalogue,
        true,
      ).errors,
    ).toEqual([]);
  });

  it('cannot include application scopes for a non-confidential application', () => {
    const verdict = checkScopes([{ name: 'OR.Jobs', type: 'application' }], catalogue, false);
    expect(verdict.errors[0]?.message).toBe('A non-confidential application cannot have application scopes (OR.Jobs).');
  });

  it('needs at least one', () => {
    expect(checkScopes([], catalogue, true).errors[0]?.message).toBe('Add at least one scope.');
  });
});

describe('a whole registration', () => {
  it('collects every field that is wrong at once', () => {
    const verdict = checkRegistration(
      {
        name: '',
        isConfidential: false,
        redirectUri: 'http://example.com',
        scopes: [{ name: 'OR.Jobs', type: 'application' }],
      },
      catalogue,
    );
    expect(verdict.errors.map((e) => e.field)).toEqual(['name', 'scopes', 'redirectUri']);
    const withUser = checkRegistration(
      {
        name: 'Portal',
        isConfidential: false,
        redirectUri: 'http://example.com',
        scopes: [{ name: 'OR.Jobs', type: 'user' }],
      },
      catalogue,
    );
    expect(withUser.errors.map((e) => e.field)).toEqual(['redirectUri']);
  });

  it('passes a confidential app with application scopes and no redirect URL', () => {
    const verdict = checkRegistration(
      { name: 'Nightly jobs', isConfidential: true, scopes: [{ name: 'OR.Jobs', type: 'application' }] },
      catalogue,
    );
    expect(verdict).toEqual({ errors: [], warnings: [] });
  });

  it('names what switching to non-confidential drops, and removes duplicates', () => {
    const scopes = [
      { name: 'OR.Jobs', type: 'application' as const },
      { name: 'OR.Jobs', type: 'user' as const },
      { name: 'OR.Jobs', type: 'user' as const },
    ];
    expect(scopesDroppedByNonConfidential(scopes)).toEqual([{ name: 'OR.Jobs', type: 'application' }]);
    expect(uniqueScopes(scopes)).toHaveLength(2);
  });
});

describe('checkOrganisation', () => {
  const valid = {
    id: 'acme-prod',
    baseUrl: 'https://cloud.uipath.com/',
    orgName: 'acme',
    displayName: '',
    partitionGlobalId: null as string | null,
    method: 'adminApp' as const,
    clientId: 'c1',
    clientSecret: 's',
  };
  const faults = (changes: Partial<typeof valid> | { method: 'account'; clientSecret?: string }) =>
    checkOrganisation({ ...valid, ...changes }).errors.map((e) => [e.field, e.message]);

  it('accepts a whole organisation and normalises its base URL', () => {
    expect(checkOrganisation(valid)).toMatchObject({ errors: [], baseUrl: 'https://cloud.uipath.com' });
    expect(faults({ method: 'account', clientSecret: undefined })).toEqual([]);
  });

  it('names each field at fault in the words the form shows', () => {
    expect(faults({ id: 'Acme Prod' })).toEqual([['id', ORGANISATION_ID_MESSAGE]]);
    expect(faults({ id: 'local' })[0]?.[1]).toMatch(/"local" is the embedded organisation/);
    expect(faults({ orgName: ' ' })).toEqual([['orgName', 'Organisation name is required.']]);
    expect(faults({ partitionGlobalId: 'not-a-guid' })[0]).toEqual([
      'partitionGlobalId',
      'partitionGlobalId must be a GUID, e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6.',
    ]);
    expect(faults({ partitionGlobalId: '3FA85F64-5717-4562-B3FC-2C963F66AFA6' })).toEqual([]);
    expect(faults({ clientId: '' })).toEqual([['clientId', 'App ID is required.']]);
    expect(faults({ clientSecret: '' })).toEqual([['clientSecret', 'App secret is required.']]);
    expect(faults({ baseUrl: 'http://acme.example.com' })[0]?.[0]).toBe('baseUrl');
  });
});
