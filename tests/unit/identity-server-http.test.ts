// The Identity Server's request routing rules: both organisation URL forms, and the per-method rate limit windows.
import { describe, expect, it } from 'vitest';
import { pathUnderIssuer } from '../../src/identity-server/http/organizationPath';
import { RateLimiter, UIPATH_RATE_LIMITS } from '../../src/identity-server/http/rateLimit';

describe('organisation paths', () => {
  it.each([
    ['/identity_/connect/token', '/connect/token'],
    ['/local/identity_/connect/token', '/connect/token'],
    ['/LOCAL/identity_/api/ExternalApiResource', '/api/ExternalApiResource'],
    ['/local/identity_', '/'],
    ['/identity_', '/'],
  ])('%s is served as %s', (path, expected) => {
    expect(pathUnderIssuer(path, 'local', '/identity_')).toBe(expected);
  });

  it.each([
    '/other/identity_/connect/token',
    '/local/orchestrator_/odata',
    '/identity_x/connect/token',
    '/',
    '/local',
    '/%E0%A4%A/identity_/x',
  ])('%s is not this server’s', (path) => {
    expect(pathUnderIssuer(path, 'local', '/identity_')).toBeNull();
  });
});

describe('rate limits', () => {
  it('defaults to UiPath’s documented limits', () => {
    expect(UIPATH_RATE_LIMITS).toEqual({
      get: 300,
      post: 24_000,
      put: 160,
      patch: 160,
      delete: 160,
      windowSeconds: 300,
    });
  });

  it('counts each method class separately and reopens when the window ends', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ get: 2, delete: 1, windowSeconds: 60 }, () => now);
    expect(limiter.take('GET').allowed).toBe(true);
    expect(limiter.take('HEAD').allowed).toBe(true);
    now += 15_000;
    expect(limiter.take('GET')).toEqual({ allowed: false, retryAfterSeconds: 45, limit: 2, methodClass: 'get' });
    expect(limiter.take('DELETE').allowed).toBe(true);
    expect(limiter.take('DELETE').allowed).toBe(false);
    expect(limiter.take('POST').allowed).toBe(true);
    now += 45_000;
    expect(limiter.take('GET').allowed).toBe(true);
  });
});
