// Behind a reverse proxy, and the periodic upkeep.
import { postToken } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sweepExpired } from '../src/housekeeping';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    { trustProxy: true },
    {
      rateLimits: {
        loginPerIp: { limit: 100, windowMs: 60_000 },
        loginPerUser: { limit: 100, windowMs: 60_000 },
        clientAuthenticationPerIp: { limit: 3, windowMs: 60_000 },
      },
    },
  );
});
afterAll(() => server.stop());

describe('TRUST_PROXY', () => {
  test('the address is the one the proxy added; what the client wrote before it is ignored (regression: forged X-Forwarded-For escaped rate limiting)', async () => {
    const attempt = (forged: string) =>
      postToken(
        server.url,
        { grant_type: 'client_credentials', client_id: 'analytics_app', client_secret: 'wrong' },
        { headers: { 'X-Forwarded-For': `${forged}, 198.51.100.7` } },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(`10.0.0.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    await server.flushAuditLog();
    const rows = await server.db
      .selectFrom('audit_log')
      .select('ip')
      .where('event', '=', 'client.authentication_failed')
      .execute();
    expect(new Set(rows.map((row) => row.ip))).toEqual(new Set(['198.51.100.7']));
  });
});

describe('housekeeping', () => {
  test('forgets expired rows and audit entries past their retention', async () => {
    const { db } = server;
    const now = server.clock();
    await db
      .insertInto('audit_log')
      .values([
        {
          created_at: now - 200 * 86_400_000,
          event: 'login.failed',
          actor: 'old',
          client_id: null,
          ip: null,
          detail: '{}',
        },
        {
          created_at: now - 10 * 86_400_000,
          event: 'login.failed',
          actor: 'recent',
          client_id: null,
          ip: null,
          detail: '{}',
        },
      ])
      .execute();
    await db
      .insertInto('revoked_tokens')
      .values({ jti: 'expired-jti', expires_at: now - 1 })
      .execute();
    await sweepExpired({
      db,
      clock: server.clock,
      accessTokenTtl: server.config.accessTokenTtl,
      auditRetentionDays: server.config.auditRetentionDays,
    });
    const actors = (await db.selectFrom('audit_log').select('actor').execute()).map((row) => row.actor);
    expect(actors).toContain('recent');
    expect(actors).not.toContain('old');
    expect(
      await db.selectFrom('revoked_tokens').selectAll().where('jti', '=', 'expired-jti').execute(),
    ).toEqual([]);
  });
});
