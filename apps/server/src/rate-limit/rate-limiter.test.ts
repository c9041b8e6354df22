import { describe, expect, test } from 'vitest';
import { addressKey, attemptAll, createRateLimiter } from './rate-limiter';

function limiter(limit = 3, maxInFlight?: number) {
  // Not 0: a window that starts at 0 would hide `clock() + start` for `clock() - start`.
  let now = 1_700_000_000_000;
  const clock = () => now;
  return {
    limiter: createRateLimiter({ limit, windowMs: 60_000, clock, ...(maxInFlight ? { maxInFlight } : {}) }),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the rate limiter, strict (passwords)', () => {
  test('reserves attempts before the work: a burst cannot overtake the limit', () => {
    const { limiter: l } = limiter(3);
    expect(Array.from({ length: 50 }, () => l.attempt('a')).filter((wait) => wait === 0)).toHaveLength(3);
  });

  test('successes give their reservation back; failures count until the window ends', () => {
    const { limiter: l, advance } = limiter(2);
    expect(l.attempt('a')).toBe(0);
    l.succeed('a');
    expect(l.attempt('a')).toBe(0);
    l.fail('a');
    expect(l.attempt('a')).toBe(0);
    l.fail('a');
    expect(l.attempt('a')).toBe(60);
    advance(30_000);
    expect(l.attempt('a')).toBe(30);
    advance(30_000);
    expect(l.attempt('a')).toBe(0);
  });

  test('a refusal is reported once per window', () => {
    const { limiter: l } = limiter(1);
    l.attempt('a');
    l.fail('a');
    expect(l.firstRefusal('a')).toBe(true);
    expect(l.firstRefusal('a')).toBe(false);
  });

  test('attemptAll takes all reservations or none', () => {
    const { limiter: a } = limiter(5);
    const { limiter: b } = limiter(1);
    expect(
      attemptAll([
        [a, 'x'],
        [b, 'y'],
      ]),
    ).toBe(0);
    expect(
      attemptAll([
        [a, 'x'],
        [b, 'y'],
      ]),
    ).toBeGreaterThan(0);
    // a's second reservation was given back: one is held, four are left.
    expect([1, 2, 3, 4, 5].map(() => a.attempt('x')).filter((wait) => wait === 0)).toHaveLength(4);
  });
});

describe('the rate limiter, with a separate bound in flight (256-bit secrets)', () => {
  test('many concurrent successes pass; failures still close the window', () => {
    const { limiter: l } = limiter(3, 100);
    const reserved = Array.from({ length: 64 }, () => l.attempt('a'));
    expect(reserved.every((wait) => wait === 0)).toBe(true);
    for (let i = 0; i < 64; i++) l.succeed('a');
    for (let i = 0; i < 3; i++) {
      expect(l.attempt('a')).toBe(0);
      l.fail('a');
    }
    expect(l.attempt('a')).toBeGreaterThan(0);
  });

  test('a burst is bounded by the in-flight limit', () => {
    const { limiter: l } = limiter(3, 10);
    expect(Array.from({ length: 50 }, () => l.attempt('a')).filter((wait) => wait === 0)).toHaveLength(10);
  });
});

describe('the rate limiter, edge by edge', () => {
  test('a window that ends while attempts are in flight keeps them counted', () => {
    const { limiter: l, advance } = limiter(1);
    expect(l.attempt('a')).toBe(0);
    advance(60_000);
    expect(l.attempt('a')).toBe(60);
    l.succeed('a');
    expect(l.attempt('a')).toBe(0);
  });

  test('a refusal is reported once per window, and again in the next one', () => {
    const { limiter: l, advance } = limiter(1);
    l.attempt('a');
    l.fail('a');
    expect(l.firstRefusal('a')).toBe(true);
    advance(60_000);
    expect(l.attempt('a')).toBe(0);
    l.fail('a');
    expect(l.firstRefusal('a')).toBe(true);
    expect(l.firstRefusal('a')).toBe(false);
  });

  test('reset forgets the failures and the reported refusal', () => {
    const { limiter: l } = limiter(1);
    l.attempt('a');
    l.fail('a');
    expect(l.firstRefusal('a')).toBe(true);
    l.reset('a');
    expect(l.attempt('a')).toBe(0);
    l.fail('a');
    expect(l.firstRefusal('a')).toBe(true);
  });

  test('keys never attempted: nothing to give back, count, reset or report', () => {
    const { limiter: l } = limiter(1);
    expect(() => {
      l.succeed('x');
      l.fail('x');
      l.reset('x');
    }).not.toThrow();
    expect(l.firstRefusal('x')).toBe(false);
    expect(l.attempt('x')).toBe(0);
  });

  test('an extra success gives back nothing more than was reserved', () => {
    const { limiter: l } = limiter(1);
    expect(l.attempt('a')).toBe(0);
    l.succeed('a');
    l.succeed('a');
    expect(l.attempt('a')).toBe(0);
    expect(l.attempt('a')).toBeGreaterThan(0);
  });

  test('a failure without a reservation still counts, and frees nothing', () => {
    const { limiter: l } = limiter(2);
    l.attempt('a');
    l.succeed('a');
    l.fail('a');
    expect(l.attempt('a')).toBe(0);
    expect(l.attempt('a')).toBeGreaterThan(0);
  });

  test('beyond maxKeys, the oldest key is forgotten first, and only it', () => {
    const l = createRateLimiter({ limit: 1, windowMs: 60_000, clock: () => 0, maxKeys: 2 });
    for (const key of ['a', 'b']) {
      l.attempt(key);
      l.fail(key);
    }
    expect(l.attempt('c')).toBe(0);
    expect(l.attempt('b')).toBeGreaterThan(0);
    expect(l.attempt('a')).toBe(0);
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
