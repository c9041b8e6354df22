import type { RateLimiter } from '../rate-limit/rate-limiter';

/**
 * The same limiter, counting its refusals (`rate_limit_refusals_total`). `attemptAll` stops at the
 * first limiter that refuses, so one refused request counts once, under the limiter that refused.
 */
export function countRefusals(limiter: RateLimiter, refusals: { refused(): void }): RateLimiter {
  return {
    ...limiter,
    async attempt(key) {
      const wait = await limiter.attempt(key);
      if (wait > 0) refusals.refused();
      return wait;
    },
  };
}
