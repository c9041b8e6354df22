// ACCESS_TOKEN_ALG: RS256, ES256 or EdDSA, end to end over HTTP; and a switch of algorithm on a
// restart over the same database, which must not break the tokens already issued.

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createTestClock, postToken, signInForTokens } from '@matomo-oauth2/testing';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SigningAlgorithm } from '../src/protocol/signing-algorithms';
import { callApi } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };

async function clientCredentialsToken(server: TestServer): Promise<string> {
  const result = await postToken(server.url, { grant_type: 'client_credentials', ...credentials });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return String(result.body.access_token);
}

async function jwks(server: TestServer): Promise<JSONWebKeySet> {
  return (await (await fetch(`${server.url}/oauth2/jwks`)).json()) as JSONWebKeySet;
}

type Metadata = { id_token_signing_alg_values_supported: unknown[] };

async function metadataAlgorithms(server: TestServer): Promise<unknown[]> {
  const oauth = (await (
    await fetch(`${server.url}/.well-known/oauth-authorization-server`)
  ).json()) as Metadata;
  const openid = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Metadata;
  expect(oauth.id_token_signing_alg_values_supported).toEqual(openid.id_token_signing_alg_values_supported);
  return openid.id_token_signing_alg_values_supported;
}

async function apiStatus(server: TestServer, token: string): Promise<number> {
  return (await callApi(server, 'API.getMatomoVersion', {}, { token })).status;
}

/** What the public key of each algorithm publishes besides kid, use and alg. */
const publicMembers: Record<SigningAlgorithm, Record<string, unknown>> = {
  RS256: { kty: 'RSA', n: expect.any(String), e: 'AQAB' },
  ES256: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', x: expect.any(String) },
};

describe.each(['RS256', 'ES256', 'EdDSA'] as const)('ACCESS_TOKEN_ALG=%s', (alg) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ accessTokenAlg: alg });
  });
  afterAll(() => server.stop());

  test('a client credentials token is signed with it and calls the Matomo API', async () => {
    const token = await clientCredentialsToken(server);
    expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'at+jwt', kid: expect.any(String) });
    expect(await apiStatus(server, token)).toBe(200);
    // It verifies against the published JWK Set, with this algorithm.
    await expect(
      jwtVerify(token, createLocalJWKSet(await jwks(server)), {
        algorithms: [alg],
        currentDate: new Date(server.clock()),
      }),
    ).resolves.toBeDefined();
  });

  test('the JWK Set publishes its public key, with its alg, and nothing private', async () => {
    const { keys } = await jwks(server);
    expect(keys).toEqual([{ kid: expect.any(String), use: 'sig', alg, ...publicMembers[alg] }]);
    expect(await metadataAlgorithms(server)).toEqual([alg]);
  });

  test('an ID token is signed with it, verifies against the JWK Set, and its at_hash follows the alg', async () => {
    const tokens = await signInForTokens(server.url, { scope: 'matomo:read openid' });
    const idToken = String(tokens.id_token);
    const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(await jwks(server)), {
      issuer: server.issuer,
      audience: 'analytics_app',
      algorithms: [alg],
      currentDate: new Date(server.clock()),
    });
    expect(protectedHeader).toEqual({ alg, typ: 'JWT', kid: expect.any(String) });
    const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
      .update(String(tokens.access_token))
      .digest();
    expect(payload.at_hash).toBe(digest.subarray(0, digest.length / 2).toString('base64url'));
    // The ID token is a valid id_token_hint for signing out.
    const logout = await fetch(
      `${server.url}/oauth2/logout?${new URLSearchParams({ id_token_hint: idToken })}`,
      { redirect: 'manual' },
    );
    expect(logout.status).toBeLessThan(400);
  });
});

describe('switching ACCESS_TOKEN_ALG from RS256 to ES256 on a restart over the same database', () => {
  const clock = createTestClock();
  let first: TestServer;
  let second: TestServer | undefined;
  afterAll(async () => {
    await second?.stop();
    rmSync(first.dir, { recursive: true, force: true });
  });

  test('old tokens stay valid; the new key is published at once and signs after KEY_ROTATION_LEAD', async () => {
    // One issuer for both (each listens on a port of its own), as a real restart keeps it.
    const issuer = 'https://analytics.example.org';
    first = await startTestServer({ accessTokenAlg: 'RS256', issuer }, { clock });
    const oldToken = await clientCredentialsToken(first);
    const oldKid = decodeProtectedHeader(oldToken).kid;
    await first.close();

    second = await startTestServer(
      {
        accessTokenAlg: 'ES256',
        issuer,
        databasePath: first.config.databasePath,
        databaseUrl: first.config.databaseUrl,
      },
      { clock },
    );
    // Both keys published: verifiers that cache the JWK Set see the new key before it signs.
    expect((await jwks(second)).keys.map((key) => [key.kid === oldKid, key.alg])).toEqual([
      [true, 'RS256'],
      [false, 'ES256'],
    ]);
    expect(await metadataAlgorithms(second)).toEqual(['RS256', 'ES256']);
    expect(await apiStatus(second, oldToken)).toBe(200);
    // Until the lead has passed, the old key signs.
    expect(decodeProtectedHeader(await clientCredentialsToken(second)).alg).toBe('RS256');

    clock.advance(second.config.keyRotationLead * 1000);
    const newToken = await clientCredentialsToken(second);
    expect(decodeProtectedHeader(newToken).alg).toBe('ES256');
    expect(await apiStatus(second, newToken)).toBe(200);
    // The old key's tokens keep working until they expire; then it leaves the set.
    expect(await apiStatus(second, oldToken)).toBe(200);
    clock.advance(second.config.accessTokenTtl * 1000);
    expect((await jwks(second)).keys.map((key) => key.alg)).toEqual(['ES256']);
    expect(await metadataAlgorithms(second)).toEqual(['ES256']);
    expect(await apiStatus(second, await clientCredentialsToken(second))).toBe(200);
  });
});
