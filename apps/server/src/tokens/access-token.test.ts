import { createTestClock } from '@matomo-oauth2/testing';
import { CompactSign, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countingRefreshes } from '../../test/support/signing-keys';
import { openTestDatabase } from '../../test/support/test-database';
import type { Db } from '../db/database';
import { createAccessTokenCodec, InvalidTokenError, unlessInvalidToken } from './access-token';
import { openSigningKeyStore, type SigningKeyStore } from './signing-keys';

const issuer = 'https://as.example';
const clock = createTestClock(1_800_000_000_500);
const masterSecret = Buffer.alloc(32, 7);

let db: Db;
let close: () => Promise<void>;
let keys: SigningKeyStore;

const codecWith = (store: SigningKeyStore, options: { issuer?: string; audience?: string } = {}) =>
  createAccessTokenCodec({
    keys: store,
    clock,
    issuer: options.issuer ?? issuer,
    audience: options.audience ?? issuer,
    ttlSeconds: 300,
  });

const openKeys = () => openSigningKeyStore({ db, masterSecret, clock, accessTokenTtlMs: 300_000 });

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  keys = await openKeys();
});
afterAll(() => close());

const request = { sub: 'ann', clientId: 'app', scope: 'matomo:write' as const };

/** Signs `claims` with the current key as jose would for anyone holding it, header changed by `header`. */
async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { kid, privateKey } = keys.signer();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid, ...header })
    .sign(privateKey);
}

function validClaims(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(clock() / 1000);
  return {
    iss: issuer,
    sub: 'ann',
    aud: issuer,
    client_id: 'app',
    scope: 'matomo:read',
    iat,
    exp: iat + 300,
    jti: 'jti-1',
    ...changes,
  };
}

async function refusal(token: string, codec = codecWith(keys)): Promise<string> {
  try {
    await codec.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.message;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('signing (RFC 9068)', () => {
  test('an RS256 at+jwt with the current kid and the claims asked for', async () => {
    const { token, claims } = await codecWith(keys).sign({ ...request, grantId: 'g1', jti: 'my-jti' });
    const iat = Math.floor(clock() / 1000);
    expect(claims).toEqual({
      iss: issuer,
      sub: 'ann',
      aud: issuer,
      client_id: 'app',
      scope: 'matomo:write',
      iat,
      exp: iat + 300,
      jti: 'my-jti',
      gid: 'g1',
    });
    expect(decodeJwt(token)).toEqual(claims);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: keys.signer().kid });
  });

  test('a client credentials token names its owner; no grant, no owner claim unless given', async () => {
    const codec = codecWith(keys);
    const { claims } = await codec.sign({ ...request, owner: 'owner' });
    expect(claims).toMatchObject({ owner: 'owner' });
    expect(Object.keys(claims)).not.toContain('gid');
    expect(Object.keys((await codec.sign(request)).claims)).not.toContain('owner');
  });

  test('token ids are random, 128 bits', async () => {
    const codec = codecWith(keys);
    const [a, b] = [await codec.sign(request), await codec.sign(request)];
    expect(a.claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.claims.jti).not.toBe(b.claims.jti);
    expect(codec.newJti()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(codec.newJti()).not.toBe(codec.newJti());
    expect(codec.ttlSeconds).toBe(300);
  });

  test('never signs with a key another process revoked', async () => {
    const codec = codecWith(keys);
    const { token: before } = await codec.sign(request);
    const oldKid = decodeProtectedHeader(before).kid as string;
    const other = await openKeys();
    clock.advance(1000);
    expect(await other.revoke(oldKid)).toMatchObject({ replacement: expect.any(String) });
    const { token: after } = await codec.sign(request);
    expect(decodeProtectedHeader(after).kid).not.toBe(oldKid);
  });
});

describe('verifying', () => {
  test('a token it signed verifies, with the kid that signed it', async () => {
    const codec = codecWith(keys);
    const { token, claims } = await codec.sign({ ...request, grantId: 'g1' });
    expect(await codec.verify(token)).toEqual({
      ...claims,
      scope: request.scope,
      identityScopes: [],
      kid: keys.signer().kid,
    });
  });

  test('the scope claim holds the Matomo scope, then the identity scopes; verify reads them apart', async () => {
    const codec = codecWith(keys);
    const { token, claims } = await codec.sign({ ...request, identityScopes: ['openid', 'email'] });
    expect(claims.scope).toBe('matomo:write openid email');
    expect(decodeJwt(token).scope).toBe('matomo:write openid email');
    expect(await codec.verify(token)).toMatchObject({
      scope: 'matomo:write',
      identityScopes: ['openid', 'email'],
    });
  });

  test('a scope claim in another order is read all the same', async () => {
    expect(
      await codecWith(keys).verify(await forge(validClaims({ scope: 'email openid matomo:admin' }))),
    ).toMatchObject({
      scope: 'matomo:admin',
      identityScopes: ['openid', 'email'],
    });
  });

  test('a token signed by a key another process just made verifies (the keys are re-read)', async () => {
    const verifier = await openKeys();
    const signer = await openKeys();
    await signer.rotate(0);
    const { token } = await codecWith(signer).sign(request);
    expect((await codecWith(verifier).verify(token)).sub).toBe('ann');
  });

  test('a token of a known key costs no look at the database', async () => {
    const counting = countingRefreshes(keys);
    const { token } = await codecWith(keys).sign(request);
    await codecWith(counting.keys).verify(token);
    expect(counting.refreshes()).toBe(0);
  });

  test('a token without a kid is refused without a look at the database', async () => {
    const counting = countingRefreshes(keys);
    const token = await forge(validClaims(), { kid: undefined });
    expect(await refusal(token, codecWith(counting.keys))).toBe(
      'The access token was signed with an unknown key',
    );
    expect(counting.refreshes()).toBe(0);
  });

  test.each<[string, () => Promise<string>, string]>([
    [
      'a token of another issuer',
      async () => (await codecWith(keys, { issuer: 'https://other.example' }).sign(request)).token,
      "The access token's iss claim is not valid here",
    ],
    [
      'a token for another audience',
      async () => (await codecWith(keys, { audience: 'https://api.example' }).sign(request)).token,
      "The access token's aud claim is not valid here",
    ],
    [
      'a token of another type',
      () => forge(validClaims(), { typ: 'JWT' }),
      "The access token's typ claim is not valid here",
    ],
    [
      'a token without a jti',
      () => forge(validClaims({ jti: undefined })),
      "The access token's jti claim is not valid here",
    ],
    [
      'a token without a client_id',
      () => forge(validClaims({ client_id: undefined })),
      "The access token's client_id claim is not valid here",
    ],
    [
      'a token without a scope',
      () => forge(validClaims({ scope: undefined })),
      "The access token's scope claim is not valid here",
    ],
    [
      'a token without a sub',
      () => forge(validClaims({ sub: undefined })),
      "The access token's sub claim is not valid here",
    ],
    [
      'a token without an iat',
      () => forge(validClaims({ iat: undefined })),
      "The access token's iat claim is not valid here",
    ],
    [
      'an expired token',
      () => forge(validClaims({ exp: Math.floor(clock() / 1000) - 1 })),
      'The access token has expired',
    ],
    [
      'a scope this server does not know',
      () => forge(validClaims({ scope: 'matomo:root' })),
      'The access token has malformed claims',
    ],
    [
      'several scopes',
      () => forge(validClaims({ scope: 'matomo:read matomo:write' })),
      'The access token has malformed claims',
    ],
    [
      'identity scopes without a Matomo scope',
      () => forge(validClaims({ scope: 'openid profile' })),
      'The access token has malformed claims',
    ],
    [
      'an identity scope twice',
      () => forge(validClaims({ scope: 'matomo:read openid openid' })),
      'The access token has malformed claims',
    ],
    [
      'an unknown scope beside an identity scope',
      () => forge(validClaims({ scope: 'matomo:read openid offline_access' })),
      'The access token has malformed claims',
    ],
    [
      'a double space in the scope',
      () => forge(validClaims({ scope: 'matomo:read  openid' })),
      'The access token has malformed claims',
    ],
    ['an empty scope', () => forge(validClaims({ scope: '' })), 'The access token has malformed claims'],
    [
      'a scope that is not a string',
      () => forge(validClaims({ scope: ['matomo:read'] })),
      'The access token has malformed claims',
    ],
    [
      'a sub that is not a string',
      () => forge(validClaims({ sub: 7 })),
      'The access token has malformed claims',
    ],
    [
      'a client_id that is not a string',
      () => forge(validClaims({ client_id: 7 })),
      'The access token has malformed claims',
    ],
    [
      'a jti that is not a string',
      () => forge(validClaims({ jti: 7 })),
      'The access token has malformed claims',
    ],
    [
      'a gid that is not a string',
      () => forge(validClaims({ gid: 7 })),
      'The access token has malformed claims',
    ],
    [
      'an owner that is not a string',
      () => forge(validClaims({ owner: { login: 'admin' } })),
      'The access token has malformed claims',
    ],
    [
      'an unknown kid',
      () => forge(validClaims(), { kid: 'not-a-key' }),
      'The access token was signed with an unknown key',
    ],
    [
      'no kid',
      () => forge(validClaims(), { kid: undefined }),
      'The access token was signed with an unknown key',
    ],
    ['not a JWT', async () => 'abc.def', 'The access token is malformed'],
    [
      'a JWS of a known key without its signature',
      async () => (await codecWith(keys).sign(request)).token.split('.').slice(0, 2).join('.'),
      'The access token is malformed',
    ],
    [
      'a payload that is not JSON, signed by a known key',
      () =>
        new CompactSign(new TextEncoder().encode('not json'))
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: keys.signer().kid })
          .sign(keys.signer().privateKey),
      'The access token is malformed',
    ],
  ])('%s is refused', async (_, make, message) => {
    expect(await refusal(await make())).toBe(message);
  });

  test('a changed payload does not verify', async () => {
    const { token } = await codecWith(keys).sign(request);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), scope: 'matomo:superuser' })).toString(
      'base64url',
    );
    expect(await refusal(`${header}.${payload}.${signature}`)).toBe(
      'The access token signature does not verify',
    );
  });

  test.each(['HS256', 'none', 'RS512'])('a token with alg %s is refused', async (alg) => {
    const { token } = await codecWith(keys).sign(request);
    const [, payload, signature] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg, typ: 'at+jwt', kid: keys.signer().kid })).toString(
      'base64url',
    );
    expect(await refusal(`${header}.${payload}.${signature}`)).toBe(
      'The access token must be signed with RS256',
    );
  });

  test('a failure that is not the token’s is not turned into a refusal', async () => {
    const broken: SigningKeyStore = {
      ...keys,
      verificationKey: () => {
        throw new TypeError('the key store failed');
      },
    };
    const { token } = await codecWith(keys).sign(request);
    await expect(codecWith(broken).verify(token)).rejects.toThrow(TypeError);
  });
});

describe('unlessInvalidToken', () => {
  test('a refused token counts as none; anything else goes on', () => {
    expect(unlessInvalidToken(new InvalidTokenError('x'))).toBeUndefined();
    // Named for the logs.
    expect(new InvalidTokenError('x').name).toBe('InvalidTokenError');
    const other = new Error('database down');
    expect(() => unlessInvalidToken(other)).toThrow(other);
  });
});
