// The organisation client against the real server's rate limits: over the limit the server answers 429 with Retry-After,
// and the client waits and retries instead of failing the admin's request.
import { expect, it } from 'vitest';
import { cliOf, useDeskHome } from './support';

const desk = useDeskHome();

it('waits out a 429 and answers', async () => {
  const { call, context } = await desk.open({ rateLimits: { get: 2, windowSeconds: 1 } });
  const started = Date.now();
  for (let i = 0; i < 4; i++) expect(await call('listApps', { refresh: true })).toHaveLength(1); // the admin application
  // Four GETs with two allowed a second: at least one wait of the server's Retry-After (1 s).
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  await context.close();
});

it('says on the command line how long it waits, instead of pausing in silence', async () => {
  // The owner of the desk's folder runs with two GETs a second; the commands go through it.
  await desk.open({ rateLimits: { get: 2, windowSeconds: 2 } });
  const cli = cliOf(desk, 0);
  const runs = await Promise.all([1, 2, 3, 4].map(() => cli(['apps', 'list', '--json'])));
  for (const run of runs) expect(run.code).toBe(0);
  expect(runs.map((r) => r.stderr).join('')).toMatch(
    /^oauth-desk: Local Identity Server is limiting requests: waiting \d+ s \(rate limit\)$/m,
  );
});
