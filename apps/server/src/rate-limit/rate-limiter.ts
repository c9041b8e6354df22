import type { Clock } from '../clock';

export interface RateLimiterOptions {
  /** Attempts that may fail per window; once they have, every attempt is refused. */
  limit: number;
  windowMs: number;
  clock: Clock;
  /** Keys tracked at most; the oldest are forgotten first (bounded memory under attack). */
  maxKeys?: number;
}

interface Window {
  start: number;
  /** Attempts that failed, plus those still in flight (reserved, not yet known to succeed). */
  count: number;
  refusalLogged: boolean;
}

/**
 * Counts failed attempts per key (an address, a login) in fixed windows. An attempt is reserved
 * *before* the work it guards (`attempt`), synchronously, so that a burst of concurrent requests
 * cannot all pass the check while the first one is still being verified; a success gives its
 * reservation back (`succeed`).
 */
export function createRateLimiter({ limit, windowMs, clock, maxKeys = 100_000 }: RateLimiterOptions) {
  const windows = new Map<string, Window>();

  function current(key: string): Window | undefined {
    const entry = windows.get(key);
    if (entry && clock() - entry.start >= windowMs) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  }

  function wait(entry: Window): number {
    return Math.max(1, Math.ceil((entry.start + windowMs - clock()) / 1000));
  }

  return {
    /** Reserves an attempt for `key`: 0 when it may go ahead, else the seconds to wait. */
    attempt(key: string): number {
      const entry = current(key);
      if (entry && entry.count >= limit) return wait(entry);
      if (entry) entry.count++;
      else {
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest !== undefined) windows.delete(oldest);
        }
        windows.set(key, { start: clock(), count: 1, refusalLogged: false });
      }
      return 0;
    },

    /** The reserved attempt succeeded: it does not count. */
    succeed(key: string): void {
      const entry = current(key);
      if (entry && entry.count > 0) entry.count--;
    },

    /** Forgets `key`'s failures (a correct password ends a run of wrong ones). */
    reset(key: string): void {
      windows.delete(key);
    },

    /** True the first time in a window that `key` is refused: log refusals once, not per request. */
    firstRefusal(key: string): boolean {
      const entry = current(key);
      if (!entry || entry.count < limit || entry.refusalLogged) return false;
      entry.refusalLogged = true;
      return true;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * Reserves an attempt on several limiters at once (all or none): 0 when every one allows it,
 * else the longest wait, with the reservations already made given back.
 */
export function attemptAll(entries: readonly [RateLimiter, string][]): number {
  const taken: [RateLimiter, string][] = [];
  for (const [limiter, key] of entries) {
    const wait = limiter.attempt(key);
    if (wait > 0) {
      for (const [reserved, reservedKey] of taken) reserved.succeed(reservedKey);
      return wait;
    }
    taken.push([limiter, key]);
  }
  return 0;
}

/** The key of an address: an IPv6 client usually controls a whole /64, so that is one key. */
export function addressKey(ip: string): string {
  const address = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
