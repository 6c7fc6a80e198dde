// Slows password guessing on the sign-in page: a count of failed sign-ins per user name, per fixed window, kept in
// the server's SQLite so that restarting the server does not give a guesser a fresh count.
import type Database from 'better-sqlite3';
import { USER_NAME_MAX } from '../../shared/rules';

interface SignInThrottleRule {
  /** Failed sign-ins a user name may have in one window; the next attempt is refused until the window ends. */
  maxFailures: number;
  windowMs: number;
  /** How many user names are tracked at once, so that a flood of invented names cannot grow the table without end. */
  maxTracked: number;
}

export const SIGN_IN_THROTTLE: SignInThrottleRule = { maxFailures: 5, windowMs: 5 * 60_000, maxTracked: 10_000 };

type SignInDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

interface FailureWindow {
  startedAt: number;
  failures: number;
}

/**
 * Counts by user name whether or not such a user exists, so that the refusal looks the same for every name and tells
 * nothing about which accounts there are. The windows live in the `sign_in_failure` table (created by the server's
 * migrations); the clock is passed in, nothing here reads the time itself.
 */
export class SignInThrottle {
  private readonly find: Database.Statement<[string], FailureWindow>;
  private readonly count: Database.Statement<[], number>;
  private readonly insert: Database.Statement<[string, number]>;
  private readonly increment: Database.Statement<[string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly removeEnded: Database.Statement<[number]>;
  private readonly removeOldest: Database.Statement<[]>;
  private readonly attemptInTransaction: (key: string) => SignInDecision;
  /** The sign-in of each user name being checked now, which the next one of that name waits for. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    db: Database.Database,
    private readonly rule: SignInThrottleRule = SIGN_IN_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {
    this.find = db.prepare('SELECT started_at AS startedAt, failures FROM sign_in_failure WHERE user_key = ?');
    this.count = db.prepare<[], number>('SELECT count(*) FROM sign_in_failure').pluck();
    this.insert = db.prepare('INSERT INTO sign_in_failure (user_key, started_at, failures) VALUES (?, ?, 1)');
    this.increment = db.prepare('UPDATE sign_in_failure SET failures = failures + 1 WHERE user_key = ?');
    this.remove = db.prepare('DELETE FROM sign_in_failure WHERE user_key = ?');
    this.removeEnded = db.prepare('DELETE FROM sign_in_failure WHERE started_at <= ?');
    this.removeOldest = db.prepare(
      'DELETE FROM sign_in_failure WHERE rowid = (SELECT rowid FROM sign_in_failure ORDER BY started_at, rowid LIMIT 1)',
    );
    this.attemptInTransaction = db.transaction((key: string) => this.decide(key));
  }

  /**
   * Whether an attempt for this user name may check its password now. An allowed attempt counts as failed until
   * `succeeded` clears it: attempts posted at once cannot all pass while their passwords are still being checked.
   */
  attempt(userName: string): SignInDecision {
    return this.attemptInTransaction(keyOf(userName));
  }

  /** A correct password clears the user name's failures. */
  succeeded(userName: string): void {
    this.remove.run(keyOf(userName));
  }

  /**
   * One sign-in of `userName`, its password checked by `check` (null when wrong): attempts of one user name are
   * checked one at a time, so only failures count. Eight correct sign-ins posted at once all pass, each after the one
   * before has cleared its count, while a guesser's attempts posted at once still meet the count of those before.
   */
  async signIn<T>(
    userName: string,
    check: () => Promise<T | null>,
  ): Promise<{ allowed: true; signedIn: T | null } | { allowed: false; retryAfterMs: number }> {
    const key = keyOf(userName);
    const before = this.inFlight.get(key) ?? Promise.resolve();
    let done: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before.then(() => mine);
    this.inFlight.set(key, tail);
    try {
      await before;
      const decision = this.attempt(userName);
      if (!decision.allowed) return decision;
      const signedIn = await check();
      if (signedIn !== null) this.succeeded(userName);
      return { allowed: true, signedIn };
    } finally {
      done();
      if (this.inFlight.get(key) === tail) this.inFlight.delete(key);
    }
  }

  private decide(key: string): SignInDecision {
    const now = this.now();
    const window = this.liveWindow(key, now);
    if (!window) {
      if ((this.count.get() ?? 0) >= this.rule.maxTracked) this.makeRoom(now);
      this.insert.run(key, now);
      return { allowed: true };
    }
    if (window.failures >= this.rule.maxFailures)
      return { allowed: false, retryAfterMs: window.startedAt + this.rule.windowMs - now };
    this.increment.run(key);
    return { allowed: true };
  }

  private liveWindow(key: string, now: number): FailureWindow | null {
    const window = this.find.get(key);
    if (!window) return null;
    if (now - window.startedAt < this.rule.windowMs) return window;
    this.remove.run(key);
    return null;
  }

  /** Drops every window that has ended; if the table is still full, the oldest window goes. */
  private makeRoom(now: number): void {
    this.removeEnded.run(now - this.rule.windowMs);
    if ((this.count.get() ?? 0) >= this.rule.maxTracked) this.removeOldest.run();
  }
}

/** What the page says to a refused attempt: the wait in whole minutes, rounded up. */
export function tooManyFailuresMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many failed sign-ins for this user. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/**
 * User names compare case-insensitively, after the trim the user store applies. A name longer than any user's can be
 * is cut just past the limit: it still counts apart from every real name, but cannot make an entry large.
 */
function keyOf(userName: string): string {
  return userName
    .trim()
    .toLowerCase()
    .slice(0, USER_NAME_MAX + 1);
}
