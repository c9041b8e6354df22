// Security checklist, "JWT / JWKS / metadata" (43–46). Tokens are checked here with Node's own
// crypto, independently of the library that signs them.

import {
  createHmac,
  createPublicKey,
  createSign,
  generateKeyPairSync,
  type JsonWebKey,
  verify,
} from 'node:crypto';
import { postToken, signInForTokens } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as clients from '../src/clients/client.repository';
import { callAsAdmin } from './support/admin-api';
import { openSigningKeys } from './support/signing-keys';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };
const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function decode(token: string) {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

async function jwks(): Promise<{ keys: (JsonWebKey & { kid: string })[] }> {
  const response = await fetch(`${server.url}/oauth2/jwks`);
  expect(response.headers.get('Content-Type')).toMatch(/^application\/jwk-set\+json/);
  return (await response.json()) as { keys: (JsonWebKey & { kid: string })[] };
}

async function clientCredentialsToken(): Promise<string> {
  const result = await postToken(server.url, { grant_type: 'client_credentials', ...credentials });
  return String(result.body.access_token);
}

async function userToken(): Promise<string> {
  return String((await signInForTokens(server.url)).access_token);
}

async function verifiesAgainstJwks(token: string): Promise<boolean> {
  const { header, signingInput, signature } = decode(token);
  const jwk = (await jwks()).keys.find((key) => key.kid === header.kid);
  if (!jwk) return false;
  return verify(
    'RSA-SHA256',
    Buffer.from(signingInput),
    createPublicKey({ key: jwk, format: 'jwk' }),
    signature,
  );
}

const active = async (token: string) =>
  (await postToken(server.url, { token, ...credentials }, { path: '/oauth2/introspect' })).body.active ===
  true;

// Security checklist item 43.
describe('access tokens are RFC 9068 JWTs', () => {
  test('a user token: header, signature and every claim, checked independently', async () => {
    const token = await userToken();
    const { header, payload } = decode(token);
    expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: expect.any(String) });
    expect(await verifiesAgainstJwks(token)).toBe(true);
    const now = Math.floor(server.clock() / 1000);
    expect(payload).toMatchObject({
      iss: server.issuer,
      aud: server.issuer,
      sub: 'demo',
      client_id: 'analytics_app',
      scope: 'matomo:read',
    });
    expect(payload.iat).toBeGreaterThanOrEqual(now - 5);
    expect(payload.iat).toBeLessThanOrEqual(now);
    expect(payload.exp).toBe(Number(payload.iat) + 3600);
    expect(String(payload.jti)).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(payload.owner).toBeUndefined();
  });

  test('a client credentials token: sub is the client id, and the owner is recorded', async () => {
    const { payload } = decode(await clientCredentialsToken());
    expect(payload).toMatchObject({
      sub: 'analytics_app',
      client_id: 'analytics_app',
      owner: 'admin',
      scope: 'matomo:read',
    });
    // gid is the client's current credentials id: rotating the secret or pausing ends the token.
    const client = await clients.find(server.db, 'analytics_app');
    expect(payload.gid).toBe(client?.credentialsId);
  });

  test('jti is unique per token', async () => {
    const ids = new Set<unknown>();
    for (let i = 0; i < 20; i++) ids.add(decode(await clientCredentialsToken()).payload.jti);
    expect(ids.size).toBe(20);
  });
});

// Security checklist item 44.
describe('forged and altered tokens are refused', () => {
  let good: string;
  beforeAll(async () => {
    good = await clientCredentialsToken();
  });

  function resign(header: Record<string, unknown>, payload: Record<string, unknown>) {
    return `${b64(header)}.${b64(payload)}`;
  }

  test('the genuine token is active', async () => {
    expect(await active(good)).toBe(true);
  });

  test('alg none', async () => {
    const { header, payload } = decode(good);
    expect(await active(`${resign({ ...header, alg: 'none' }, payload)}.`)).toBe(false);
  });

  test('HS256 keyed with the public key', async () => {
    const { header, payload } = decode(good);
    const jwk = (await jwks()).keys[0] as JsonWebKey;
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const input = resign({ ...header, alg: 'HS256' }, payload);
    const signature = createHmac('sha256', pem).update(input).digest('base64url');
    expect(await active(`${input}.${signature}`)).toBe(false);
  });

  test('a tampered payload keeps the old signature', async () => {
    const { header, payload } = decode(good);
    const signature = good.split('.')[2];
    expect(await active(`${resign(header, { ...payload, scope: 'matomo:superuser' })}.${signature}`)).toBe(
      false,
    );
  });

  test.each([
    ['typ JWT', { typ: 'JWT' }, {}],
    ['wrong iss', {}, { iss: 'https://evil.example' }],
    ['wrong aud', {}, { aud: 'https://other.example' }],
    ['expired', {}, { exp: 1_000_000, iat: 999_000 }],
    ['unknown kid', { kid: 'unknown' }, {}],
  ])('%s, even with a valid RS256 signature by an unknown key', async (_, headerChanges, payloadChanges) => {
    const { header, payload } = decode(good);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = resign({ ...header, ...headerChanges }, { ...payload, ...payloadChanges });
    const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
    expect(await active(`${input}.${signature}`)).toBe(false);
  });

  test.each(['', 'abc', 'a.b', 'a.b.c', `${'x'.repeat(5000)}`])('garbage %#', async (token) => {
    const result = await postToken(
      server.url,
      { token: token || ' ', ...credentials },
      { path: '/oauth2/introspect' },
    );
    expect(result.status).toBeLessThan(500);
    expect(result.body.active ?? false).toBe(false);
  });

  test('a token is dead once its client is paused, and stays dead when it resumes', async () => {
    const token = await clientCredentialsToken();
    const isActive = () => active(token);
    const setActive = (value: '0' | '1') =>
      callAsAdmin(server, 'OAuth2.setClientActive', { clientId: 'analytics_app', active: value });
    expect(await isActive()).toBe(true);
    expect((await setActive('0')).status).toBe(200);
    expect(await isActive()).toBe(false);
    expect((await setActive('1')).status).toBe(200);
    expect(await isActive()).toBe(false);
    expect(await active(await clientCredentialsToken())).toBe(true);
  });
});

// Security checklist item 45.
describe('signing keys', () => {
  test('the JWK Set has public members only', async () => {
    for (const key of (await jwks()).keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(Buffer.from(String(key.n), 'base64url').length).toBe(256);
    }
  });

  test('private keys are encrypted at rest', async () => {
    const rows = await server.db.selectFrom('signing_keys').selectAll().execute();
    for (const row of rows) {
      expect(row.private_key.startsWith('v1.')).toBe(true);
      expect(row.private_key).not.toContain('PRIVATE KEY');
      // The RSA algorithm identifier of a PKCS #8 key in base64 (`MII…` alone can occur in ciphertext by chance).
      expect(row.private_key).not.toContain('BgkqhkiG9w0BAQEF');
    }
  });

  test('a rotated key is published before it signs; old tokens verify until they expire', async () => {
    const before = await clientCredentialsToken();
    const oldKid = decode(before).header.kid;
    // As `keys:rotate` does from another process, then SIGHUP.
    const { keys } = await openSigningKeys(server);
    const newKid = await keys.rotate(600_000);
    await server.reloadKeys();

    // Published at once…
    expect((await jwks()).keys.map((key) => key.kid)).toEqual([oldKid, newKid]);
    // …but the old key still signs.
    expect(decode(await clientCredentialsToken()).header.kid).toBe(oldKid);

    server.clock.advance(600_000);
    const after = await clientCredentialsToken();
    expect(decode(after).header.kid).toBe(newKid);
    expect(await verifiesAgainstJwks(after)).toBe(true);

    // Tokens of the old key stay valid and verifiable until they expire…
    expect(await verifiesAgainstJwks(before)).toBe(true);
    expect(await active(before)).toBe(true);
    server.clock.advance(3000_000 + 1000);
    expect(await active(before)).toBe(false);
    expect((await jwks()).keys.map((key) => key.kid)).toContain(oldKid);
    expect(await active(after)).toBe(true);
    // …and the old key leaves the set once every token it could have signed has expired.
    server.clock.advance(600_000);
    expect((await jwks()).keys.map((key) => key.kid)).toEqual([newKid]);
    expect(await keys.prune()).toBe(1);
  });
});

// Security checklist item 46.
describe('metadata', () => {
  test('names this issuer, every endpoint, the auth methods, S256 only and the iss parameter', async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toEqual({
      issuer: server.issuer,
      authorization_endpoint: `${server.issuer}/oauth2/authorize`,
      token_endpoint: `${server.issuer}/oauth2/token`,
      revocation_endpoint: `${server.issuer}/oauth2/revoke`,
      introspection_endpoint: `${server.issuer}/oauth2/introspect`,
      jwks_uri: `${server.issuer}/oauth2/jwks`,
      scopes_supported: [
        'matomo:read',
        'matomo:write',
        'matomo:admin',
        'matomo:superuser',
        'openid',
        'profile',
        'email',
      ],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(decode(await clientCredentialsToken()).payload.iss).toBe(metadata.issuer);
  });

  test('the Matomo-style route answers the same document; HEAD works; other methods are refused', async () => {
    const clean = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    const matomo = await fetch(`${server.url}/index.php?module=OAuth2&action=metadata`);
    expect(matomo.status).toBe(200);
    expect(await matomo.text()).toBe(await clean.text());
    expect(matomo.headers.get('Cache-Control')).toBe(clean.headers.get('Cache-Control'));
    const head = await fetch(`${server.url}/index.php?module=OAuth2&action=metadata`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${server.url}/index.php?module=OAuth2&action=metadata`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('Allow')).toBe('GET');
  });

  test('a configured issuer with a path is used verbatim', async () => {
    const other = await startTestServer({ issuer: 'https://analytics.example.org/matomo' });
    try {
      // Where RFC 8414 §3.1 puts it for an issuer with a path (test/issuer-path.test.ts has the rest).
      const metadata = (await (
        await fetch(`${other.url}/.well-known/oauth-authorization-server/matomo`)
      ).json()) as Record<string, unknown>;
      expect(metadata.issuer).toBe('https://analytics.example.org/matomo');
      expect(metadata.token_endpoint).toBe('https://analytics.example.org/matomo/oauth2/token');
    } finally {
      await other.stop();
    }
  });
});
