// Security checklist, "Refresh tokens" (35–39) and "Revocation / introspection" (40–42).
import {
  basic,
  getCode,
  postToken,
  rfcChallenge,
  rfcVerifier,
  signInForTokens,
} from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sha256Hex } from '../src/crypto/digest';
import * as refreshTokens from '../src/tokens/refresh-token.repository';
import { callApi } from './api-fixture';
import { callAsAdmin } from './support/admin-api';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ refreshTokenIdleTtl: 7 * 86400, refreshTokenTtl: 20 * 86400 });
});
afterAll(() => server.stop());

const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };
const spa = { clientId: 'matomo_demo_spa', redirectUri: 'http://127.0.0.1:8123/callback' };

interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
}

async function login(): Promise<Tokens> {
  return (await signInForTokens(server.url)) as unknown as Tokens;
}

async function loginSpa(scope = 'matomo:write'): Promise<Tokens> {
  const code = await getCode(server.url, { ...spa, scope, challenge: rfcChallenge });
  const result = await postToken(server.url, {
    grant_type: 'authorization_code',
    client_id: spa.clientId,
    redirect_uri: spa.redirectUri,
    code,
    code_verifier: rfcVerifier,
  });
  expect(result.status).toBe(200);
  return result.body as unknown as Tokens;
}

const refresh = (token: string, extra: Record<string, string> = {}) =>
  postToken(server.url, { grant_type: 'refresh_token', ...credentials, refresh_token: token, ...extra });
const introspect = async (token: string) =>
  (await postToken(server.url, { token, ...credentials }, { path: '/oauth2/introspect' })).body;

describe('refresh tokens', () => {
  // Security checklist item 35.
  test('every refresh rotates; the old refresh token is then invalid_grant', async () => {
    const first = await login();
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    const next = second.body as unknown as Tokens;
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect(next.access_token).not.toBe(first.access_token);
    // The previous access token of the grant is replaced too.
    expect(await introspect(first.access_token)).toEqual({ active: false });
    expect((await introspect(next.access_token)).active).toBe(true);
  });

  // Security checklist item 36.
  test('reuse of a rotated refresh token revokes the active refresh token and its access tokens', async () => {
    const first = await login();
    const next = (await refresh(first.refresh_token)).body as unknown as Tokens;
    const reuse = await refresh(first.refresh_token);
    expect([reuse.status, reuse.body.error]).toEqual([400, 'invalid_grant']);
    expect(await introspect(next.refresh_token)).toEqual({ active: false });
    expect(await introspect(next.access_token)).toEqual({ active: false });
    expect((await refresh(next.refresh_token)).body.error).toBe('invalid_grant');
    const audit = await server
      .flushAuditLog()
      .then(() =>
        server.db
          .selectFrom('audit_log')
          .select('event')
          .where('event', '=', 'refresh_token.reuse_detected')
          .execute(),
      );
    expect(audit.length).toBeGreaterThan(0);
  });

  // Security checklist item 37.
  test('parallel refreshes with one refresh token: at most one succeeds', async () => {
    const first = await login();
    const results = await Promise.all(Array.from({ length: 6 }, () => refresh(first.refresh_token)));
    expect(results.filter((result) => result.status === 200).length).toBeLessThanOrEqual(1);
    for (const result of results.filter((r) => r.status !== 200))
      expect(result.body.error).toBe('invalid_grant');
  });

  // Security checklist item 38.
  test('another client’s refresh token: invalid_grant', async () => {
    const tokens = await loginSpa();
    const result = await refresh(tokens.refresh_token);
    expect([result.status, result.body.error]).toEqual([400, 'invalid_grant']);
    // …and the rightful client can still use it.
    const own = await postToken(server.url, {
      grant_type: 'refresh_token',
      client_id: spa.clientId,
      refresh_token: tokens.refresh_token,
    });
    expect(own.status).toBe(200);
  });

  // Security checklist item 38.
  test('a broader scope: invalid_scope; a lower one is granted, the grant keeps its scope', async () => {
    const tokens = await loginSpa('matomo:write');
    const refreshSpa = (token: string, scope?: string) =>
      postToken(server.url, {
        grant_type: 'refresh_token',
        client_id: spa.clientId,
        refresh_token: token,
        ...(scope ? { scope } : {}),
      });
    const broader = await refreshSpa(tokens.refresh_token, 'matomo:admin');
    expect([broader.status, broader.body.error]).toEqual([400, 'invalid_scope']);
    const lower = await refreshSpa(tokens.refresh_token, 'matomo:read');
    expect(lower.status).toBe(200);
    expect(lower.body.scope).toBe('matomo:read');
    const again = await refreshSpa(String(lower.body.refresh_token));
    expect(again.body.scope).toBe('matomo:write');
  });

  // Security checklist item 39.
  test('a refresh token unused for the idle lifetime expires', async () => {
    const tokens = await login();
    server.clock.advance(7 * 86400_000 + 1000);
    const result = await refresh(tokens.refresh_token);
    expect([result.status, result.body.error]).toEqual([400, 'invalid_grant']);
  });

  // Security checklist item 39.
  test('a login ends at the absolute lifetime, however often it is refreshed', async () => {
    let tokens = await login();
    // Refreshed every 6 days (within the 7-day idle lifetime) up to day 18 of 20.
    for (const day of [6, 12, 18]) {
      server.clock.advance(6 * 86400_000);
      const result = await refresh(tokens.refresh_token);
      expect(result.status, `day ${day}`).toBe(200);
      tokens = result.body as unknown as Tokens;
    }
    server.clock.advance(2 * 86400_000 + 1000);
    const result = await refresh(tokens.refresh_token);
    expect([result.status, result.body.error]).toEqual([400, 'invalid_grant']);
  });

  test('a paused client cannot refresh; resumed, its old logins are gone', async () => {
    const tokens = await login();
    const setActive = (active: '0' | '1') =>
      callAsAdmin(server, 'OAuth2.setClientActive', { clientId: 'analytics_app', active });
    expect((await setActive('0')).status).toBe(200);
    const paused = await refresh(tokens.refresh_token);
    expect([paused.status, paused.body.error]).toEqual([401, 'invalid_client']);
    expect((await setActive('1')).status).toBe(200);
    const resumed = await refresh(tokens.refresh_token);
    expect([resumed.status, resumed.body.error]).toEqual([400, 'invalid_grant']);
    expect((await refresh((await login()).refresh_token)).status).toBe(200);
  });
});

describe('deleting a client', () => {
  test('deletes its grants, refresh tokens and codes, and kills its access tokens', async () => {
    const created = await callAsAdmin(server, 'OAuth2.createClient', {
      name: 'Short-lived',
      type: 'public',
      'grantTypes[]': ['authorization_code', 'refresh_token'],
      scope: 'matomo:read',
      redirectUris: 'http://127.0.0.1/cb',
    });
    const clientId = (created.body as { client: { client_id: string } }).client.client_id;
    const code = await getCode(server.url, {
      clientId,
      redirectUri: 'http://127.0.0.1:9/cb',
      challenge: rfcChallenge,
    });
    const tokens = (
      await postToken(server.url, {
        grant_type: 'authorization_code',
        client_id: clientId,
        redirect_uri: 'http://127.0.0.1:9/cb',
        code,
        code_verifier: rfcVerifier,
      })
    ).body as unknown as Tokens;
    // Whether the Matomo API takes the access token.
    const accepted = async () =>
      (await callApi(server, 'API.getMatomoVersion', {}, { token: tokens.access_token })).status === 200;
    expect(await accepted()).toBe(true);

    expect((await callAsAdmin(server, 'OAuth2.deleteClient', { clientId })).body).toEqual({
      deleted: true,
    });
    expect(await accepted()).toBe(false);
    const { db } = server;
    expect(await db.selectFrom('grants').selectAll().where('client_id', '=', clientId).execute()).toEqual([]);
    expect(
      await db.selectFrom('authorization_codes').selectAll().where('client_id', '=', clientId).execute(),
    ).toEqual([]);
    expect(await refreshTokens.findWithGrant(db, sha256Hex(tokens.refresh_token))).toBeUndefined();
  });
});

describe('revocation', () => {
  const revoke = (token: string, auth: Record<string, string> = credentials, hint?: string) =>
    postToken(
      server.url,
      { token, ...auth, ...(hint ? { token_type_hint: hint } : {}) },
      { path: '/oauth2/revoke' },
    );

  // Security checklist item 40.
  test('a valid token and an unknown token both get 200', async () => {
    const tokens = await login();
    const valid = await revoke(tokens.access_token, credentials, 'access_token');
    expect(valid.status).toBe(200);
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    expect((await revoke('not-a-token')).status).toBe(200);
    expect((await revoke('a.b.c')).status).toBe(200);
  });

  // Security checklist item 40.
  test('another client’s token is refused, and stays valid', async () => {
    const tokens = await loginSpa();
    const result = await revoke(tokens.refresh_token);
    expect([result.status, result.body.error]).toEqual([400, 'invalid_request']);
    const access = await revoke(tokens.access_token);
    expect(access.status).toBe(400);
    const own = await postToken(server.url, {
      grant_type: 'refresh_token',
      client_id: spa.clientId,
      refresh_token: tokens.refresh_token,
    });
    expect(own.status).toBe(200);
  });

  // Security checklist item 41.
  test('revoking a refresh token kills its grant’s access tokens', async () => {
    const tokens = await login();
    expect((await introspect(tokens.access_token)).active).toBe(true);
    expect((await revoke(tokens.refresh_token, credentials, 'refresh_token')).status).toBe(200);
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    expect((await refresh(tokens.refresh_token)).body.error).toBe('invalid_grant');
  });

  test('a public client revokes its own refresh token with its client_id', async () => {
    const tokens = await loginSpa();
    const result = await revoke(tokens.refresh_token, { client_id: spa.clientId });
    expect(result.status).toBe(200);
    const after = await postToken(server.url, {
      grant_type: 'refresh_token',
      client_id: spa.clientId,
      refresh_token: tokens.refresh_token,
    });
    expect(after.body.error).toBe('invalid_grant');
  });

  test('revocation needs client authentication', async () => {
    const tokens = await login();
    const result = await postToken(server.url, { token: tokens.refresh_token }, { path: '/oauth2/revoke' });
    expect([result.status, result.body.error]).toEqual([401, 'invalid_client']);
  });
});

// Security checklist item 42.
describe('introspection', () => {
  test('without client authentication: 401', async () => {
    const tokens = await login();
    const result = await postToken(
      server.url,
      { token: tokens.access_token },
      { path: '/oauth2/introspect' },
    );
    expect([result.status, result.body.error]).toEqual([401, 'invalid_client']);
  });

  test('a public client cannot introspect', async () => {
    const tokens = await loginSpa();
    const result = await postToken(
      server.url,
      { token: tokens.access_token, client_id: spa.clientId },
      { path: '/oauth2/introspect' },
    );
    expect(result.status).toBe(401);
  });

  test('an active access token is described; HTTP Basic works too', async () => {
    const tokens = await login();
    const result = await postToken(
      server.url,
      { token: tokens.access_token },
      {
        path: '/oauth2/introspect',
        headers: { Authorization: basic(credentials.client_id, credentials.client_secret) },
      },
    );
    expect(result.headers.get('Cache-Control')).toBe('no-store');
    expect(result.body).toMatchObject({
      active: true,
      token_type: 'Bearer',
      scope: 'matomo:read',
      client_id: 'analytics_app',
      sub: 'demo',
      username: 'demo',
      iss: server.issuer,
      aud: server.issuer,
    });
    const refreshDescription = await introspect(tokens.refresh_token);
    expect(refreshDescription).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      sub: 'demo',
      scope: 'matomo:read',
    });
  });

  test('unknown, expired, revoked and other clients’ tokens: only {"active":false}', async () => {
    const revoked = await login();
    await postToken(server.url, { token: revoked.refresh_token, ...credentials }, { path: '/oauth2/revoke' });
    const foreign = await loginSpa();
    const expired = await login();
    const answers = [
      await introspect('unknown'),
      await introspect(revoked.access_token),
      await introspect(revoked.refresh_token),
      await introspect(foreign.access_token),
      await introspect(foreign.refresh_token),
    ];
    server.clock.advance(3601_000);
    answers.push(await introspect(expired.access_token));
    for (const answer of answers) expect(answer).toEqual({ active: false });
  });
});
