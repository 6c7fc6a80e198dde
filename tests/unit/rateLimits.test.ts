// The rate limits the client waits by and the embedded server enforces are the ones the API description states.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UIPATH_RATE_LIMITS } from '../../src/shared/rateLimits';
import { RateLimiter } from '../../src/identity-server/http/rateLimit';
import { CONTRACT_PATH } from '../contract/openapiContract';

interface Described {
  'x-rate-limits': { windowSeconds: number; limits: Record<string, number> };
}

describe("UiPath's rate limits", () => {
  it('are the description’s, per method and per 5 minutes', () => {
    const described = (parse(readFileSync(CONTRACT_PATH, 'utf8')) as Described)['x-rate-limits'];
    expect(UIPATH_RATE_LIMITS).toEqual({
      get: described.limits.GET,
      post: described.limits.POST,
      put: described.limits.PUT,
      patch: described.limits.PATCH,
      delete: described.limits.DELETE,
      windowSeconds: described.windowSeconds,
    });
  });

  it('are what the embedded server enforces by default: the 161st PUT of a window waits for the next', () => {
    let now = 0;
    const limiter = new RateLimiter({}, () => now);
    for (let i = 0; i < 160; i++) expect(limiter.take('PUT').allowed).toBe(true);
    expect(limiter.take('PUT')).toMatchObject({ allowed: false, limit: 160, retryAfterSeconds: 300 });
    expect(limiter.take('DELETE').allowed).toBe(true);
    now = 300_000;
    expect(limiter.take('PUT').allowed).toBe(true);
  });
});
