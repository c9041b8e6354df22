import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import type { Db } from '../db/database';
import * as clients from './client.repository';
import { createClientLookup } from './client-lookup';
import { registerClient } from './client-registration';
import { clientSecretMatches, digestClientSecret } from './client-secret';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  for (const clientId of ['one', 'two']) {
    await registerClient(
      db,
      {
        clientId,
        name: clientId,
        grantTypes: ['client_credentials'],
        scope: 'matomo:read',
        ownerLogin: 'owner',
        secret: `${clientId}-secret`,
      },
      0,
    );
  }
});
afterAll(() => close());

/** Counts the statements run on `db` while `work` runs. */
async function statements<T>(work: (counted: Db) => Promise<T>): Promise<{ result: T; count: number }> {
  let count = 0;
  const counted = db.withPlugin({
    transformQuery: ({ node }) => {
      count++;
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  const result = await work(counted);
  return { result, count };
}

/**
 * `db`, with the answer of its first statement held back until `release()`; `started` settles
 * when that statement has been sent, and `count()` is the number of statements sent so far.
 */
function heldFirstRead() {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let sent = 0;
  let announce = () => {};
  const started = new Promise<void>((resolve) => {
    announce = resolve;
  });
  let answered = 0;
  const slow = db.withPlugin({
    transformQuery: ({ node }) => {
      sent++;
      announce();
      return node;
    },
    transformResult: async ({ result }) => {
      if (answered++ === 0) await held;
      return result;
    },
  });
  return { db: slow, started, release, count: () => sent };
}

test('the lookups of the moment share one query, and each gets its own client (or none)', async () => {
  const { result, count } = await statements((counted) => {
    const find = createClientLookup(counted);
    return Promise.all(['one', 'two', 'one', 'missing'].map((id) => find(id)));
  });
  expect(count).toBe(1);
  expect(result.map((client) => client?.clientId)).toEqual(['one', 'two', 'one', undefined]);
  expect(result[0]).not.toBe(result[2]);
});

test('a secret rotated while a read is under way is seen by every lookup made after the rotation', async () => {
  // The first read's answer is held back until the secret has been rotated.
  const slow = heldFirstRead();
  const find = createClientLookup(slow.db);
  const before = find('two');
  await slow.started;
  const client = await clients.find(db, 'two');
  if (!client) throw new Error('no client');
  await clients.update(db, { ...client, secretDigest: digestClientSecret('rotated-secret') });
  const after = find('two');
  slow.release();
  const [old, fresh] = await Promise.all([before, after]);
  expect(old && clientSecretMatches('two-secret', old.secretDigest ?? '')).toBe(true);
  expect(fresh && clientSecretMatches('rotated-secret', fresh.secretDigest ?? '')).toBe(true);
  // Put back for the other tests.
  await clients.update(db, { ...client, secretDigest: digestClientSecret('two-secret') });
});

test('lookups made while a read is under way wait for it, then share the next read', async () => {
  const slow = heldFirstRead();
  const find = createClientLookup(slow.db);
  const first = find('one');
  await slow.started;
  const waiting = [find('two'), find('one'), find('missing')];
  // A turn for any read that would start now: none does, one statement at a time reaches the database.
  await new Promise<void>((resolve) => setImmediate(resolve));
  expect(slow.count()).toBe(1);
  slow.release();
  const answers = await Promise.all([first, ...waiting]);
  expect(answers.map((client) => client?.clientId)).toEqual(['one', 'two', 'one', undefined]);
  expect(slow.count()).toBe(2);
});

test('an idle lookup holds no read in waiting: its next read starts a turn after the call, with the calls of that turn', async () => {
  const { result, count } = await statements(async (counted) => {
    const find = createClientLookup(counted);
    await find('one');
    // Every turn the lookup may still have scheduled has run: it is idle.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A call from the current turn, scheduled before the lookup's own next turn.
    const sameTurn = new Promise<Awaited<ReturnType<typeof find>>>((resolve, reject) => {
      setImmediate(() => find('two').then(resolve, reject));
    });
    return Promise.all([find('one'), sameTurn]);
  });
  expect(result.map((client) => client?.clientId)).toEqual(['one', 'two']);
  // The first read, then one for both calls.
  expect(count).toBe(2);
});

test('a burst is read in statements of at most 500 ids, as few as that allows', async () => {
  const ids = ['one', 'two', ...Array.from({ length: 499 }, (_, i) => `missing-${i}`)];
  const sizes: number[] = [];
  const counting = db.withPlugin({
    transformQuery: ({ node }) => {
      sizes.push(JSON.stringify(node).match(/"(one|two|missing-\d+)"/g)?.length ?? 0);
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  const find = createClientLookup(counting);
  const answers = await Promise.all(ids.map((id) => find(id)));
  expect(sizes).toEqual([500, 1]);
  expect(answers.filter((client) => client !== undefined).map((client) => client?.clientId)).toEqual([
    'one',
    'two',
  ]);
});

test('a client whose stored row is malformed fails its lookups only', async () => {
  await registerClient(
    db,
    {
      clientId: 'broken',
      name: 'broken',
      grantTypes: ['client_credentials'],
      scope: 'matomo:read',
      ownerLogin: 'owner',
      secret: 'broken-secret',
    },
    0,
  );
  await db
    .updateTable('clients')
    .set({ grant_types: '["made_up"]' })
    .where('client_id', '=', 'broken')
    .execute();
  const find = createClientLookup(db);
  const [broken, again, one] = await Promise.allSettled([find('broken'), find('broken'), find('one')]);
  expect(broken.status === 'rejected' && String(broken.reason)).toMatch(/unknown grant type/);
  expect(again.status).toBe('rejected');
  expect(one.status === 'fulfilled' && one.value?.clientId).toBe('one');
});

test('an id the database refuses fails its own lookup only', async () => {
  let refused = 0;
  // A database that refuses any statement naming `bad`, as PostgreSQL refuses a NUL byte.
  const picky = db.withPlugin({
    transformQuery: ({ node }) => {
      if (JSON.stringify(node).includes('"bad"')) {
        refused++;
        throw new Error('invalid byte sequence');
      }
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  const find = createClientLookup(picky);
  const [one, bad, two] = await Promise.allSettled([find('one'), find('bad'), find('two')]);
  expect(one.status === 'fulfilled' && one.value?.clientId).toBe('one');
  expect(two.status === 'fulfilled' && two.value?.clientId).toBe('two');
  expect(bad.status).toBe('rejected');
  expect(refused).toBe(2);
});
