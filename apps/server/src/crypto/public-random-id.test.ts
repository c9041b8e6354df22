import { expect, test } from 'vitest';
import { publicRandomId } from './public-random-id';

test('16 bytes by default, base64url: 22 characters', () => {
  expect(publicRandomId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(publicRandomId(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
});

test('never the same twice, across several refills of the pool', () => {
  const ids = new Set(Array.from({ length: 2000 }, () => publicRandomId()));
  expect(ids.size).toBe(2000);
});

test('an identifier never spans a refill: each has its full length, whatever is left in the pool', () => {
  for (let i = 0; i < 1000; i++) expect(publicRandomId(48)).toHaveLength(64);
});
