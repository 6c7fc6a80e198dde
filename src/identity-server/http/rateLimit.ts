// The organisation's API rate limits: a count per method class per fixed window, as UiPath documents them.

import { UIPATH_RATE_LIMITS, type RateLimits } from '../../shared/rateLimits';

export { UIPATH_RATE_LIMITS, type RateLimits };

type MethodClass = Exclude<keyof RateLimits, 'windowSeconds'>;

type RateDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number; methodClass: MethodClass };

export class RateLimiter {
  private readonly limits: RateLimits;
  private readonly windows = new Map<MethodClass, { startedAt: number; count: number }>();

  constructor(
    limits: Partial<RateLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...UIPATH_RATE_LIMITS, ...limits };
  }

  /** Counts a request of `method` and says whether it is within the limit. HEAD and OPTIONS count as GET. */
  take(method: string): RateDecision {
    const methodClass = methodClassOf(method);
    const limit = this.limits[methodClass];
    const windowMs = this.limits.windowSeconds * 1000;
    const now = this.now();
    let window = this.windows.get(methodClass);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(methodClass, window);
    }
    if (window.count >= limit) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000)),
        limit,
        methodClass,
      };
    }
    window.count++;
    return { allowed: true };
  }
}

function methodClassOf(method: string): MethodClass {
  switch (method.toUpperCase()) {
    case 'POST':
      return 'post';
    case 'PUT':
      return 'put';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return 'get';
  }
}
