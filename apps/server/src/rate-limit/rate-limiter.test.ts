import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestSchema, testDatabaseUrl } from '../../test/support/database-under-test';
import { type CounterStore, openRateLimitStore } from './rate-limit-store';
import { addressKey, attemptAll, createRateLimiter, storeKey } from './rate-limiter';

const WINDOW_MS = 60_000;
// The start of a window (windows are aligned on the clock), and not 0: a window that starts at 0
// would hide `clock() + start` for `clock() - start`.
const START = 28_333_334 * WINDOW_MS;

const passes = (waits: number[]) => waits.filter((wait) => wait === 0).length;

/** The limiter's rules, on one store: each limiter has a name of its own, so they share it safely. */
function limiterRules(openStore: () => Promise<CounterStore>) {
  let store: CounterStore;
  let limiters = 0;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(() => store.close());

  function limiter(limit = 3, maxInFlight?: number, maxKeys?: number) {
    let now = START;
    limiters++;
    return {
      limiter: createRateLimiter({
        limit,
        windowMs: WINDOW_MS,
        clock: () => now,
        store,
        name: `limiter-${limiters}`,
        ...(maxInFlight ? { maxInFlight } : {}),
        ...(maxKeys ? { maxKeys } : {}),
      }),
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  describe('strict (passwords)', () => {
    test('counts attempts before the work: a burst cannot overtake the limit', async () => {
      const { limiter: l } = limiter(3);
      expect(passes(await Promise.all(Array.from({ length: 50 }, () => l.attempt('a'))))).toBe(3);
    });

    test('successes give their count back; failures count until the window ends', async () => {
      const { limiter: l, advance } = limiter(2);
      expect(await l.attempt('a')).toBe(0);
      await l.succeed('a');
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      expect(await l.attempt('a')).toBe(60);
      advance(30_000);
      expect(await l.attempt('a')).toBe(30);
      advance(30_000);
      expect(await l.attempt('a')).toBe(0);
    });

    test('a refused attempt is given back: it is no failure', async () => {
      const { limiter: l } = limiter(2);
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('b')).toBe(0);
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      // Two counted for 'a' (one in flight, one failure): refused, and not counted.
      expect(await l.attempt('a')).toBeGreaterThan(0);
      expect(await l.attempt('a')).toBeGreaterThan(0);
      await l.succeed('a');
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBeGreaterThan(0);
    });

    test('a refusal is reported once per window', async () => {
      const { limiter: l } = limiter(1);
      await l.attempt('a');
      await l.fail('a');
      expect(await l.firstRefusal('a')).toBe(true);
      expect(await l.firstRefusal('a')).toBe(false);
    });

    test('concurrent reports of one refusal: only one is the first', async () => {
      const { limiter: l } = limiter(1);
      await l.attempt('a');
      await l.fail('a');
      const reports = await Promise.all(Array.from({ length: 10 }, () => l.firstRefusal('a')));
      expect(reports.filter(Boolean)).toHaveLength(1);
    });

    test('attemptAll takes all counts or none', async () => {
      const { limiter: a } = limiter(5);
      const { limiter: b } = limiter(1);
      const both: [typeof a, string][] = [
        [a, 'x'],
        [b, 'y'],
      ];
      expect(await attemptAll(both)).toBe(0);
      expect(await attemptAll(both)).toBeGreaterThan(0);
      // a's second count was given back: one is held, four are left.
      expect(passes(await Promise.all([1, 2, 3, 4, 5].map(() => a.attempt('x'))))).toBe(4);
    });
  });

  describe('with a separate bound in flight (256-bit secrets)', () => {
    test('many concurrent successes pass; failures still close the window', async () => {
      const { limiter: l } = limiter(3, 100);
      const waits = await Promise.all(Array.from({ length: 64 }, () => l.attempt('a')));
      expect(waits.every((wait) => wait === 0)).toBe(true);
      await Promise.all(waits.map(() => l.succeed('a')));
      for (let i = 0; i < 3; i++) {
        expect(await l.attempt('a')).toBe(0);
        await l.fail('a');
      }
      expect(await l.attempt('a')).toBeGreaterThan(0);
    });

    test('a burst is bounded by the in-flight limit', async () => {
      const { limiter: l } = limiter(3, 10);
      expect(passes(await Promise.all(Array.from({ length: 50 }, () => l.attempt('a'))))).toBe(10);
    });

    test('a refusal by the in-flight bound is reported once', async () => {
      const { limiter: l } = limiter(3, 1);
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBeGreaterThan(0);
      expect(await l.firstRefusal('a')).toBe(true);
      expect(await l.firstRefusal('a')).toBe(false);
    });

    test('below both bounds nothing is refused, so no refusal is reported', async () => {
      const { limiter: l } = limiter(3, 2);
      expect(await l.attempt('a')).toBe(0);
      expect(await l.firstRefusal('a')).toBe(false);
      expect(await l.firstRefusal('never-attempted')).toBe(false);
      expect(await l.attempt('a')).toBe(0);
    });

    test('reset forgets the failures, and counts none of the attempts in flight as one', async () => {
      const { limiter: l } = limiter(3, 10);
      for (let i = 0; i < 2; i++) {
        expect(await l.attempt('a')).toBe(0);
        await l.fail('a');
      }
      for (let i = 0; i < 3; i++) expect(await l.attempt('a')).toBe(0);
      await l.reset('a');
      // Three in flight, none of them a failure: the window is open.
      expect(await l.attempt('a')).toBe(0);
      expect(await l.firstRefusal('a')).toBe(false);
    });

    test('beyond maxKeys, the oldest reported refusal is forgotten first, and only it', async () => {
      const { limiter: l } = limiter(3, 1, 2);
      for (const key of ['a', 'b', 'c']) {
        expect(await l.attempt(key)).toBe(0);
        expect(await l.firstRefusal(key)).toBe(true);
      }
      expect(await l.firstRefusal('b')).toBe(false);
      expect(await l.firstRefusal('c')).toBe(false);
      // Forgotten, so reported again.
      expect(await l.firstRefusal('a')).toBe(true);
    });
  });

  describe('edge by edge', () => {
    test('windows are aligned on the clock: the wait is to the end of the current one', async () => {
      const { limiter: l, advance } = limiter(1);
      advance(45_000);
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      expect(await l.attempt('a')).toBe(15);
      advance(14_999);
      expect(await l.attempt('a')).toBe(1);
      advance(1);
      expect(await l.attempt('a')).toBe(0);
    });

    test('a success gives its count back to the window it was taken from', async () => {
      const { limiter: l, advance } = limiter(1);
      expect(await l.attempt('a')).toBe(0);
      advance(WINDOW_MS);
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBe(60);
      // The first attempt's success frees nothing in this window; the second's does.
      await l.succeed('a');
      expect(await l.attempt('a')).toBe(60);
      await l.succeed('a');
      expect(await l.attempt('a')).toBe(0);
    });

    test('a refusal is reported once per window, and again in the next one', async () => {
      const { limiter: l, advance } = limiter(1);
      await l.attempt('a');
      await l.fail('a');
      expect(await l.firstRefusal('a')).toBe(true);
      advance(WINDOW_MS);
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      expect(await l.firstRefusal('a')).toBe(true);
      expect(await l.firstRefusal('a')).toBe(false);
    });

    test('reset forgets the failures and the reported refusal', async () => {
      const { limiter: l } = limiter(1);
      await l.attempt('a');
      await l.fail('a');
      expect(await l.firstRefusal('a')).toBe(true);
      await l.reset('a');
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      expect(await l.firstRefusal('a')).toBe(true);
    });

    test('reset counts again only the attempts in flight in the current window', async () => {
      const { limiter: l, advance } = limiter(2);
      expect(await l.attempt('a')).toBe(0);
      advance(WINDOW_MS);
      expect(await l.attempt('a')).toBe(0);
      await l.reset('a');
      // The first attempt was counted in the previous window: one of two is left in this one.
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBeGreaterThan(0);
    });

    test('a failure is remembered for its whole window, not for a second of real time', async () => {
      const { limiter: l } = limiter(1);
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      // The stores expire their keys by real time (not by the limiter's clock).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await l.attempt('a')).toBe(60);
    });

    test("reset keeps this process's attempts in flight counted", async () => {
      const { limiter: l } = limiter(2);
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBe(0);
      await l.fail('a');
      await l.reset('a');
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBeGreaterThan(0);
    });

    test('keys never attempted: nothing to give back, reset or report', async () => {
      const { limiter: l } = limiter(1);
      await l.succeed('x');
      await l.reset('x');
      expect(await l.firstRefusal('x')).toBe(false);
      expect(await l.attempt('x')).toBe(0);
    });

    test('an extra success gives back nothing more than was counted', async () => {
      const { limiter: l } = limiter(1);
      expect(await l.attempt('a')).toBe(0);
      await l.succeed('a');
      await l.succeed('a');
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBeGreaterThan(0);
    });

    test('a failure without an attempt still counts, and frees nothing', async () => {
      const { limiter: l } = limiter(2);
      await l.attempt('a');
      await l.succeed('a');
      await l.fail('a');
      expect(await l.attempt('a')).toBe(0);
      expect(await l.attempt('a')).toBeGreaterThan(0);
    });

    test('a very long key is counted like any other', async () => {
      const { limiter: l } = limiter(1);
      const long = `${'x'.repeat(5000)}|203.0.113.7`;
      expect(await l.attempt(long)).toBe(0);
      await l.fail(long);
      expect(await l.attempt(long)).toBeGreaterThan(0);
      expect(await l.attempt(`${'x'.repeat(5000)}|203.0.113.8`)).toBe(0);
    });
  });
}

describe('the rate limiter, in memory', () => {
  limiterRules(async () => openRateLimitStore({ kind: 'memory' }));

  test('beyond maxKeys, the oldest key is forgotten first, and only it', async () => {
    const l = createRateLimiter({ limit: 1, windowMs: WINDOW_MS, clock: () => 0, maxKeys: 2 });
    for (const key of ['a', 'b']) {
      await l.attempt(key);
      await l.fail(key);
    }
    expect(await l.attempt('c')).toBe(0);
    expect(await l.attempt('b')).toBeGreaterThan(0);
    expect(await l.attempt('a')).toBe(0);
  });

  // The memory store forgets its oldest key beyond maxKeys: a key written for nothing would push
  // out a counted one.
  test('a success with nothing in flight writes no key', async () => {
    const l = createRateLimiter({ limit: 1, windowMs: WINDOW_MS, clock: () => START, maxKeys: 2 });
    expect(await l.attempt('x')).toBe(0);
    await l.fail('x');
    await l.succeed('a');
    expect(await l.attempt('b')).toBe(0);
    expect(await l.attempt('x')).toBeGreaterThan(0);
  });

  test('a reset with nothing in flight leaves no key behind', async () => {
    const l = createRateLimiter({ limit: 1, windowMs: WINDOW_MS, clock: () => START, maxKeys: 2 });
    expect(await l.attempt('x')).toBe(0);
    await l.fail('x');
    await l.reset('a');
    expect(await l.attempt('b')).toBe(0);
    expect(await l.attempt('x')).toBeGreaterThan(0);
  });

  test('two limiters on their own memory stores do not share counts', async () => {
    const two = [1, 2].map(() => createRateLimiter({ limit: 1, windowMs: WINDOW_MS, clock: () => START }));
    expect(passes(await Promise.all(two.map((l) => l.attempt('a'))))).toBe(2);
  });

  test('a store that is down fails the attempt, which holds no place in flight', async () => {
    // Nothing listens on port 1: every query fails, as when the database is down.
    const store = openRateLimitStore({ kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      const l = createRateLimiter({
        limit: 3,
        windowMs: WINDOW_MS,
        clock: () => START,
        store,
        maxInFlight: 1,
      });
      await expect(l.attempt('a')).rejects.toThrow(/ECONNREFUSED/);
      // Had the first attempt kept its place, the bound of one would refuse this one (a wait, no error).
      await expect(l.attempt('a')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await store.close();
    }
  });

  test('the cluster store is for node:cluster workers only', () => {
    expect(() => openRateLimitStore({ kind: 'cluster' })).toThrow(/workers only/);
  });
});

describe.skipIf(testDatabaseUrl === undefined)('the rate limiter, on PostgreSQL (TEST_DATABASE_URL)', () => {
  limiterRules(async () =>
    openRateLimitStore({ kind: 'postgres', url: await createTestSchema(testDatabaseUrl as string) }),
  );

  test('two instances on one database: 60 concurrent attempts for one key, no more pass than the limit', async () => {
    const url = await createTestSchema(testDatabaseUrl as string);
    const stores = [
      openRateLimitStore({ kind: 'postgres', url }),
      openRateLimitStore({ kind: 'postgres', url }),
    ];
    try {
      const [first, second] = stores.map((store) =>
        createRateLimiter({ limit: 5, windowMs: WINDOW_MS, clock: () => START, store, name: 'login-user' }),
      );
      const guesses = Array.from({ length: 60 }, async (_, i) => {
        const l = (i % 2 === 0 ? first : second) as NonNullable<typeof first>;
        const wait = await l.attempt('ann|203.0.113.7');
        if (wait === 0) await l.fail('ann|203.0.113.7');
        return wait;
      });
      expect(passes(await Promise.all(guesses))).toBe(5);
      // Every instance now refuses, whichever counted the failures.
      expect(await first?.attempt('ann|203.0.113.7')).toBe(60);
      expect(await second?.attempt('ann|203.0.113.7')).toBe(60);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  test('the table is created on first use, by any number of limiters at once', async () => {
    const store = openRateLimitStore({
      kind: 'postgres',
      url: await createTestSchema(testDatabaseUrl as string),
    });
    try {
      const limiters = ['a', 'b', 'c', 'd'].map((name) =>
        createRateLimiter({ limit: 1, windowMs: WINDOW_MS, clock: () => START, store, name }),
      );
      expect(passes(await Promise.all(limiters.map((l) => l.attempt('k'))))).toBe(4);
    } finally {
      await store.close();
    }
  });
});

describe('storeKey', () => {
  test('a key of up to 160 characters is stored as it is, a longer one as its SHA-256 digest', () => {
    const longest = 'x'.repeat(160);
    expect(storeKey(longest, 7)).toBe(`${longest}@7`);
    expect(storeKey('x'.repeat(161), 7)).toBe('_bfzxAZF55ykxdFjh1MkPMsoP13RJs6yHeX6fUCVPGU@7');
  });
});

describe('addressKey', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['2001::1:2:3:4:5:6', '2001:0:1:2::/64'],
    ['2001:db8::1:2:3:4', '2001:db8:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    // Mapped IPv4 only when written as IPv4.
    ['::ffff:1:2', '0:0:0:0::/64'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
