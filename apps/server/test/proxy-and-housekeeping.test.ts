// Behind a reverse proxy, and the periodic upkeep.
import { request } from 'node:http';
import { postToken } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseTrustProxy } from '../src/config/trust-proxy';
import { sweepExpired } from '../src/housekeeping';
import { startTestServer, type TestServer } from './test-server';

// The issuer is https: the TLS proxy in front of it says so in X-Forwarded-Proto.
const issuer = 'https://127.0.0.1';
const rateLimits = {
  loginPerIp: { limit: 100, windowMs: 60_000 },
  loginPerUser: { limit: 100, windowMs: 60_000 },
  clientAuthenticationPerIp: { limit: 3, windowMs: 60_000 },
};

/** Three proxy set-ups; the test connects from 127.0.0.1 in each. */
let server: TestServer;
let notBehindProxy: TestServer;
let oneHop: TestServer;
beforeAll(async () => {
  [server, notBehindProxy, oneHop] = await Promise.all([
    // The test is the proxy.
    startTestServer({ trustProxy: parseTrustProxy('loopback'), issuer }, { rateLimits }),
    // The proxies are elsewhere: the test is a client that reached the port directly.
    startTestServer({ trustProxy: parseTrustProxy('198.51.100.0/24'), issuer }, { rateLimits }),
    startTestServer({ trustProxy: parseTrustProxy('1'), demo: false }, { rateLimits }),
  ]);
});
afterAll(() => Promise.all([server, notBehindProxy, oneHop].map((each) => each?.stop())));

/** A failed client authentication sent with this `X-Forwarded-For`. */
function wrongSecret(target: TestServer, forwardedFor: string) {
  return postToken(
    target.url,
    { grant_type: 'client_credentials', client_id: 'analytics_app', client_secret: 'wrong' },
    { headers: { 'X-Forwarded-For': forwardedFor } },
  );
}

async function auditedAddresses(target: TestServer): Promise<Set<string | null>> {
  await target.flushAuditLog();
  const rows = await target.db
    .selectFrom('audit_log')
    .select('ip')
    .where('event', '=', 'client.authentication_failed')
    .execute();
  return new Set(rows.map((row) => row.ip));
}

/** `GET /demo/` as the issuer's host: the dashboard is served on the issuer's origin only. */
function openDashboard(target: TestServer, headers: Record<string, string>) {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const req = request(`${target.url}/demo/`, { headers: { Host: '127.0.0.1', ...headers } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TRUST_PROXY', () => {
  test('loopback: the address is the one the proxy added; what the client wrote before it is ignored (regression: forged X-Forwarded-For escaped rate limiting)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await wrongSecret(server, `10.0.0.${i}, 198.51.100.7`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(await auditedAddresses(server)).toEqual(new Set(['198.51.100.7']));
  });

  test('a range the peer is not in: a forged X-Forwarded-For sent straight to the port is ignored (regression: TRUST_PROXY=true believed whoever connected)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await wrongSecret(notBehindProxy, `198.51.100.${i + 1}`)).status);
    // Every attempt counts against the real peer, whatever address it claims.
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(await auditedAddresses(notBehindProxy)).toEqual(new Set(['127.0.0.1']));
  });

  test('1 hop: the last entry is the client, each with its own count', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await wrongSecret(oneHop, `10.0.0.${i}, 203.0.113.5`)).status);
    statuses.push((await wrongSecret(oneHop, '10.0.0.9, 203.0.113.6')).status);
    expect(statuses).toEqual([401, 401, 401, 429, 401]);
    expect(await auditedAddresses(oneHop)).toEqual(new Set(['203.0.113.5', '203.0.113.6']));
  });

  test('X-Forwarded-Proto from the trusted proxy makes the request https', async () => {
    // Without it, the request is plain http: not the issuer's origin, sent there.
    expect(await openDashboard(server, {})).toEqual({ status: 302, location: `${issuer}/demo/` });
    const proxied = await openDashboard(server, {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-For': '203.0.113.5',
    });
    // Served (503 while apps/demo is not built), not redirected.
    expect([200, 503]).toContain(proxied.status);
  });

  test('X-Forwarded-Proto from an untrusted peer does not make the request https', async () => {
    expect(await openDashboard(notBehindProxy, { 'X-Forwarded-Proto': 'https' })).toEqual({
      status: 302,
      location: `${issuer}/demo/`,
    });
  });
});

describe('housekeeping', () => {
  test('forgets expired rows (spent nonces too) and audit entries past their retention', async () => {
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
    await db
      .insertInto('spent_nonces')
      .values([
        { nonce: 'expired-nonce', expires_at: now },
        { nonce: 'live-nonce', expires_at: now + 1 },
      ])
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
    const nonces = await db.selectFrom('spent_nonces').select('nonce').execute();
    expect(nonces.map((row) => row.nonce)).toEqual(['live-nonce']);
  });
});
