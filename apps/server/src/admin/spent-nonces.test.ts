import { createTestClock } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSharedTestDatabase } from '../../test/support/shared-test-database';
import { createSpentNonces, deleteExpiredNonces } from './spent-nonces';

let shared: Awaited<ReturnType<typeof openSharedTestDatabase>>;
beforeAll(async () => {
  shared = await openSharedTestDatabase();
});
afterAll(() => shared.close());

let counter = 0;
/** A nonce no other test spends (they share the database). */
function freshNonce(): string {
  counter += 1;
  return `nonce-${counter}-${Math.random().toString(36).slice(2)}`;
}

async function remembered(nonce: string): Promise<number | undefined> {
  const row = await shared.db
    .selectFrom('spent_nonces')
    .select('expires_at')
    .where('nonce', '=', nonce)
    .executeTakeFirst();
  return row?.expires_at;
}

describe('spent nonces', () => {
  test('a nonce is spent once while it is remembered, and counts as unspent from its expiry on', async () => {
    const clock = createTestClock();
    const nonces = createSpentNonces({ db: shared.db, ttlMs: 1000, clock });
    const nonce = freshNonce();
    expect(await nonces.spend(nonce)).toBe(true);
    expect(await nonces.spend(nonce)).toBe(false);
    clock.advance(999);
    expect(await nonces.spend(nonce)).toBe(false);
    clock.advance(1);
    expect(await nonces.spend(nonce)).toBe(true);
  });

  test('spending an expired nonce again remembers it for another ttl', async () => {
    const clock = createTestClock(1_000_000);
    const nonces = createSpentNonces({ db: shared.db, ttlMs: 1000, clock });
    const nonce = freshNonce();
    expect(await nonces.spend(nonce)).toBe(true);
    expect(await remembered(nonce)).toBe(1_001_000);
    clock.advance(5000);
    expect(await nonces.spend(nonce)).toBe(true);
    expect(await remembered(nonce)).toBe(1_006_000);
    clock.advance(999);
    expect(await nonces.spend(nonce)).toBe(false);
    expect(await remembered(nonce)).toBe(1_006_000);
    clock.advance(1);
    expect(await nonces.spend(nonce)).toBe(true);
  });

  test('nonces are independent: spending one leaves another unspent', async () => {
    const nonces = createSpentNonces({ db: shared.db, ttlMs: 1000, clock: createTestClock() });
    const [a, b] = [freshNonce(), freshNonce()];
    expect(await nonces.spend(a)).toBe(true);
    expect(await nonces.spend(b)).toBe(true);
    expect(await nonces.spend(a)).toBe(false);
    expect(await nonces.spend(b)).toBe(false);
  });

  test('regression: a nonce spent through one handle is spent for another on the same database (another worker or instance)', async () => {
    const clock = createTestClock();
    const here = createSpentNonces({ db: shared.db, ttlMs: 1000, clock });
    const there = createSpentNonces({ db: shared.openAnother(), ttlMs: 1000, clock });
    const nonce = freshNonce();
    expect(await here.spend(nonce)).toBe(true);
    expect(await there.spend(nonce)).toBe(false);
    expect(await here.spend(nonce)).toBe(false);
  });

  test('regression: concurrent spends of one nonce through two handles give exactly one true', async () => {
    const clock = createTestClock();
    const here = createSpentNonces({ db: shared.db, ttlMs: 1000, clock });
    const there = createSpentNonces({ db: shared.openAnother(), ttlMs: 1000, clock });
    for (let round = 0; round < 5; round++) {
      const nonce = freshNonce();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? here : there).spend(nonce)),
      );
      expect(results.filter((spent) => spent === true)).toHaveLength(1);
      expect(results.filter((spent) => spent === false)).toHaveLength(7);
    }
  });

  test('regression: concurrent spends of one expired nonce through two handles give exactly one true', async () => {
    const clock = createTestClock();
    const here = createSpentNonces({ db: shared.db, ttlMs: 1000, clock });
    const there = createSpentNonces({ db: shared.openAnother(), ttlMs: 1000, clock });
    for (let round = 0; round < 5; round++) {
      const nonce = freshNonce();
      expect(await here.spend(nonce)).toBe(true);
      clock.advance(1000);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? here : there).spend(nonce)),
      );
      expect(results.filter((spent) => spent === true)).toHaveLength(1);
      expect(results.filter((spent) => spent === false)).toHaveLength(7);
    }
  });
});

describe('deleteExpiredNonces', () => {
  test('deletes the nonces whose expiry is now or earlier, and keeps the others remembered', async () => {
    const clock = createTestClock(2_000_000);
    const nonces = createSpentNonces({ db: shared.db, ttlMs: 1000, clock });
    const [early, onTime, late] = [freshNonce(), freshNonce(), freshNonce()];
    expect(await nonces.spend(early)).toBe(true);
    clock.advance(1);
    expect(await nonces.spend(onTime)).toBe(true);
    clock.advance(1);
    expect(await nonces.spend(late)).toBe(true);
    await deleteExpiredNonces(shared.db, 2_001_001);
    expect(await remembered(early)).toBeUndefined();
    expect(await remembered(onTime)).toBeUndefined();
    expect(await remembered(late)).toBe(2_001_002);
    // Still spent for as long as it is remembered.
    clock.set(2_001_001);
    expect(await nonces.spend(late)).toBe(false);
  });
});
