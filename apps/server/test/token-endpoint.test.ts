// Security checklist, "Token endpoint" (27–34), over real HTTP.
import { basic, getCode, postToken } from '@matomo-oauth2/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerClient } from '../src/clients/client-registration';
import { digestClientSecret } from '../src/clients/client-secret';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
const oddId = 'odd:client id';
const oddSecret = 'p@ss w+rd%:é';

beforeAll(async () => {
  server = await startTestServer();
  const now = server.clock();
  await registerClient(
    server.db,
    {
      clientId: oddId,
      name: 'Odd characters',
      secret: oddSecret,
      grantTypes: ['client_credentials'],
      scope: 'matomo:read',
      ownerLogin: 'admin',
    },
    now,
  );
  await registerClient(
    server.db,
    {
      clientId: 'code_only',
      name: 'Code only',
      secret: 'code-only-secret',
      grantTypes: ['authorization_code'],
      scope: 'matomo:read',
      redirectUris: ['https://code-only.example/cb'],
      ownerLogin: 'admin',
    },
    now,
  );
});
afterAll(() => server.stop());

const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };
const cc = { grant_type: 'client_credentials', ...credentials };

// Security checklist item 27.
describe('no caching', () => {
  test('success and error responses carry Cache-Control: no-store and Pragma: no-cache', async () => {
    for (const form of [cc, { ...cc, grant_type: 'nope' }, { ...cc, client_secret: 'wrong' }]) {
      const result = await postToken(server.url, form);
      expect(result.headers.get('Cache-Control')).toBe('no-store');
      expect(result.headers.get('Pragma')).toBe('no-cache');
    }
  });
});

// Security checklist items 28–29.
describe('client_secret_basic', () => {
  // Security checklist item 28.
  test('id and secret are form-urlencoded before base64', async () => {
    const result = await postToken(
      server.url,
      { grant_type: 'client_credentials' },
      { headers: { Authorization: basic(oddId, oddSecret) } },
    );
    expect(result.status).toBe(200);
    expect(result.body.scope).toBe('matomo:read');
  });

  // Security checklist item 28.
  test('the scheme name is case-insensitive', async () => {
    const header = basic(credentials.client_id, credentials.client_secret).replace('Basic', 'bAsIc');
    expect(
      (
        await postToken(
          server.url,
          { grant_type: 'client_credentials' },
          { headers: { Authorization: header } },
        )
      ).status,
    ).toBe(200);
  });

  // Security checklist items 28–29.
  test.each([
    ['no colon', `Basic ${Buffer.from('analytics_app').toString('base64')}`],
    ['bad base64', 'Basic !!!not-base64!!!'],
    ['bad percent-encoding', `Basic ${Buffer.from('analytics_app:%zz').toString('base64')}`],
    ['empty', 'Basic '],
    ['another scheme', 'Bearer abc'],
  ])('malformed Basic (%s): 401 invalid_client with WWW-Authenticate: Basic', async (_, header) => {
    const result = await postToken(
      server.url,
      { grant_type: 'client_credentials' },
      { headers: { Authorization: header } },
    );
    expect(result.status).toBe(401);
    expect(result.body.error).toBe('invalid_client');
    expect(result.headers.get('WWW-Authenticate')).toMatch(/^Basic realm=/);
  });

  // Security checklist item 29.
  test('a wrong secret in the header: 401 invalid_client with WWW-Authenticate: Basic', async () => {
    const result = await postToken(
      server.url,
      { grant_type: 'client_credentials' },
      { headers: { Authorization: basic('analytics_app', 'wrong') } },
    );
    expect(result.status).toBe(401);
    expect(result.body.error).toBe('invalid_client');
    expect(result.headers.get('WWW-Authenticate')).toMatch(/^Basic realm=/);
  });

  test('a wrong secret in the body: 401 invalid_client without WWW-Authenticate', async () => {
    const result = await postToken(server.url, { ...cc, client_secret: 'wrong' });
    expect([result.status, result.body.error]).toEqual([401, 'invalid_client']);
    expect(result.headers.get('WWW-Authenticate')).toBeNull();
  });

  test.each([
    ['an unknown client', { ...cc, client_id: 'nobody' }],
    [
      'a confidential client without its secret',
      { grant_type: 'client_credentials', client_id: 'analytics_app' },
    ],
    ['no client at all', { grant_type: 'client_credentials' }],
    [
      'a public client with a secret',
      { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'matomo_demo_spa', client_secret: 'x' },
    ],
  ])('%s: 401 invalid_client', async (_, form) => {
    const result = await postToken(server.url, form);
    expect([result.status, result.body.error]).toEqual([401, 'invalid_client']);
  });
});

// Security checklist items 30–31.
describe('how credentials may travel', () => {
  // Security checklist item 30.
  test('two methods at once: invalid_request', async () => {
    const result = await postToken(server.url, cc, {
      headers: { Authorization: basic('analytics_app', '7fa9c0f81b8b4a12') },
    });
    expect([result.status, result.body.error]).toEqual([400, 'invalid_request']);
  });

  // Security checklist item 30.
  test('Basic and a different client_id in the body: invalid_request', async () => {
    const result = await postToken(
      server.url,
      { grant_type: 'client_credentials', client_id: 'matomo_demo_spa' },
      { headers: { Authorization: basic('analytics_app', '7fa9c0f81b8b4a12') } },
    );
    expect([result.status, result.body.error]).toEqual([400, 'invalid_request']);
  });

  // Security checklist item 31.
  test('credentials in the query string: rejected', async () => {
    const query = new URLSearchParams(credentials).toString();
    for (const path of [`/oauth2/token?${query}`, `/index.php?module=OAuth2&action=token&${query}`]) {
      const result = await postToken(server.url, { grant_type: 'client_credentials' }, { path });
      expect([result.status, result.body.error], path).toEqual([400, 'invalid_request']);
    }
    const secretOnly = await postToken(server.url, cc, {
      path: '/oauth2/token?client_secret=7fa9c0f81b8b4a12',
    });
    expect(secretOnly.status).toBe(400);
  });

  // Security checklist item 31.
  test('GET on the token endpoint: 405 with Allow: POST, in both route forms', async () => {
    for (const path of [
      `/oauth2/token?${new URLSearchParams(cc)}`,
      '/index.php?module=OAuth2&action=token',
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(405);
      expect(response.headers.get('Allow')).toBe('POST');
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
    }
  });

  test('a body that is not form-encoded: invalid_request', async () => {
    const response = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(cc),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  test('a repeated parameter: invalid_request (RFC 6749 §3.2)', async () => {
    const response = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${new URLSearchParams(cc)}&scope=matomo:read&scope=matomo:read`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  test('an oversized body: 413, as an OAuth error', async () => {
    const result = await postToken(server.url, { ...cc, padding: 'x'.repeat(70_000) });
    expect(result.status).toBe(413);
    expect(result.body.error).toBe('invalid_request');
  });
});

// Security checklist item 32.
describe('secret comparison', () => {
  test('compares SHA-256 digests: a secret sharing a long prefix with the real one is no closer', async () => {
    // The server compares digests in constant time (timingSafeEqual); and because it compares
    // digests, even a byte-by-byte comparison could not reveal how much of the secret is right.
    const real = digestClientSecret('7fa9c0f81b8b4a12');
    const near = digestClientSecret('7fa9c0f81b8b4a13');
    let shared = 0;
    while (shared < real.length && real[shared] === near[shared]) shared++;
    expect(shared).toBeLessThan(4);
    expect((await postToken(server.url, { ...cc, client_secret: '7fa9c0f81b8b4a13' })).status).toBe(401);
  });
});

/** A server that refuses client authentication from an address after 5 failures a minute. */
const startLimitedServer = () =>
  startTestServer(
    {},
    {
      rateLimits: {
        loginPerIp: { limit: 100, windowMs: 60_000 },
        loginPerUser: { limit: 100, windowMs: 60_000 },
        clientAuthenticationPerIp: { limit: 5, windowMs: 60_000 },
      },
    },
  );

// Security checklist item 33.
describe('brute force', () => {
  test('repeated invalid_client from one address: 429 with Retry-After, even for the right secret', async () => {
    const limited = await startLimitedServer();
    try {
      for (let i = 0; i < 5; i++) {
        expect((await postToken(limited.url, { ...cc, client_secret: `wrong-${i}` })).status).toBe(401);
      }
      const blocked = await postToken(limited.url, cc);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toBe('temporarily_unavailable');
      expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0);
      limited.clock.advance(61_000);
      expect((await postToken(limited.url, cc)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

// Security checklist item 33.
describe('brute force, without hurting busy backends', () => {
  test('64 concurrent valid token requests from one address all succeed (the limit counts failures)', async () => {
    const limited = await startLimitedServer();
    try {
      const results = await Promise.all(Array.from({ length: 64 }, () => postToken(limited.url, cc)));
      expect(results.map((result) => result.status)).toEqual(Array(64).fill(200));
    } finally {
      await limited.stop();
    }
  });
});

// Security checklist item 34.
describe('grants and scopes', () => {
  test('an unknown grant_type: unsupported_grant_type', async () => {
    const result = await postToken(server.url, { ...cc, grant_type: 'password' });
    expect([result.status, result.body.error]).toEqual([400, 'unsupported_grant_type']);
  });

  test('a missing grant_type: invalid_request', async () => {
    const result = await postToken(server.url, credentials);
    expect([result.status, result.body.error]).toEqual([400, 'invalid_request']);
  });

  test('a grant the client may not use: unauthorized_client', async () => {
    const result = await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: 'code_only',
      client_secret: 'code-only-secret',
    });
    expect([result.status, result.body.error]).toEqual([400, 'unauthorized_client']);
  });

  test('a public client cannot use client_credentials', async () => {
    const result = await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: 'matomo_demo_spa',
    });
    expect([result.status, result.body.error]).toEqual([400, 'unauthorized_client']);
  });

  test.each(['matomo:superuser', 'matomo:write', 'matomo:read matomo:write', 'matomo:nope'])(
    'a matomo:read client asking for %s: invalid_scope',
    async (scope) => {
      const result = await postToken(server.url, { ...cc, scope });
      expect([result.status, result.body.error]).toEqual([400, 'invalid_scope']);
    },
  );

  test('client credentials without scope get the client’s scope, and no refresh token', async () => {
    const result = await postToken(server.url, cc);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'matomo:read' });
    expect(result.body.refresh_token).toBeUndefined();
    expect(result.headers.get('Content-Type')).toMatch(/^application\/json/);
  });

  test('an authorization code for a lower scope than the client’s ceiling is honoured', async () => {
    const code = await getCode(server.url, {
      clientId: 'matomo_demo_spa',
      redirectUri: 'http://127.0.0.1:5000/callback',
      scope: 'matomo:write',
      challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    });
    const result = await postToken(server.url, {
      grant_type: 'authorization_code',
      client_id: 'matomo_demo_spa',
      redirect_uri: 'http://127.0.0.1:5000/callback',
      code,
      code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    });
    expect(result.status).toBe(200);
    expect(result.body.scope).toBe('matomo:write');
  });
});

describe('the token endpoint never answers bad input with a 500', () => {
  test('random forms get a 4xx OAuth error', async () => {
    const names = [
      'grant_type',
      'client_id',
      'client_secret',
      'code',
      'code_verifier',
      'refresh_token',
      'redirect_uri',
      'scope',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...names),
          fc.oneof(
            fc.string(),
            fc.constantFrom('client_credentials', 'analytics_app', 'authorization_code', 'refresh_token'),
          ),
        ),
        fc.option(fc.string(), { nil: undefined }),
        async (form, authorization) => {
          const headers: Record<string, string> = {};
          if (authorization !== undefined) headers.Authorization = authorization.replace(/[\r\n\0]/g, '');
          const result = await postToken(server.url, form, { headers }).catch((error: Error) => {
            // fetch itself refuses some header values: nothing reached the server.
            if (/header/i.test(error.message)) return undefined;
            throw error;
          });
          if (!result) return;
          if (result.status === 200) return;
          expect(result.status).toBeGreaterThanOrEqual(400);
          expect(result.status).toBeLessThan(500);
          expect(typeof result.body.error).toBe('string');
        },
      ),
      { numRuns: 150 },
    );
  });
});
