import { createHash } from 'node:crypto';
import { createTestClock } from '@matomo-oauth2/testing';
import { CompactSign, compactVerify, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countingRefreshes } from '../../test/support/signing-keys';
import { openTestDatabase } from '../../test/support/test-database';
import type { Db } from '../db/database';
import { createAccessTokenCodec } from './access-token';
import { accessTokenHash, createIdTokenCodec, type IdTokenRequest } from './id-token';
import { openSigningKeyStore, type SigningKeyStore } from './signing-keys';

const issuer = 'https://as.example';
const clock = createTestClock(1_800_000_000_700);
const masterSecret = Buffer.alloc(32, 9);

let db: Db;
let close: () => Promise<void>;
let keys: SigningKeyStore;

const openKeys = () => openSigningKeyStore({ db, masterSecret, clock, accessTokenTtlMs: 300_000 });
const codecWith = (store: SigningKeyStore, options: { issuer?: string } = {}) =>
  createIdTokenCodec({ keys: store, clock, issuer: options.issuer ?? issuer, ttlSeconds: 600 });

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  keys = await openKeys();
});
afterAll(() => close());

const request: IdTokenRequest = {
  sub: 'ann',
  clientId: 'app',
  authTime: 1_799_999_000_999,
  sid: 'session-id',
  nonce: 'n-0S6_WzA2Mj',
  accessToken: 'the-access-token',
};

/** Signs `claims` with the current key, as anyone holding it could, header changed by `header`. */
async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { kid, privateKey } = keys.signer();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, ...header })
    .sign(privateKey);
}

const hintClaims = (changes: Record<string, unknown> = {}) => ({
  iss: issuer,
  sub: 'ann',
  aud: 'app',
  sid: 'session-id',
  ...changes,
});

describe('at_hash (OpenID Connect Core §3.1.3.6)', () => {
  test.each([
    // The example of OpenID Connect Core, Appendix A.4.
    ['jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', '77QmUPtjPfzWtF2AnpK9RQ'],
    ['', '47DEQpj8HBSa-_TImW-5JA'],
  ])('the left half of the SHA-256 of %j, base64url: %s', (token, hash) => {
    expect(accessTokenHash(token)).toBe(hash);
  });

  test('the hash is the one of the alg: SHA-256 for RS256 and ES256, SHA-512 for EdDSA', () => {
    const leftHalf = (hash: 'sha256' | 'sha512') => {
      const digest = createHash(hash).update('the-access-token').digest();
      return digest.subarray(0, digest.length / 2).toString('base64url');
    };
    expect(accessTokenHash('the-access-token', 'RS256')).toBe(leftHalf('sha256'));
    expect(accessTokenHash('the-access-token', 'ES256')).toBe(leftHalf('sha256'));
    expect(accessTokenHash('the-access-token', 'EdDSA')).toBe(leftHalf('sha512'));
    expect(accessTokenHash('the-access-token', 'EdDSA')).toHaveLength(43);
  });
});

describe('signing an ID token (OpenID Connect Core §2)', () => {
  test('an RS256 JWT of the current key, typ JWT, with every claim of the sign-in', async () => {
    const token = await codecWith(keys).sign(request);
    const iat = Math.floor(clock() / 1000);
    expect(decodeJwt(token)).toEqual({
      iss: issuer,
      sub: 'ann',
      aud: 'app',
      iat,
      exp: iat + 600,
      auth_time: 1_799_999_000,
      nonce: 'n-0S6_WzA2Mj',
      sid: 'session-id',
      at_hash: accessTokenHash('the-access-token'),
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: keys.signer().kid });
    const key = keys.verificationKey(keys.signer().kid);
    if (!key) throw new Error('no verification key');
    await expect(compactVerify(token, key.publicKey, { algorithms: [key.alg] })).resolves.toBeDefined();
  });

  test.each<[string, Partial<IdTokenRequest>]>([
    ['no nonce', { nonce: undefined }],
    ['a null nonce (a refresh)', { nonce: null }],
    ['an empty nonce', { nonce: '' }],
  ])('%s: no nonce claim', async (_, changes) => {
    const claims = decodeJwt(await codecWith(keys).sign({ ...request, ...changes }));
    expect(Object.keys(claims)).not.toContain('nonce');
    expect(claims.sid).toBe('session-id');
  });

  test('no session id (a grant from before OpenID Connect): no sid claim', async () => {
    const claims = decodeJwt(await codecWith(keys).sign({ ...request, sid: null }));
    expect(Object.keys(claims)).not.toContain('sid');
    expect(claims.nonce).toBe('n-0S6_WzA2Mj');
  });

  test('never signs with a key another process revoked', async () => {
    const codec = codecWith(keys);
    const oldKid = decodeProtectedHeader(await codec.sign(request)).kid as string;
    const other = await openKeys();
    clock.advance(1000);
    expect(await other.revoke(oldKid)).toMatchObject({ replacement: expect.any(String) });
    expect(decodeProtectedHeader(await codec.sign(request)).kid).not.toBe(oldKid);
  });
});

describe('reading an id_token_hint (RP-Initiated Logout 1.0 §2)', () => {
  test('an ID token it signed names its user, its client and its session', async () => {
    const token = await codecWith(keys).sign(request);
    expect(await codecWith(keys).readHint(token)).toEqual({ sub: 'ann', aud: 'app', sid: 'session-id' });
  });

  test('expired long ago, it is still a hint (a user may sign out long after signing in)', async () => {
    const token = await forge(hintClaims({ exp: 1, iat: 0 }));
    expect(await codecWith(keys).readHint(token)).toEqual({ sub: 'ann', aud: 'app', sid: 'session-id' });
  });

  test.each<[string, unknown]>([
    ['no sid', undefined],
    ['a sid that is not a string', 7],
  ])('%s: a hint without a session', async (_, sid) => {
    expect(await codecWith(keys).readHint(await forge(hintClaims({ sid })))).toEqual({
      sub: 'ann',
      aud: 'app',
      sid: undefined,
    });
  });

  test('a hint signed by a key another process just made is read (the keys are re-read)', async () => {
    const reader = await openKeys();
    const signer = await openKeys();
    clock.advance(1000);
    await signer.rotate(0);
    const token = await codecWith(signer).sign(request);
    expect(decodeProtectedHeader(token).kid).not.toBe(reader.signer().kid);
    expect(await codecWith(reader).readHint(token)).toMatchObject({ sub: 'ann' });
  });

  test('a hint of a known key costs no look at the database', async () => {
    const counting = countingRefreshes(keys);
    const token = await forge(hintClaims());
    await codecWith(counting.keys).readHint(token);
    expect(counting.refreshes()).toBe(0);
  });

  test.each<[string, () => Promise<string>]>([
    ['of another issuer', async () => codecWith(keys, { issuer: 'https://other.example' }).sign(request)],
    [
      'an access token (typ at+jwt)',
      async () =>
        (
          await createAccessTokenCodec({ keys, clock, issuer, audience: 'app', ttlSeconds: 60 }).sign({
            sub: 'ann',
            clientId: 'app',
            scope: 'matomo:read',
          })
        ).token,
    ],
    ['without a typ', () => forge(hintClaims(), { typ: undefined })],
    ['without an issuer', () => forge(hintClaims({ iss: undefined }))],
    ['without a sub', () => forge(hintClaims({ sub: undefined }))],
    ['with a sub that is not a string', () => forge(hintClaims({ sub: 7 }))],
    ['without an aud', () => forge(hintClaims({ aud: undefined }))],
    ['with several audiences', () => forge(hintClaims({ aud: ['app', 'other'] }))],
    ['of an unknown key', () => forge(hintClaims(), { kid: 'not-a-key' })],
    ['without a kid', () => forge(hintClaims(), { kid: undefined })],
    [
      'whose payload is no JSON',
      async () => {
        const { kid, privateKey } = keys.signer();
        return new CompactSign(new TextEncoder().encode('not json'))
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
          .sign(privateKey);
      },
    ],
    [
      'whose payload was changed',
      async () => {
        const [header, , signature] = (await forge(hintClaims())).split('.');
        const payload = Buffer.from(JSON.stringify(hintClaims({ sub: 'admin' }))).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['that is no JWT', async () => 'abc.def'],
    ['that is empty', async () => ''],
  ])('a token %s is no hint', async (_, make) => {
    expect(await codecWith(keys).readHint(await make())).toBeUndefined();
  });

  test.each(['HS256', 'RS512', 'PS256', 'none'])('a token with alg %s is no hint', async (alg) => {
    const [, payload, signature] = (await forge(hintClaims())).split('.');
    const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT', kid: keys.signer().kid })).toString(
      'base64url',
    );
    expect(await codecWith(keys).readHint(`${header}.${payload}.${signature}`)).toBeUndefined();
  });

  test('a failure that is not the token’s is not taken for a bad hint', async () => {
    const broken: SigningKeyStore = {
      ...keys,
      verificationKey: () => {
        throw new TypeError('the key store failed');
      },
    };
    const token = await codecWith(keys).sign(request);
    await expect(codecWith(broken).readHint(token)).rejects.toThrow('the key store failed');
  });
});
