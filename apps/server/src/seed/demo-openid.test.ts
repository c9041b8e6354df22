import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import * as clients from '../clients/client.repository';
import type { Db } from '../db/database';
import * as users from '../users/user.repository';
import { seedDemo } from './demo';

let db: Db;
let close: () => Promise<void>;
const clock = () => 1_800_000_000_000;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await users.insert(db, {
    login: 'admin',
    email: 'a@example.org',
    password_hash: 'x',
    superuser: 1,
    created_at: 0,
  });
});
afterAll(() => close());

/** What a demo seeded before OpenID Connect has: the clients without its settings. */
async function asBeforeOpenId(clientId: string) {
  const client = await clients.find(db, clientId);
  if (client) await clients.update(db, { ...client, identityScopes: [], postLogoutRedirectUris: [] });
}

describe('the demo and OpenID Connect', () => {
  test('a new demo registers both clients for it', async () => {
    expect(await seedDemo({ db, clock }, 'admin', 0)).toMatchObject({ seeded: true, upgraded: [] });
    expect((await clients.find(db, 'analytics_app'))?.identityScopes).toEqual(['openid', 'profile', 'email']);
    expect((await clients.find(db, 'matomo_demo_spa'))?.postLogoutRedirectUris).toEqual([
      'http://127.0.0.1/',
      'http://[::1]/',
    ]);
  });

  test('a demo from before gets them at the next start; what someone set is left alone', async () => {
    await asBeforeOpenId('analytics_app');
    await asBeforeOpenId('matomo_demo_spa');
    const spa = await clients.find(db, 'matomo_demo_spa');
    if (spa) await clients.update(db, { ...spa, identityScopes: ['openid'] });
    expect(await seedDemo({ db, clock }, 'admin', 0)).toEqual({
      seeded: false,
      siteIds: [],
      visits: 0,
      upgraded: ['analytics_app'],
    });
    expect(await clients.find(db, 'analytics_app')).toMatchObject({
      identityScopes: ['openid', 'profile', 'email'],
      postLogoutRedirectUris: ['https://example-app.com/'],
      updatedAt: clock(),
    });
    expect(await clients.find(db, 'matomo_demo_spa')).toMatchObject({
      identityScopes: ['openid'],
      postLogoutRedirectUris: [],
    });
    // Once done, nothing more changes.
    expect((await seedDemo({ db, clock }, 'admin', 0)).upgraded).toEqual([]);
  });
});
