// The admin application keeps its PM.OAuthApp* scopes, and every refusal reads as sentences without field paths.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { checkAdminAppScopes, retireAdminApp } from '../../src/shared/rules';

const held = [
  { name: 'PM.OAuthApp', type: 'application' as const },
  { name: 'PM.OAuthAppSecret.Write', type: 'application' as const },
  { name: 'PM.User', type: 'application' as const },
];

describe('checkAdminAppScopes', () => {
  it('refuses taking an admin scope away, on the scopes field, saying why', () => {
    const verdict = checkAdminAppScopes(held, held.slice(1), 'acme');
    expect(verdict.errors).toEqual([
      {
        field: 'scopes',
        message:
          'OAuth Desk manages acme through this application, so it must keep PM.OAuthApp: without it, OAuth Desk could no longer manage applications and secrets there.',
      },
    ]);
    expect(checkAdminAppScopes(held, [held[2]!], 'acme').errors[0]?.message).toContain(
      'must keep PM.OAuthApp and PM.OAuthAppSecret.Write: without them',
    );
  });

  it('lets other scopes come and go', () => {
    expect(checkAdminAppScopes(held, held.slice(0, 2), 'acme').errors).toEqual([]);
    expect(checkAdminAppScopes(held, [...held, { name: 'OR.Jobs', type: 'application' }], 'acme').errors).toEqual([]);
  });
});

describe('retireAdminApp', () => {
  it('says how to retire it, or that the embedded one stays', () => {
    expect(retireAdminApp({ isLocal: false, orgName: 'acme' })).toMatch(/^To retire it, add acme again signed in/);
    expect(retireAdminApp({ isLocal: true, orgName: 'local' })).toMatch(/^It belongs to the embedded Identity Server/);
  });
});

describe('AppError.invalid', () => {
  it('reads as the issues’ sentences, with the fields only in `issues`', () => {
    const error = AppError.invalid([
      { field: 'clientId', message: 'App ID is required.' },
      { field: 'name', message: 'Application Name is required.' },
    ]);
    expect(error.message).toBe('App ID is required. Application Name is required.');
    expect(error.issues?.map((i) => i.field)).toEqual(['clientId', 'name']);
  });
});
