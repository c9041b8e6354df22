import type { Clock } from '../clock';

export interface RateLimiterOptions {
  /** Failures allowed per window; the next one is refused. */
  limit: number;
  windowMs: number;
  clock: Clock;
  /** Keys tracked at most; the oldest are forgotten first (bounded memory under attack). */
  maxKeys?: number;
}

/**
 * Counts failures per key (an IP address, a login) in fixed windows. Callers ask `retryAfter`
 * before doing the work, and `fail` after a failure.
 */
export function createRateLimiter({ limit, windowMs, clock, maxKeys = 100_000 }: RateLimiterOptions) {
  const windows = new Map<string, { start: number; failures: number }>();

  function current(key: string): { start: number; failures: number } | undefined {
    const entry = windows.get(key);
    if (entry && clock() - entry.start >= windowMs) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    /** Seconds to wait when `key` is over its limit; 0 when it may try. */
    retryAfter(key: string): number {
      const entry = current(key);
      if (!entry || entry.failures < limit) return 0;
      return Math.max(1, Math.ceil((entry.start + windowMs - clock()) / 1000));
    },

    fail(key: string): void {
      const entry = current(key);
      if (entry) {
        entry.failures++;
        return;
      }
      if (windows.size >= maxKeys) {
        const oldest = windows.keys().next().value;
        if (oldest !== undefined) windows.delete(oldest);
      }
      windows.set(key, { start: clock(), failures: 1 });
    },

    reset(key: string): void {
      windows.delete(key);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
