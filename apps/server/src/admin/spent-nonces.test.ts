import { createTestClock } from '@matomo-oauth2/testing';
import { describe, expect, test } from 'vitest';
import { createSpentNonces } from './spent-nonces';

describe('spent nonces', () => {
  test('a nonce is spent once while it is remembered, and forgotten after ttl', () => {
    const clock = createTestClock();
    const nonces = createSpentNonces({ ttlMs: 1000, capacity: 10, clock });
    expect(nonces.spend('a')).toBe(true);
    expect(nonces.spend('a')).toBe(false);
    clock.advance(999);
    expect(nonces.spend('a')).toBe(false);
    clock.advance(1);
    expect(nonces.spend('a')).toBe(true);
  });

  test('bounded: when full of live nonces a new one is refused rather than an old one forgotten early', () => {
    const clock = createTestClock();
    const nonces = createSpentNonces({ ttlMs: 1000, capacity: 2, clock });
    expect(nonces.spend('a')).toBe(true);
    clock.advance(500);
    expect(nonces.spend('b')).toBe(true);
    expect(nonces.spend('c')).toBe(false);
    expect(nonces.spend('a')).toBe(false);
    clock.advance(500);
    // `a` expired and made room; `b` is still remembered.
    expect(nonces.spend('c')).toBe(true);
    expect(nonces.spend('b')).toBe(false);
  });
});
