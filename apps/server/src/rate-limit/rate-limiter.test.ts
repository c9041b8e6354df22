import { describe, expect, test } from 'vitest';
import { addressKey, attemptAll, createRateLimiter } from './rate-limiter';

function limiter(limit = 3) {
  let now = 0;
  const clock = () => now;
  return {
    limiter: createRateLimiter({ limit, windowMs: 60_000, clock }),
    advance: (ms: number) => (now += ms),
  };
}

describe('the rate limiter', () => {
  test('reserves attempts before the work: a burst cannot overtake the limit', () => {
    const { limiter: l } = limiter(3);
    const allowed = Array.from({ length: 50 }, () => l.attempt('a')).filter((wait) => wait === 0);
    expect(allowed).toHaveLength(3);
  });

  test('a success gives its reservation back; a window ends', () => {
    const { limiter: l, advance } = limiter(2);
    expect(l.attempt('a')).toBe(0);
    l.succeed('a');
    expect(l.attempt('a')).toBe(0);
    expect(l.attempt('a')).toBe(0);
    expect(l.attempt('a')).toBe(60);
    advance(30_000);
    expect(l.attempt('a')).toBe(30);
    advance(30_000);
    expect(l.attempt('a')).toBe(0);
  });

  test('a refusal is reported once per window', () => {
    const { limiter: l } = limiter(1);
    l.attempt('a');
    l.attempt('a');
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

describe('addressKey', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
