// Security checklist, "PKCE" (16–20) and "Authorization code" (21–26), over real HTTP.
import { createAgent, getCode, postToken, rfcChallenge, rfcVerifier } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const spa = { clientId: 'matomo_demo_spa', redirectUri: 'http://127.0.0.1:4321/callback' };
const confidential = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };
const redirectUri = 'https://example-app.com/oauth/callback';

function authorizeUrl(params: Record<string, string>) {
  return `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', state: 's', ...params })}`;
}

describe('PKCE', () => {
  // Security checklist item 16.
  test('a public client without code_challenge: invalid_request by redirect', async () => {
    const response = await createAgent(server.url).get(
      authorizeUrl({ client_id: spa.clientId, redirect_uri: spa.redirectUri }),
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toContain('code_challenge');
  });

  // Security checklist item 17.
  test.each([
    ['plain', 'plain'],
    ['an unknown method', 'S512'],
  ])('%s: invalid_request; metadata lists only S256', async (_, method) => {
    const response = await createAgent(server.url).get(
      authorizeUrl({
        client_id: spa.clientId,
        redirect_uri: spa.redirectUri,
        code_challenge: rfcChallenge,
        code_challenge_method: method,
      }),
    );
    expect(new URL(response.headers.get('Location') ?? '').searchParams.get('error')).toBe('invalid_request');
    const metadata = (await (
      await fetch(`${server.url}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
  });

  // Security checklist item 17.
  test('a challenge without a method is taken as plain, and refused', async () => {
    const response = await createAgent(server.url).get(
      authorizeUrl({ client_id: spa.clientId, redirect_uri: spa.redirectUri, code_challenge: rfcChallenge }),
    );
    expect(new URL(response.headers.get('Location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  // Security checklist item 18.
  test.each(['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)}/`])(
    'challenge %s is malformed',
    async (challenge) => {
      const response = await createAgent(server.url).get(
        authorizeUrl({
          client_id: spa.clientId,
          redirect_uri: spa.redirectUri,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      );
      expect(new URL(response.headers.get('Location') ?? '').searchParams.get('error')).toBe(
        'invalid_request',
      );
    },
  );

  // Security checklist item 18.
  test.each(['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(43)}=`])(
    'verifier %s is malformed: 400',
    async (verifier) => {
      const code = await getCode(server.url, { ...spa, scope: 'matomo:read', challenge: rfcChallenge });
      const result = await postToken(server.url, {
        grant_type: 'authorization_code',
        client_id: spa.clientId,
        redirect_uri: spa.redirectUri,
        code,
        code_verifier: verifier,
      });
      expect(result.status).toBe(400);
      expect(result.body.error).toBe('invalid_request');
    },
  );

  // Security checklist item 19.
  test('a wrong or missing verifier: 400 invalid_grant', async () => {
    const code = await getCode(server.url, { ...spa, scope: 'matomo:read', challenge: rfcChallenge });
    const base = {
      grant_type: 'authorization_code',
      client_id: spa.clientId,
      redirect_uri: spa.redirectUri,
      code,
    };
    const wrong = await postToken(server.url, { ...base, code_verifier: `${rfcVerifier.slice(0, -1)}K` });
    expect([wrong.status, wrong.body.error]).toEqual([400, 'invalid_grant']);
    const missing = await postToken(server.url, base);
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_grant']);
    // The right verifier still works: a failed check does not burn the code.
    const right = await postToken(server.url, { ...base, code_verifier: rfcVerifier });
    expect(right.status).toBe(200);
  });

  // Security checklist item 20.
  test('downgrade: a verifier for a code issued without a challenge is refused', async () => {
    const code = await getCode(server.url, { challenge: undefined });
    const result = await postToken(server.url, {
      grant_type: 'authorization_code',
      ...confidential,
      redirect_uri: redirectUri,
      code,
      code_verifier: rfcVerifier,
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe('invalid_request');
    expect(String(result.body.error_description)).toContain('without a code_challenge');
  });

  test('a confidential client may use PKCE, and then must send the verifier', async () => {
    const code = await getCode(server.url, { challenge: rfcChallenge });
    const base = { grant_type: 'authorization_code', ...confidential, redirect_uri: redirectUri, code };
    expect((await postToken(server.url, base)).body.error).toBe('invalid_grant');
    expect((await postToken(server.url, { ...base, code_verifier: rfcVerifier })).status).toBe(200);
  });
});

describe('authorization codes', () => {
  async function redeem(code: string, extra: Record<string, string> = {}) {
    return postToken(server.url, {
      grant_type: 'authorization_code',
      ...confidential,
      redirect_uri: redirectUri,
      code,
      ...extra,
    });
  }

  async function introspect(token: string) {
    return (await postToken(server.url, { token, ...confidential }, { path: '/oauth2/introspect' })).body;
  }

  // Security checklist items 21–22.
  test('a second redemption is invalid_grant, and kills the tokens of the first', async () => {
    const code = await getCode(server.url);
    const first = await redeem(code);
    expect(first.status).toBe(200);
    const { access_token, refresh_token } = first.body as { access_token: string; refresh_token: string };
    expect((await introspect(access_token)).active).toBe(true);

    const second = await redeem(code);
    expect([second.status, second.body.error]).toEqual([400, 'invalid_grant']);

    expect(await introspect(access_token)).toEqual({ active: false });
    expect(await introspect(refresh_token)).toEqual({ active: false });
    const refreshed = await postToken(server.url, {
      grant_type: 'refresh_token',
      ...confidential,
      refresh_token,
    });
    expect([refreshed.status, refreshed.body.error]).toEqual([400, 'invalid_grant']);
  });

  // Security checklist item 23.
  test('eight parallel redemptions of one code: exactly one succeeds', async () => {
    const code = await getCode(server.url);
    const results = await Promise.all(Array.from({ length: 8 }, () => redeem(code)));
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    const failures = results.filter((result) => result.status !== 200);
    expect(failures).toHaveLength(7);
    for (const failure of failures)
      expect([failure.status, failure.body.error]).toEqual([400, 'invalid_grant']);
  });

  // Security checklist item 24.
  test('a code past its lifetime (60 s) is invalid_grant', async () => {
    const code = await getCode(server.url);
    server.clock.advance(61_000);
    const result = await redeem(code);
    expect([result.status, result.body.error]).toEqual([400, 'invalid_grant']);
    expect(String(result.body.error_description)).toContain('expired');
  });

  // Security checklist item 25.
  test('another client, or another redirect_uri, is invalid_grant', async () => {
    const code = await getCode(server.url, { challenge: rfcChallenge });
    const otherClient = await postToken(server.url, {
      grant_type: 'authorization_code',
      client_id: spa.clientId,
      redirect_uri: redirectUri,
      code,
      code_verifier: rfcVerifier,
    });
    expect([otherClient.status, otherClient.body.error]).toEqual([400, 'invalid_grant']);
    for (const uri of [`${redirectUri}/`, 'https://example-app.com/oauth/callback?x=1', '']) {
      const result = await redeem(code, { redirect_uri: uri, code_verifier: rfcVerifier });
      expect([result.status, result.body.error], uri).toEqual([400, 'invalid_grant']);
    }
    expect((await redeem(code, { code_verifier: rfcVerifier })).status).toBe(200);
  });

  // Security checklist item 25.
  test('a code issued without redirect_uri may be redeemed without it, but not with another', async () => {
    const code = await getCode(server.url, { redirectUri: undefined });
    const other = await redeem(code, { redirect_uri: 'https://example-app.com/other' });
    expect(other.body.error).toBe('invalid_grant');
    const result = await postToken(server.url, { grant_type: 'authorization_code', ...confidential, code });
    expect(result.status).toBe(200);
  });

  // Security checklist item 26.
  test('codes, refresh tokens and client secrets carry at least 256 bits', async () => {
    const code = await getCode(server.url);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { refresh_token } = (await redeem(code)).body as { refresh_token: string };
    expect(Buffer.from(refresh_token, 'base64url')).toHaveLength(32);
    const { generateClientSecret } = await import('../src/clients/client-secret');
    expect(Buffer.from(generateClientSecret(), 'base64url')).toHaveLength(32);
    // Stored as digests only: neither the code nor the refresh token is in the database.
    const rows = JSON.stringify(await server.db.selectFrom('authorization_codes').selectAll().execute());
    expect(rows).not.toContain(code);
    const tokens = JSON.stringify(await server.db.selectFrom('refresh_tokens').selectAll().execute());
    expect(tokens).not.toContain(refresh_token);
  });
});
