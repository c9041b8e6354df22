// Algorithm confusion: a token is verified only with the algorithm of the key its kid names.
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createTestClock } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import type { Db } from '../db/database';
import { createAccessTokenCodec } from './access-token';
import { createIdTokenCodec } from './id-token';
import { type JwtSigningKey, signCompactJwt } from './signing-algorithm';
import { openSigningKeyStore, type SigningKeyStore } from './signing-keys';

const issuer = 'https://as.example';
const clock = createTestClock(1_800_000_000_500);
const masterSecret = Buffer.alloc(32, 9);
let db: Db;
let close: () => Promise<void>;
/** One store per algorithm over one database: RS256 first, then ES256, then EdDSA (each adopted at once). */
const stores: Partial<Record<'RS256' | 'ES256' | 'EdDSA', SigningKeyStore>> = {};
const kids: Record<string, string> = {};

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    const store = await openSigningKeyStore({ db, masterSecret, clock, accessTokenTtlMs: 300_000, alg });
    await store.adoptAlgorithm(0);
    stores[alg] = store;
    kids[alg] = store.signer().kid;
    clock.advance(1);
  }
});
afterAll(() => close());

const keys = () => stores.EdDSA as SigningKeyStore;
const codec = () =>
  createAccessTokenCodec({ keys: keys(), clock, issuer, audience: issuer, ttlSeconds: 300 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claims() {
  const iat = Math.floor(clock() / 1000);
  return {
    iss: issuer,
    sub: 'ann',
    aud: issuer,
    client_id: 'app',
    scope: 'matomo:read',
    iat,
    exp: iat + 300,
    jti: 'j',
  };
}

async function refusal(token: string): Promise<string> {
  return codec()
    .verify(token)
    .then(
      () => 'accepted',
      (error: Error) => error.message,
    );
}

describe('each key keeps its algorithm', () => {
  test('the store holds one key of each, published with its alg; the newest signs', () => {
    expect(
      keys()
        .jwks()
        .keys.map((key) => [key.kid, key.alg]),
    ).toEqual([
      [kids.RS256, 'RS256'],
      [kids.ES256, 'ES256'],
      [kids.EdDSA, 'EdDSA'],
    ]);
    expect(keys().publishedAlgorithms()).toEqual(['RS256', 'ES256', 'EdDSA']);
    expect(keys().signer().alg).toBe('EdDSA');
  });

  test('adopting the algorithm the newest key has makes no key', async () => {
    expect(await keys().adoptAlgorithm(0)).toBeUndefined();
    expect(keys().describe()).toHaveLength(3);
  });

  test.each(['RS256', 'ES256', 'EdDSA'] as const)('a token signed by the %s key verifies', async (alg) => {
    const token = signCompactJwt(await signerOf(alg), { typ: 'at+jwt', kid: kids[alg] as string }, claims());
    expect(await refusal(token)).toBe('accepted');
  });
});

/** The private key of the `alg` key, as the store loaded it. */
async function signerOf(alg: 'RS256' | 'ES256' | 'EdDSA'): Promise<JwtSigningKey> {
  const store = await openSigningKeyStore({
    db,
    masterSecret,
    clock: () => kidTime(alg),
    accessTokenTtlMs: 300_000,
  });
  return store.signer();
}
/** A time at which the `alg` key was the one signing. */
const times: Record<string, number> = {};
function kidTime(alg: string): number {
  return times[alg] ?? 0;
}
beforeAll(async () => {
  for (const key of keys().describe()) times[key.alg] = key.signsFrom;
});

describe('algorithm confusion is refused', () => {
  test('an ES256 token naming the RS256 key’s kid', async () => {
    const es = await signerOf('ES256');
    const token = signCompactJwt(es, { typ: 'at+jwt', kid: kids.RS256 as string }, claims());
    expect(await refusal(token)).toBe('The access token must be signed with RS256');
  });

  test('an RS256 token naming the ES256 key’s kid, and an EdDSA one naming the RS256 key’s', async () => {
    const rs = await signerOf('RS256');
    expect(await refusal(signCompactJwt(rs, { typ: 'at+jwt', kid: kids.ES256 as string }, claims()))).toBe(
      'The access token must be signed with ES256',
    );
    const ed = await signerOf('EdDSA');
    expect(await refusal(signCompactJwt(ed, { typ: 'at+jwt', kid: kids.RS256 as string }, claims()))).toBe(
      'The access token must be signed with RS256',
    );
  });

  test.each(['RS256', 'ES256', 'EdDSA'] as const)(
    'HS256 with the %s key’s public key as the HMAC secret',
    async (alg) => {
      const jwk = keys()
        .jwks()
        .keys.find((key) => key.kid === kids[alg]);
      const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      for (const secret of [pem, JSON.stringify(jwk)]) {
        const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: kids[alg] })}.${b64(claims())}`;
        const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
        expect(await refusal(token)).toBe(`The access token must be signed with ${alg}`);
      }
    },
  );

  test.each(['RS256', 'ES256', 'EdDSA'] as const)('alg none naming the %s key', async (alg) => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: kids[alg] })}.${b64(claims())}.`;
    expect(await refusal(token)).toBe(`The access token must be signed with ${alg}`);
  });

  test('a token signed by a key of the right algorithm that is not ours', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signCompactJwt(
      { alg: 'ES256', privateKey },
      { typ: 'at+jwt', kid: kids.ES256 as string },
      claims(),
    );
    expect(await refusal(token)).toBe('The access token signature does not verify');
  });

  test('a header that is not JSON is a malformed token, not a server error', async () => {
    expect(await refusal(`bm90LWpzb24.${b64(claims())}.c2ln`)).toBe('The access token is malformed');
  });

  test('an ID token hint naming a key of another algorithm is no hint', async () => {
    const ids = createIdTokenCodec({ keys: keys(), clock, issuer, ttlSeconds: 300 });
    const hint = { iss: issuer, sub: 'ann', aud: 'app', iat: 1, exp: 2 };
    const es = await signerOf('ES256');
    const forged = signCompactJwt(es, { typ: 'JWT', kid: kids.RS256 as string }, hint);
    expect(await ids.readHint(forged)).toBeUndefined();
    const none = `${b64({ alg: 'none', typ: 'JWT', kid: kids.EdDSA })}.${b64(hint)}.`;
    expect(await ids.readHint(none)).toBeUndefined();
    const genuine = signCompactJwt(es, { typ: 'JWT', kid: kids.ES256 as string }, hint);
    expect(await ids.readHint(genuine)).toEqual({ sub: 'ann', aud: 'app', sid: undefined });
  });
});
