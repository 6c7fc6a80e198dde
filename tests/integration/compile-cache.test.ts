// The CLI's compile cache, attacked by another local user: Node runs whatever code cache it finds, so a cache folder
// another user made (or may write) must never be used; the CLI's own is in the data folder, this user's alone.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** `oauth-desk --help` as a user runs it, on data folder `home`. */
function help(home: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, OAUTH_DESK_HOME: home };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const run = spawnSync(process.execPath, ['bin/oauth-desk.mjs', '--help'], {
    env,
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Usage: oauth-desk');
}

function freshHome(): string {
  const parent = mkdtempSync(join(tmpdir(), 'oauth-desk-cache-'));
  homes.push(parent);
  return join(parent, 'home');
}

describe("the CLI's compile cache", () => {
  it('lives in the data folder, 0700, and is used', () => {
    const home = freshHome();
    help(home);
    const cache = join(home, 'compile-cache');
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    expect(readdirSync(cache).length).toBeGreaterThan(0);
  });

  it.runIf(process.getuid?.() === 0)('is never used when another user created its folder first', () => {
    const home = freshHome();
    const planted = join(home, 'compile-cache');
    mkdirSync(planted, { recursive: true, mode: 0o700 });
    chmodSync(home, 0o700);
    chownSync(planted, 65534, 65534);
    help(home);
    expect(readdirSync(planted)).toEqual([]);
  });

  it('is never used when others may write its folder', () => {
    const home = freshHome();
    const open = join(home, 'compile-cache');
    mkdirSync(open, { recursive: true });
    chmodSync(open, 0o777);
    help(home);
    expect(readdirSync(open)).toEqual([]);
  });
});
