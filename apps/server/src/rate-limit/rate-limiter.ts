import { createHash } from 'node:crypto';
import type { Clock } from '../config/clock';
import { type CounterStore, openRateLimitStore } from './rate-limit-store';

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
  /** Keys kept at most in process memory (memory and cluster stores): the oldest are forgotten first. */
  maxKeys?: number;
  /** Where the counts live (shared by workers or instances); a store of this process's own when unset. */
  store?: CounterStore;
  /** Tells this limiter's counts from the others' in `store`: unique per store. */
  name?: string;
}

// Longer keys (a login can be long) are stored as their digest: stores bound the key's length.
const MAX_PLAIN_KEY = 160;

/** The store's key of `key`'s count in window `window`. */
export function storeKey(key: string, window: number): string {
  return `${key.length > MAX_PLAIN_KEY ? createHash('sha256').update(key).digest('base64url') : key}@${window}`;
}

/**
 * Counts failed attempts per key (an address, a login) in fixed windows, in a store that several
 * processes can share. An attempt is counted *before* the work it guards (`attempt`, one atomic
 * increment in the store), so that a burst of concurrent requests, on any worker or instance,
 * cannot all pass the check while the first one is still being verified; then it either
 * `succeed`s (the count is given back) or `fail`s (it stays).
 *
 * The windows are aligned on `clock`: window n covers [n × windowMs, (n + 1) × windowMs), and each
 * has its own key in the store, which expires with it. That is the fixed-window trade-off: a burst
 * straddling a boundary can reach 2 × limit (the end of one window, the start of the next).
 */
export function createRateLimiter({
  limit,
  windowMs,
  clock,
  maxInFlight,
  maxKeys = 100_000,
  store = openRateLimitStore({ kind: 'memory' }),
  // Stryker disable next-line StringLiteral: a limiter's own store holds its counts only; limiters sharing one are each given a name
  name = 'limit',
}: RateLimiterOptions) {
  const counter = store.counter({
    name,
    limit,
    // The key outlives its window: it is first counted within the window, and lives this long.
    durationSeconds: Math.max(1, Math.ceil(windowMs / 1000)),
    maxKeys,
  });
  const windowNow = () => Math.floor(clock() / windowMs);
  const waitUntilEndOf = (window: number) =>
    Math.max(1, Math.ceil(((window + 1) * windowMs - clock()) / 1000));

  // This process's attempts in flight, by key: the window each was counted in, oldest first, so
  // that a success gives its count back to the window it was taken from. With `maxInFlight`, also
  // the in-flight bound: it is per process (it bounds this process's work), while the failures
  // are counted in the store.
  const inFlight = new Map<string, number[]>();
  const hold = (key: string, window: number) => {
    const held = inFlight.get(key);
    if (held) held.push(window);
    else inFlight.set(key, [window]);
  };
  const release = (key: string): number | undefined => {
    const held = inFlight.get(key);
    const window = held?.shift();
    // Stryker disable next-line ConditionalExpression: an empty entry reads as none; deleting it only keeps the map to the keys in flight (memory), which no call shows
    if (held?.length === 0) inFlight.delete(key);
    return window;
  };
  const heldIn = (key: string, window: number) =>
    inFlight.get(key)?.filter((held) => held === window).length ?? 0;

  // The window in which each key's refusal was last reported, per process: logged once per
  // window per process.
  const refusalReported = new Map<string, number>();

  async function refused(key: string, window: number): Promise<boolean> {
    const count = await counter.count(storeKey(key, window));
    if (count >= limit) return true;
    // Strict (unset), attempts in flight are counted in the store: no bound of their own.
    return (inFlight.get(key)?.length ?? 0) >= (maxInFlight ?? Number.POSITIVE_INFINITY);
  }

  return {
    /** Counts an attempt for `key`: 0 when it may go ahead, else the seconds to wait. */
    async attempt(key: string): Promise<number> {
      const window = windowNow();
      if (maxInFlight === undefined) {
        if (await counter.consume(storeKey(key, window))) {
          hold(key, window);
          return 0;
        }
        // Given back: a refused attempt is no failure, and does not lengthen the lockout.
        await counter.add(storeKey(key, window), -1);
        return waitUntilEndOf(window);
      }
      // Held before the store is read, so that concurrent attempts meet the in-flight bound.
      if ((inFlight.get(key)?.length ?? 0) >= maxInFlight) return waitUntilEndOf(window);
      hold(key, window);
      let failures: number;
      try {
        failures = await counter.count(storeKey(key, window));
      } catch (error) {
        release(key);
        throw error;
      }
      if (failures < limit) return 0;
      release(key);
      return waitUntilEndOf(window);
    },

    /** The attempt succeeded. */
    async succeed(key: string): Promise<void> {
      const window = release(key);
      if (window !== undefined && maxInFlight === undefined) await counter.add(storeKey(key, window), -1);
    },

    /** The attempt failed: it counts. */
    async fail(key: string): Promise<void> {
      const window = release(key);
      // Strict: the attempt's count stays where `attempt` put it; only a failure nobody
      // counted yet is added.
      if (window === undefined || maxInFlight !== undefined) await counter.add(storeKey(key, windowNow()), 1);
    },

    /** Forgets `key`'s failures (a correct password ends a run of wrong ones). */
    async reset(key: string): Promise<void> {
      const window = windowNow();
      refusalReported.delete(key);
      await counter.delete(storeKey(key, window));
      // This process's attempts still in flight stay counted. Another process's are forgiven:
      // one counter cannot tell them from failures.
      const held = maxInFlight === undefined ? heldIn(key, window) : 0;
      if (held > 0) await counter.add(storeKey(key, window), held);
    },

    /** True the first time in a window that `key` is refused: log refusals once, not per request. */
    async firstRefusal(key: string): Promise<boolean> {
      const window = windowNow();
      // Stryker disable next-line ConditionalExpression: the check after the store's answer decides alike; this one spares the store a query per refused request
      if (refusalReported.get(key) === window) return false;
      if (!(await refused(key, window))) return false;
      // Checked again: another request may have reported it while the store answered.
      if (refusalReported.get(key) === window) return false;
      if (refusalReported.size >= maxKeys) {
        for (const oldest of refusalReported.keys()) {
          refusalReported.delete(oldest);
          break;
        }
      }
      refusalReported.set(key, window);
      return true;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * Counts an attempt on several limiters, one after the other (all or none): 0 when every one
 * allows it, else the wait of the first that refuses, with the counts already taken given back.
 */
export async function attemptAll(entries: readonly [RateLimiter, string][]): Promise<number> {
  const taken: [RateLimiter, string][] = [];
  for (const [limiter, key] of entries) {
    const wait = await limiter.attempt(key);
    if (wait > 0) {
      await Promise.all(taken.map(([reserved, reservedKey]) => reserved.succeed(reservedKey)));
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
