import type { Clock } from '../config/clock';

export interface RateLimiterOptions {
  /** Failures allowed per window; once reached, every attempt is refused until the window ends. */
  limit: number;
  windowMs: number;
  clock: Clock;
  /**
   * Attempts allowed in flight at once. Unset (strict): in-flight attempts count as failures
   * until they succeed, so a burst of guesses can never exceed `limit` (for passwords). Set: a
   * separate bound, so that many concurrent legitimate requests pass (for 256-bit secrets).
   */
  maxInFlight?: number;
  /** Keys tracked at most; the oldest are forgotten first (bounded memory under attack). */
  maxKeys?: number;
}

interface Window {
  start: number;
  failures: number;
  inFlight: number;
  refusalLogged: boolean;
}

/**
 * Counts failed attempts per key (an address, a login) in fixed windows. An attempt is reserved
 * *before* the work it guards (`attempt`), synchronously, so that a burst of concurrent requests
 * cannot all pass the check while the first one is still being verified; then it either
 * `succeed`s or `fail`s.
 */
export function createRateLimiter({
  limit,
  windowMs,
  clock,
  maxInFlight,
  maxKeys = 100_000,
}: RateLimiterOptions) {
  const windows = new Map<string, Window>();

  function entryOf(key: string): Window {
    const entry = windows.get(key);
    if (entry) {
      // A new window: the failures start again; attempts still in flight stay counted.
      if (clock() - entry.start >= windowMs)
        Object.assign(entry, { start: clock(), failures: 0, refusalLogged: false });
      return entry;
    }
    if (windows.size >= maxKeys) {
      // The oldest key first (a Map keeps insertion order).
      for (const oldest of windows.keys()) {
        windows.delete(oldest);
        break;
      }
    }
    const fresh = { start: clock(), failures: 0, inFlight: 0, refusalLogged: false };
    windows.set(key, fresh);
    return fresh;
  }

  function refused(entry: Window): boolean {
    if (entry.failures >= limit) return true;
    return maxInFlight === undefined
      ? entry.failures + entry.inFlight >= limit
      : entry.inFlight >= maxInFlight;
  }

  return {
    /** Reserves an attempt for `key`: 0 when it may go ahead, else the seconds to wait. */
    attempt(key: string): number {
      const entry = entryOf(key);
      if (refused(entry)) return Math.max(1, Math.ceil((entry.start + windowMs - clock()) / 1000));
      entry.inFlight++;
      return 0;
    },

    /** The reserved attempt succeeded. */
    succeed(key: string): void {
      const entry = windows.get(key);
      if (entry && entry.inFlight > 0) entry.inFlight--;
    },

    /** The reserved attempt failed: it counts. */
    fail(key: string): void {
      const entry = windows.get(key);
      if (!entry) return;
      if (entry.inFlight > 0) entry.inFlight--;
      entry.failures++;
    },

    /** Forgets `key`'s failures (a correct password ends a run of wrong ones). */
    reset(key: string): void {
      const entry = windows.get(key);
      if (entry) Object.assign(entry, { failures: 0, refusalLogged: false });
    },

    /** True the first time in a window that `key` is refused: log refusals once, not per request. */
    firstRefusal(key: string): boolean {
      const entry = windows.get(key);
      if (!entry || !refused(entry) || entry.refusalLogged) return false;
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
  // `::` stands for the zero groups that make eight; the first four groups are the /64.
  const halves = address.split('::');
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  // split() always gives a first part.
  const left = groupsOf(halves[0] as string);
  const right = groupsOf(halves[1] ?? '');
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
