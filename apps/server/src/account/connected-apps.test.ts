import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import type { AuditEntry, AuditEvent, AuditLog } from '../audit/audit-log';
import { registerClient } from '../clients/client-registration';
import type { Db } from '../db/database';
import type { Scope } from '../protocol/scopes';
import * as grants from '../tokens/grant.repository';
import * as refreshTokens from '../tokens/refresh-token.repository';
import * as users from '../users/user.repository';
import { createConnectedApps, groupByClient } from './connected-apps';

let db: Db;
let close: () => Promise<void>;
const now = 10_000_000;
const recorded: [AuditEvent, AuditEntry | undefined][] = [];
const audit = { record: (event: AuditEvent, entry?: AuditEntry) => void recorded.push([event, entry]) };
const apps = () => createConnectedApps({ db, clock: () => now, audit: audit as unknown as AuditLog });

let grantCount = 0;
async function grant(
  clientId: string,
  login: string,
  scope: Scope,
  createdAt: number,
  extra: { revoked?: boolean; expiresAt?: number; refreshedAt?: number[]; identity?: string } = {},
): Promise<string> {
  const grantId = `g${++grantCount}`;
  await grants.insert(db, {
    grant_id: grantId,
    client_id: clientId,
    user_login: login,
    scope,
    created_at: createdAt,
    expires_at: extra.expiresAt ?? now + 86_400_000,
    revoked_at: extra.revoked ? createdAt : null,
    access_token_jti: `jti-${grantId}`,
    identity_scopes: extra.identity ?? '',
  });
  for (const [index, at] of (extra.refreshedAt ?? []).entries()) {
    await refreshTokens.insert(db, {
      token_digest: `${grantId}-${index}`,
      grant_id: grantId,
      created_at: at,
      expires_at: now + 86_400_000,
      used_at: null,
    });
  }
  return grantId;
}

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await users.insert(db, {
    login: 'ann',
    email: 'a@example.org',
    password_hash: 'x',
    superuser: 0,
    created_at: 0,
  });
  for (const [clientId, name] of [
    ['zeta', 'Zeta reports'],
    ['alpha', 'Alpha dashboard'],
    ['gone', 'Gone app'],
  ] as const) {
    await registerClient(
      db,
      {
        clientId,
        name,
        grantTypes: ['authorization_code', 'refresh_token'],
        scope: 'matomo:admin',
        ownerLogin: 'owner',
      },
      0,
    );
  }
  // Two live grants of ann to zeta: the highest scope, the earliest grant, the latest refresh win.
  // Their identity scopes add up, in their usual order.
  await grant('zeta', 'ann', 'matomo:write', 2_000, {
    refreshedAt: [2_000, 7_000],
    identity: 'openid email',
  });
  await grant('zeta', 'ann', 'matomo:read', 1_000, { refreshedAt: [1_000], identity: 'openid profile' });
  // One live grant to alpha, never refreshed: last used is when it was granted.
  await grant('alpha', 'ann', 'matomo:read', 3_000);
  // Neither a revoked nor an expired grant counts, nor another user's grant.
  await grant('gone', 'ann', 'matomo:admin', 500, { revoked: true });
  await grant('gone', 'ann', 'matomo:admin', 500, { expiresAt: now });
  await grant('alpha', 'owner', 'matomo:admin', 100, { refreshedAt: [9_000] });
});
afterAll(() => close());

describe('connected applications', () => {
  test('one row per client with a live grant, by name: highest scope, first granted, last used', async () => {
    expect(await apps().list('ann')).toEqual([
      {
        clientId: 'alpha',
        name: 'Alpha dashboard',
        scope: 'matomo:read',
        identityScopes: [],
        firstGrantedAt: 3_000,
        lastUsedAt: 3_000,
      },
      {
        clientId: 'zeta',
        name: 'Zeta reports',
        scope: 'matomo:write',
        identityScopes: ['openid', 'profile', 'email'],
        firstGrantedAt: 1_000,
        lastUsedAt: 7_000,
      },
    ]);
  });

  test('revoking a client the user has no live grant with changes nothing and records nothing', async () => {
    recorded.length = 0;
    expect(await apps().revoke({ login: 'ann', ip: '192.0.2.1' }, 'gone')).toBe(false);
    expect(await apps().revoke({ login: 'ann', ip: '192.0.2.1' }, 'no-such-client')).toBe(false);
    expect(recorded).toEqual([]);
    expect(await apps().list('owner')).toHaveLength(1);
  });

  test('revoking a client ends every grant of this user to it, and only those; it is recorded', async () => {
    recorded.length = 0;
    expect(await apps().revoke({ login: 'ann', ip: '192.0.2.1' }, 'alpha')).toBe(true);
    expect((await apps().list('ann')).map((app) => app.clientId)).toEqual(['zeta']);
    expect((await apps().list('owner')).map((app) => app.clientId)).toEqual(['alpha']);
    expect(await apps().revoke({ login: 'ann', ip: '192.0.2.1' }, 'zeta')).toBe(true);
    expect(await apps().list('ann')).toEqual([]);
    const revoked = await db
      .selectFrom('grants')
      .select('revoked_at')
      .where('client_id', '=', 'zeta')
      .execute();
    expect(revoked.every((row) => row.revoked_at === now)).toBe(true);
    expect(recorded).toEqual([
      [
        'grant.revoked',
        {
          actor: 'ann',
          clientId: 'alpha',
          ip: '192.0.2.1',
          detail: { reason: 'revoked by the user on /account', grants: 1 },
        },
      ],
      [
        'grant.revoked',
        {
          actor: 'ann',
          clientId: 'zeta',
          ip: '192.0.2.1',
          detail: { reason: 'revoked by the user on /account', grants: 2 },
        },
      ],
    ]);
  });
});

describe('groupByClient', () => {
  let rows = 0;
  function row(clientId: string, name: string, scope: Scope): grants.LiveGrantOfUser {
    return {
      grant_id: `row-${++rows}`,
      client_id: clientId,
      client_name: name,
      scope,
      identity_scopes: '',
      created_at: 1_000,
      last_refresh_token_at: null,
    };
  }

  test('the highest scope wins, whichever grant comes first', () => {
    for (const scopes of [
      ['matomo:read', 'matomo:write', 'matomo:read'],
      ['matomo:write', 'matomo:read'],
    ] as const) {
      const [app] = groupByClient(scopes.map((scope) => row('zeta', 'Zeta', scope)));
      expect(app?.scope).toBe('matomo:write');
    }
  });

  test('by name, then by client id when two clients share a name', () => {
    const order = groupByClient([
      row('b', 'Same name', 'matomo:read'),
      row('z', 'Alpha', 'matomo:read'),
      row('a', 'Same name', 'matomo:read'),
    ]).map((app) => app.clientId);
    expect(order).toEqual(['z', 'a', 'b']);
  });
});
