// Slows password guessing on the sign-in page: a count of failed sign-ins per user name, per fixed window, in memory.
import { USER_NAME_MAX } from '../../shared/rules';

interface SignInThrottleRule {
  /** Failed sign-ins a user name may have in one window; the next attempt is refused until the window ends. */
  maxFailures: number;
  windowMs: number;
  /** How many user names are tracked at once, so that a flood of invented names cannot grow the map without end. */
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
 * nothing about which accounts there are. The clock is passed in; nothing here reads the time itself.
 */
export class SignInThrottle {
  private readonly windows = new Map<string, FailureWindow>();

  constructor(
    private readonly rule: SignInThrottleRule = SIGN_IN_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether an attempt for this user name may check its password now. An allowed attempt counts as failed until
   * `succeeded` clears it: attempts posted at once cannot all pass while their passwords are still being checked.
   */
  attempt(userName: string): SignInDecision {
    const key = keyOf(userName);
    const now = this.now();
    const window = this.liveWindow(key, now);
    if (!window) {
      if (this.windows.size >= this.rule.maxTracked) this.makeRoom(now);
      this.windows.set(key, { startedAt: now, failures: 1 });
      return { allowed: true };
    }
    if (window.failures >= this.rule.maxFailures)
      return { allowed: false, retryAfterMs: window.startedAt + this.rule.windowMs - now };
    window.failures++;
    return { allowed: true };
  }

  /** A correct password clears the user name's failures. */
  succeeded(userName: string): void {
    this.windows.delete(keyOf(userName));
  }

  private liveWindow(key: string, now: number): FailureWindow | null {
    const window = this.windows.get(key);
    if (!window) return null;
    if (now - window.startedAt < this.rule.windowMs) return window;
    this.windows.delete(key);
    return null;
  }

  /**
   * Drops every window that has ended; if the map is still full, the oldest window goes (insertion order is start
   * order, since a window is only ever added new).
   */
  private makeRoom(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.rule.windowMs) this.windows.delete(key);
    }
    if (this.windows.size >= this.rule.maxTracked) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
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
