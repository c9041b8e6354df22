import { describe, expect, test } from 'vitest';
import { isTrustedHop, isTrustedProxy, parseTrustProxy, TrustProxyError } from './trust-proxy';

describe('parseTrustProxy', () => {
  test.each(['', '  ', 'false', 'FALSE', 'no', 'off', '0', '00'])('%j trusts no proxy', (value) => {
    expect(parseTrustProxy(value)).toEqual({ kind: 'none' });
  });

  test.each([
    ['1', 1],
    [' 2 ', 2],
    ['10', 10],
  ])('%j is a hop count', (value, hops) => {
    expect(parseTrustProxy(value)).toEqual({ kind: 'hops', hops });
  });

  test.each(['true', 'TRUE', 'yes', 'on'])(
    '%j is refused: it would believe whoever connects (regression: forged X-Forwarded-For believed)',
    (value) => {
      expect(() => parseTrustProxy(value)).toThrow(TrustProxyError);
      expect(() => parseTrustProxy(value)).toThrow(/name the proxies.*hop count/);
    },
  );

  test.each([
    ['11', /at most 10 hops, got 11/],
    ['-1', /"-1" is not an address/],
    ['10.0.0.0/33', /"10.0.0.0\/33" is not/],
    ['10.0.0.0/', /"10.0.0.0\/" is not/],
    ['10.0.0.0/8/8', /"10.0.0.0\/8\/8" is not/],
    ['10.0.0.0/x', /"10.0.0.0\/x" is not/],
    // Prefixes Number() would read as 8: only digits are a prefix length.
    ['10.0.0.0/+8', /"10.0.0.0\/\+8" is not/],
    ['10.0.0.0/ 8', /"10.0.0.0\/ 8" is not/],
    ['10.0.0.0/8.0', /"10.0.0.0\/8.0" is not/],
    ['10.0.0.0/0x8', /"10.0.0.0\/0x8" is not/],
    ['10.0.0.0/8e0', /"10.0.0.0\/8e0" is not/],
    ['10.0.0.0/0008', /"10.0.0.0\/0008" is not/],
    ['::1/129', /"::1\/129" is not/],
    ['proxy.example.org', /"proxy.example.org" is not/],
    ['10.0.0.256', /"10.0.0.256" is not/],
    ['loopback,', /"" is not/],
    ['1, loopback', /"1" is not/],
  ])('%j is refused, naming the value', (value, message) => {
    expect(() => parseTrustProxy(value)).toThrow(TrustProxyError);
    expect(() => parseTrustProxy(value)).toThrow(message);
  });

  test('its errors are TrustProxyErrors by name too (what the start-up message shows)', () => {
    expect(() => parseTrustProxy('true')).toThrow(expect.objectContaining({ name: 'TrustProxyError' }));
    expect(() => parseTrustProxy('nope')).toThrow(expect.objectContaining({ name: 'TrustProxyError' }));
  });
});

describe('isTrustedProxy', () => {
  test.each([
    // setting, address, trusted
    ['loopback', '127.0.0.1', true],
    ['loopback', '127.9.9.9', true],
    ['loopback', '::1', true],
    ['loopback', '::ffff:127.0.0.1', true],
    ['loopback', '::ffff:7f00:1', true],
    ['loopback', '0:0:0:0:0:ffff:127.0.0.1', true],
    ['loopback', '::FFFF:127.0.0.1', true],
    ['loopback', 'x::ffff:127.0.0.1', false],
    ['loopback', 'abcdefg127.0.0.1', false],
    ['loopback', '::ffff:127.0.0.1x', false],
    ['loopback', '::127.0.0.1', false],
    ['loopback', '::ffff:1', false],
    ['::/0', '::ffff:1', true],
    ['::/0', '2001:db8::1', true],
    ['::ffff:10.0.0.0/104', '10.0.0.1', true],
    ['::ffff:10.0.0.0/104', '11.0.0.1', false],
    ['loopback', '10.0.0.1', false],
    ['LoopBack', '127.0.0.1', true],
    ['linklocal', '169.254.1.1', true],
    ['linklocal', 'fe80::1', true],
    ['uniquelocal', '10.1.2.3', true],
    ['uniquelocal', '172.16.0.1', true],
    ['uniquelocal', '172.32.0.1', false],
    ['uniquelocal', '192.168.1.1', true],
    ['uniquelocal', 'fd00::1', true],
    ['uniquelocal', '::ffff:192.168.1.1', true],
    ['198.51.100.0/24', '198.51.100.200', true],
    ['198.51.100.0/24', '198.51.101.1', false],
    ['198.51.100.0/24', '::ffff:198.51.100.9', true],
    ['198.51.100.7', '198.51.100.7', true],
    ['198.51.100.7', '198.51.100.8', false],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::5', false],
    ['2001:db8::/32', '198.51.100.7', false],
    ['10.0.0.0/8, 2001:db8::1', '2001:db8::1', true],
    ['10.0.0.0/8, 2001:db8::1', '10.255.0.1', true],
    ['loopback', 'not-an-address', false],
    ['loopback', '', false],
  ])('%s trusts %j: %s', (setting, address, trusted) => {
    expect(isTrustedProxy(parseTrustProxy(setting), address)).toBe(trusted);
  });

  test('no address is a trusted proxy under a hop count or none', () => {
    expect(isTrustedProxy(parseTrustProxy('1'), '127.0.0.1')).toBe(false);
    expect(isTrustedProxy(parseTrustProxy('false'), '127.0.0.1')).toBe(false);
  });
});

describe('isTrustedHop', () => {
  test('a hop count trusts the nearest hops whatever their address', () => {
    const two = parseTrustProxy('2');
    expect([0, 1, 2, 3].map((hop) => isTrustedHop(two, '203.0.113.9', hop))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  test('addresses are trusted by address at any hop', () => {
    const loopback = parseTrustProxy('loopback');
    expect(isTrustedHop(loopback, '127.0.0.1', 5)).toBe(true);
    expect(isTrustedHop(loopback, '203.0.113.9', 0)).toBe(false);
  });

  test('none trusts nothing', () => {
    expect(isTrustedHop(parseTrustProxy('false'), '127.0.0.1', 0)).toBe(false);
  });
});
