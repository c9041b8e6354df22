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
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reads = 0;
  // The first read's answer is held back until the secret has been rotated.
  const slow = db.withPlugin({
    transformQuery: ({ node }) => node,
    transformResult: async ({ result }) => {
      if (reads++ === 0) await held;
      return result;
    },
  });
  const find = createClientLookup(slow);
  const before = find('two');
  await new Promise<void>((resolve) => setImmediate(resolve));
  const client = await clients.find(db, 'two');
  if (!client) throw new Error('no client');
  await clients.update(db, { ...client, secretDigest: digestClientSecret('rotated-secret') });
  const after = find('two');
  release();
  const [old, fresh] = await Promise.all([before, after]);
  expect(old && clientSecretMatches('two-secret', old.secretDigest ?? '')).toBe(true);
  expect(fresh && clientSecretMatches('rotated-secret', fresh.secretDigest ?? '')).toBe(true);
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
