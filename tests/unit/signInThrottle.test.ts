// The sign-in page's guessing limit: failures per user name in a window, the refusal's wording, the table's bound,
// and that the count outlives a restart of the server (it is kept in the server's SQLite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openIdentityDatabase, type IdentityDatabase } from '../../src/identity-server/store/database';
import {
  SIGN_IN_THROTTLE,
  SignInThrottle,
  tooManyFailuresMessage,
} from '../../src/identity-server/oauth/signInThrottle';

const MINUTE = 60_000;
const dataDirs: string[] = [];
const databases: IdentityDatabase[] = [];
afterAll(() => {
  for (const db of databases) if (db.open) db.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** The server's own database in a folder of its own, as the Identity Server opens it. */
function serverDatabase(dataDir = mkdtempSync(join(tmpdir(), 'oauth-desk-throttle-'))) {
  dataDirs.push(dataDir);
  const db = openIdentityDatabase(dataDir);
  databases.push(db);
  return { db, dataDir };
}

function throttleAt(start: number, rule = SIGN_IN_THROTTLE) {
  const clock = { now: start };
  return { clock, throttle: new SignInThrottle(serverDatabase().db, rule, () => clock.now) };
}

describe('sign-in throttle', () => {
  it('allows 5 failed attempts in 5 minutes, then refuses the user name until the window ends', () => {
    const { clock, throttle } = throttleAt(1_000_000);
    for (let i = 0; i < 5; i++) {
      expect(throttle.attempt('alice')).toEqual({ allowed: true });
      clock.now += 30_000;
    }
    expect(throttle.attempt('alice')).toEqual({ allowed: false, retryAfterMs: 5 * MINUTE - 150_000 });
    // A refused attempt does not push the window further.
    clock.now = 1_000_000 + 5 * MINUTE - 1;
    expect(throttle.attempt('alice')).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.now += 1;
    expect(throttle.attempt('alice').allowed).toBe(true);
  });

  it('counts user names case-insensitively and trimmed, and each name apart', () => {
    const { throttle } = throttleAt(0);
    for (const name of ['Alice', 'ALICE', ' alice ', 'alice', 'aLiCe'])
      expect(throttle.attempt(name).allowed).toBe(true);
    expect(throttle.attempt('alice').allowed).toBe(false);
    expect(throttle.attempt('bob').allowed).toBe(true);
  });

  it('treats a name no user has exactly like a real one', () => {
    const { throttle } = throttleAt(0);
    const outcomes = (name: string) => Array.from({ length: 6 }, () => throttle.attempt(name));
    expect(outcomes('nobody-at-all')).toEqual(outcomes('alice'));
  });

  it('starts the count again after a successful sign-in', () => {
    const { throttle } = throttleAt(0);
    for (let i = 0; i < 4; i++) throttle.attempt('alice');
    expect(throttle.attempt('alice').allowed).toBe(true); // the fifth attempt: the right password
    throttle.succeeded('ALICE');
    for (let i = 0; i < 5; i++) expect(throttle.attempt('alice').allowed).toBe(true);
    expect(throttle.attempt('alice').allowed).toBe(false);
  });

  it('keeps at most maxTracked names, dropping ended windows first and then the oldest', () => {
    const { clock, throttle } = throttleAt(0, { maxFailures: 2, windowMs: MINUTE, maxTracked: 3 });
    throttle.attempt('a');
    throttle.attempt('a');
    clock.now = 30_000;
    throttle.attempt('b');
    throttle.attempt('c');
    clock.now = MINUTE; // a's window has ended
    throttle.attempt('d');
    expect(throttle.attempt('b').allowed).toBe(true); // b's second: b is still tracked
    expect(throttle.attempt('b').allowed).toBe(false);
    throttle.attempt('e'); // full of live windows: the oldest (b) goes
    expect(throttle.attempt('b').allowed).toBe(true);
  });

  it('does not let one very long name make a large entry, nor join a real name', () => {
    const { throttle } = throttleAt(0, { ...SIGN_IN_THROTTLE, maxFailures: 1 });
    throttle.attempt('x'.repeat(8000));
    expect(throttle.attempt(`${'x'.repeat(65)}y`).allowed).toBe(false);
    expect(throttle.attempt('x'.repeat(64)).allowed).toBe(true);
  });

  it('still refuses the user name after the server restarts on the same data folder', () => {
    const clock = { now: 0 };
    const first = serverDatabase();
    const before = new SignInThrottle(first.db, SIGN_IN_THROTTLE, () => clock.now);
    for (let i = 0; i < 5; i++) before.attempt('alice');
    first.db.close();

    clock.now = MINUTE;
    const after = new SignInThrottle(serverDatabase(first.dataDir).db, SIGN_IN_THROTTLE, () => clock.now);
    expect(after.attempt('alice')).toEqual({ allowed: false, retryAfterMs: 4 * MINUTE });
    expect(after.attempt('bob').allowed).toBe(true);
  });

  it('checks one user name one attempt at a time: correct ones at once all pass, and never count', async () => {
    const { throttle } = throttleAt(0);
    const slowly =
      <T>(value: T) =>
      () =>
        new Promise<T>((resolve) => setTimeout(() => resolve(value), 5));
    const correct = await Promise.all(Array.from({ length: 8 }, () => throttle.signIn('alice', slowly('alice-id'))));
    expect(correct).toEqual(Array.from({ length: 8 }, () => ({ allowed: true, signedIn: 'alice-id' })));
    const wrong = await Promise.all(Array.from({ length: 8 }, () => throttle.signIn('bob', slowly(null))));
    expect(wrong.filter((d) => d.allowed)).toHaveLength(5);
    expect(wrong.filter((d) => !d.allowed)).toHaveLength(3);
    expect((await throttle.signIn('bob', slowly('bob-id'))).allowed).toBe(false);
    expect((await throttle.signIn('alice', slowly(null))).allowed).toBe(true);
  });

  it('says how many minutes to wait, rounded up', () => {
    expect(tooManyFailuresMessage(5 * MINUTE)).toBe('Too many failed sign-ins for this user. Try again in 5 minutes.');
    expect(tooManyFailuresMessage(4 * MINUTE + 1)).toBe(
      'Too many failed sign-ins for this user. Try again in 5 minutes.',
    );
    expect(tooManyFailuresMessage(1)).toBe('Too many failed sign-ins for this user. Try again in 1 minute.');
  });
});
