// The shared rules of a federated credential: what refuses it, and what only warns (the window lints with these).
import { describe, expect, it } from 'vitest';
import { federatedCredentialIssues, isLoopbackHttpIssuer } from '../../src/shared/federated';

const base = {
  name: 'GitHub Actions',
  description: null,
  issuer: 'https://token.actions.githubusercontent.com',
  audience: 'https://github.com/acme',
  subject: 'repo:acme/robots:ref:refs/heads/main',
};

describe('federated credential rules', () => {
  it('accepts a GitHub Actions credential as it is', () => {
    expect(federatedCredentialIssues(base)).toEqual([]);
  });

  it('warns of a trailing slash on the issuer, which breaks the exact match', () => {
    const issues = federatedCredentialIssues({ ...base, issuer: `${base.issuer}/` });
    expect(issues).toEqual([expect.objectContaining({ field: 'issuer', severity: 'warning' })]);
  });

  it('refuses http, except a loopback issuer where the embedded server allows it', () => {
    expect(federatedCredentialIssues({ ...base, issuer: 'http://127.0.0.1:8080' })[0]?.field).toBe('issuer');
    expect(
      federatedCredentialIssues({ ...base, issuer: 'http://127.0.0.1:8080' }, { allowLoopbackHttpIssuers: true }),
    ).toEqual([]);
    expect(
      federatedCredentialIssues({ ...base, issuer: 'http://ci.example.com' }, { allowLoopbackHttpIssuers: true })[0]
        ?.message,
    ).toMatch(/https/);
    expect(isLoopbackHttpIssuer('http://[::1]:9000')).toBe(true);
    expect(isLoopbackHttpIssuer('http://127.0.0.1.example.com')).toBe(false);
  });

  it('refuses a wildcard, two audiences, the 21st credential and a duplicate issuer and subject', () => {
    const fields = (list: ReturnType<typeof federatedCredentialIssues>) => list.map((i) => i.field);
    expect(fields(federatedCredentialIssues({ ...base, subject: 'repo:acme/*' }))).toEqual(['subject']);
    expect(fields(federatedCredentialIssues({ ...base, audience: 'a b' }))).toEqual(['audience']);
    const twenty = Array.from({ length: 20 }, (_, i) => ({ ...base, subject: `s${i}` }));
    expect(fields(federatedCredentialIssues(base, { others: twenty }))).toEqual(['credentials']);
    expect(fields(federatedCredentialIssues(base, { others: [base] }))).toEqual(['subject']);
  });
});
