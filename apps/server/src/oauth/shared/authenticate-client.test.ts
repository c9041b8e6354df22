import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestContext } from '../../../test/support/koa-context';
import { openTestDatabase } from '../../../test/support/test-database';
import { type AuditLog, createAuditLog } from '../../audit/audit-log';
import { registerClient } from '../../clients/client-registration';
import type { Db } from '../../db/database';
import { OAuthError } from '../../errors/oauth-error';
import { Params } from '../../http/params';
import { createLogger } from '../../logging/logger';
import { createRateLimiter } from '../../rate-limit/rate-limiter';
import { authenticateClientMiddleware } from './authenticate-client';
import type { ClientState } from './client-state';

let db: Db;
let close: () => Promise<void>;
let audit: AuditLog;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  audit = createAuditLog({ db, clock: () => 0, logger: createLogger({ level: 'silent' }) });
  await registerClient(
    db,
    {
      clientId: 'app',
      name: 'App',
      secret: 'app-secret',
      grantTypes: ['client_credentials'],
      scope: 'matomo:read',
      ownerLogin: 'owner',
    },
    0,
  );
  await registerClient(
    db,
    {
      clientId: 'spa',
      name: 'SPA',
      grantTypes: ['authorization_code'],
      scope: 'matomo:read',
      redirectUris: ['https://spa.example/callback'],
      ownerLogin: 'owner',
    },
    0,
  );
});
afterAll(async () => {
  await audit.close();
  await close();
});

/** A token request from `ip` with this body (and query), through a middleware counting failures in `limit`. */
function request(
  middleware: ReturnType<typeof authenticateClientMiddleware>,
  {
    body = '',
    query = '',
    ip = '192.0.2.1',
    authorization,
  }: { body?: string; query?: string; ip?: string; authorization?: string },
) {
  const ctx = createTestContext<ClientState>({
    method: 'POST',
    url: `/oauth2/token${query === '' ? '' : `?${query}`}`,
    ip,
    headers: authorization === undefined ? {} : { Authorization: authorization },
    state: { form: Params.parse(body), hasForm: true },
  });
  let reached = false;
  const run = middleware(ctx, async () => {
    reached = true;
  });
  return run.then(
    () => ({ outcome: 'passed' as const, client: ctx.state.client?.clientId, reached }),
    (error: unknown) => {
      if (!(error instanceof OAuthError)) throw error;
      return {
        outcome: error.error,
        status: error.status,
        retryAfter: error.headers['Retry-After'],
        reached,
      };
    },
  );
}

function middleware(limit = 2, allowPublic = false) {
  const limiter = createRateLimiter({ limit, windowMs: 60_000, clock: () => 0 });
  return authenticateClientMiddleware({ db, audit, limiter }, { allowPublic });
}

const good = 'client_id=app&client_secret=app-secret';
const wrong = 'client_id=app&client_secret=wrong';

describe('authenticateClientMiddleware', () => {
  test('puts the authenticated client on ctx.state, then goes on', async () => {
    expect(await request(middleware(), { body: good })).toEqual({
      outcome: 'passed',
      client: 'app',
      reached: true,
    });
    const basic = `Basic ${Buffer.from('app:app-secret').toString('base64')}`;
    expect(await request(middleware(), { authorization: basic })).toMatchObject({
      outcome: 'passed',
      client: 'app',
    });
  });

  test('a public client sending only its id passes where the endpoint allows public clients, and only there', async () => {
    expect(await request(middleware(2, true), { body: 'client_id=spa' })).toEqual({
      outcome: 'passed',
      client: 'spa',
      reached: true,
    });
    expect(await request(middleware(2, false), { body: 'client_id=spa' })).toEqual({
      outcome: 'invalid_client',
      status: 401,
      reached: false,
    });
  });

  test('successes never add up to a refusal', async () => {
    const check = middleware(2);
    for (let i = 0; i < 4; i++) expect((await request(check, { body: good })).outcome).toBe('passed');
  });

  test('failed authentications from one address are counted, then refused with 429 and Retry-After', async () => {
    const check = middleware(2);
    expect(await request(check, { body: wrong })).toEqual({
      outcome: 'invalid_client',
      status: 401,
      reached: false,
    });
    expect((await request(check, { body: wrong })).outcome).toBe('invalid_client');
    // Refused before the secret is even checked: the right one does not get through now.
    expect(await request(check, { body: good })).toEqual({
      outcome: 'temporarily_unavailable',
      status: 429,
      retryAfter: '60',
      reached: false,
    });
    // Other addresses are not affected.
    expect((await request(check, { body: good, ip: '192.0.2.2' })).outcome).toBe('passed');
  });

  test('an IPv6 client is counted by its /64', async () => {
    const check = middleware(1);
    expect((await request(check, { body: wrong, ip: '2001:db8:1:2::1' })).outcome).toBe('invalid_client');
    expect((await request(check, { body: good, ip: '2001:db8:1:2::ffff' })).outcome).toBe(
      'temporarily_unavailable',
    );
    expect((await request(check, { body: good, ip: '2001:db8:1:3::1' })).outcome).toBe('passed');
  });

  test('malformed requests are refused without counting as failed authentications', async () => {
    const check = middleware(1);
    for (let i = 0; i < 3; i++) {
      expect(await request(check, { body: good, query: 'client_id=app' })).toEqual({
        outcome: 'invalid_request',
        status: 400,
        reached: false,
      });
    }
    expect((await request(check, { body: good })).outcome).toBe('passed');
  });

  test('a failed authentication is in the audit log, with the address and the reason', async () => {
    await request(middleware(), { body: 'client_id=app', ip: '198.51.100.7' });
    await request(middleware(), { body: 'client_id=app', query: 'client_secret=x', ip: '198.51.100.8' });
    await audit.committed();
    const rows = await db
      .selectFrom('audit_log')
      .select(['event', 'ip', 'detail'])
      .where('ip', 'in', ['198.51.100.7', '198.51.100.8'])
      .execute();
    expect(rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) }))).toEqual([
      {
        event: 'client.authentication_failed',
        ip: '198.51.100.7',
        detail: { reason: 'Client authentication failed: this client must send its secret' },
      },
    ]);
  });
});
