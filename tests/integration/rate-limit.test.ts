// The organisation client against the real server's rate limits: over the limit the server answers 429 with Retry-After,
// and the client waits and retries instead of failing the admin's request.
import { expect, it } from 'vitest';
import { useDeskHome } from './support';

const desk = useDeskHome();

it('waits out a 429 and answers', async () => {
  const { call } = await desk.open({ rateLimits: { get: 2, windowSeconds: 1 } });
  const started = Date.now();
  for (let i = 0; i < 4; i++) expect(await call('listApps', { refresh: true })).toHaveLength(1); // the admin application
  // Four GETs with two allowed a second: at least one wait of the server's Retry-After (1 s).
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
});
