import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import * as clients from '../clients/client.repository';
import type { Db } from '../db/database';
import * as users from '../users/user.repository';
import { demoDashboardClient, ensureDemoDashboardClient } from './demo-dashboard-client';

let db: Db;
let close: () => Promise<void>;
const now = 1_800_000_000_000;

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

describe('ensureDemoDashboardClient', () => {
  test('registers a public client for exactly <issuer>/demo/, then leaves it alone', async () => {
    const options = { issuer: 'http://127.0.0.1:8080', ownerLogin: 'admin', now };
    expect(await ensureDemoDashboardClient(db, options)).toBe('registered');
    expect(await clients.find(db, demoDashboardClient.clientId)).toMatchObject({
      type: 'public',
      scope: 'matomo:read',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1:8080/demo/'],
      postLogoutRedirectUris: ['http://127.0.0.1:8080/demo/'],
      identityScopes: ['openid', 'profile', 'email'],
    });
    expect(await ensureDemoDashboardClient(db, options)).toBe('unchanged');
  });

  test('a database seeded under another issuer gets this issuer’s address as well', async () => {
    const options = { issuer: 'https://demo.example.org/', ownerLogin: 'admin', now };
    expect(await ensureDemoDashboardClient(db, options)).toBe('updated');
    expect((await clients.find(db, demoDashboardClient.clientId))?.redirectUris).toEqual([
      'http://127.0.0.1:8080/demo/',
      'https://demo.example.org/demo/',
    ]);
  });
});
