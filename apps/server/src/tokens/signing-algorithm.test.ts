// Algorithm confusion: a token is verified only with the algorithm of the key its kid names.
import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject, webcrypto } from 'node:crypto';
import { createTestClock } from '@matomo-oauth2/testing';
import { calculateJwkThumbprint, compactVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import type { Db } from '../db/database';
import type { SigningAlgorithm } from '../protocol/signing-algorithms';
import { createAccessTokenCodec } from './access-token';
import { createIdTokenCodec } from './id-token';
import {
  type JwtSigningKey,
  newSigningKeyPair,
  type PublicJwk,
  privateKeyFromPkcs8,
  publicJwkFromColumn,
  signCompactJwt,
  signJwt,
  webcryptoParams,
} from './signing-algorithm';
import { openSigningKeyStore, type SigningKeyStore } from './signing-keys';

const issuer = 'https://as.example';
const clock = createTestClock(1_800_000_000_500);
const masterSecret = Buffer.alloc(32, 9);
let db: Db;
let close: () => Promise<void>;
/** One store per algorithm over one database: RS256 first, then ES256, then EdDSA (each adopted at once). */
const stores: Partial<Record<'RS256' | 'ES256' | 'EdDSA', SigningKeyStore>> = {};
const kids: Record<string, string> = {};

// Only the database is opened for the whole file: a hook that fails leaves its tests skipped, which
// mutation testing does not count as a failure, so what this module does (make, load, sign) runs
// in the tests, or in the hooks of the describes that need it.
beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
});
afterAll(() => close());

/** Makes the store's keys (RS256 first, then ES256, then EdDSA), once for the describes that need them. */
let opening: Promise<void> | undefined;
const openStores = () => {
  opening ??= makeStores();
  return opening;
};
async function makeStores(): Promise<void> {
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    const store = await openSigningKeyStore({ db, masterSecret, clock, accessTokenTtlMs: 300_000, alg });
    await store.adoptAlgorithm(0);
    stores[alg] = store;
    kids[alg] = store.signer().kid;
    clock.advance(1);
  }
  for (const key of keys().describe()) times[key.alg] = key.signsFrom;
}

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
  beforeAll(openStores);

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

describe('algorithm confusion is refused', () => {
  beforeAll(openStores);

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

const algorithms = ['RS256', 'ES256', 'EdDSA'] as const;

/** One new key pair per algorithm, made by the first test that asks (not in a hook: see above). */
const pairs: Partial<Record<SigningAlgorithm, Promise<{ jwk: PublicJwk; pkcs8: Buffer }>>> = {};
function pairOf(alg: SigningAlgorithm) {
  pairs[alg] ??= newSigningKeyPair(alg);
  return pairs[alg];
}
async function signingKeyOf(alg: SigningAlgorithm): Promise<JwtSigningKey & { kid: string }> {
  const { jwk, pkcs8 } = await pairOf(alg);
  return { alg, kid: jwk.kid, privateKey: privateKeyFromPkcs8(alg, pkcs8) };
}

describe('a new key pair', () => {
  test.each(algorithms)(
    '%s: the public JWK holds the public members only, its kid the RFC 7638 thumbprint; the private key is PKCS #8 DER',
    async (alg) => {
      const { jwk, pkcs8 } = await pairOf(alg);
      const privateKey = privateKeyFromPkcs8(alg, pkcs8);
      const publicMembers = createPublicKey(privateKey).export({ format: 'jwk' });
      expect(jwk).toEqual({
        kid: await calculateJwkThumbprint(publicMembers as JWK),
        use: 'sig',
        alg,
        ...publicMembers,
      });
    },
  );

  test('RS256 keys are 2048-bit RSA with exponent 65537, ES256 keys are on P-256, EdDSA keys are Ed25519', async () => {
    const details = async (alg: SigningAlgorithm) => {
      const key = (await signingKeyOf(alg)).privateKey;
      return [key.asymmetricKeyType, key.asymmetricKeyDetails];
    };
    expect(await details('RS256')).toEqual(['rsa', { modulusLength: 2048, publicExponent: 65537n }]);
    expect(await details('ES256')).toEqual(['ec', { namedCurve: 'prime256v1' }]);
    expect(await details('EdDSA')).toEqual(['ed25519', {}]);
    const rs = (await pairOf('RS256')).jwk as Extract<PublicJwk, { kty: 'RSA' }>;
    expect([Buffer.from(rs.n, 'base64url').length, rs.e]).toEqual([256, 'AQAB']);
  });

  test('each new key is another key', async () => {
    const [a, b] = await Promise.all([newSigningKeyPair('EdDSA'), newSigningKeyPair('EdDSA')]);
    expect(a.jwk.kid).not.toBe(b.jwk.kid);
  });
});

describe('the public_jwk column', () => {
  const stored = {
    RS256: { kid: 'k1', use: 'sig', kty: 'RSA', alg: 'RS256', n: 'sXch', e: 'AQAB' },
    ES256: { kid: 'k2', use: 'sig', kty: 'EC', alg: 'ES256', crv: 'P-256', x: 'f83O', y: 'x_FE' },
    EdDSA: { kid: 'k3', use: 'sig', kty: 'OKP', alg: 'EdDSA', crv: 'Ed25519', x: '11qY' },
  } as const;
  const column = (alg: SigningAlgorithm, changes: Record<string, unknown>) =>
    JSON.stringify({ ...stored[alg], ...changes });

  test.each(algorithms)('an %s key is read as it was stored', (alg) => {
    expect(publicJwkFromColumn(JSON.stringify(stored[alg]))).toEqual(stored[alg]);
  });

  test.each(algorithms)('a new %s key reads back as made', async (alg) => {
    const { jwk } = await pairOf(alg);
    expect(publicJwkFromColumn(JSON.stringify(jwk))).toEqual(jwk);
  });

  test('private members in the column are never read into the public key', () => {
    const withPrivate = column('RS256', {
      d: 'private',
      p: 'private',
      q: 'private',
      dp: 'x',
      dq: 'y',
      qi: 'z',
    });
    expect(publicJwkFromColumn(withPrivate)).toEqual(stored.RS256);
    expect(publicJwkFromColumn(column('EdDSA', { d: 'private' }))).toEqual(stored.EdDSA);
  });

  test.each<[string, Record<string, unknown>]>([
    ['no use', { use: undefined }],
    ['use enc', { use: 'enc' }],
    ['no alg', { alg: undefined }],
    ['an alg that is not a string', { alg: 256 }],
    ['an alg in an array (which a property lookup would read as its text)', { alg: ['RS256'] }],
    ['HS256', { alg: 'HS256' }],
    ['none', { alg: 'none' }],
    ['an empty alg', { alg: '' }],
    ['a name every object has', { alg: 'toString' }],
  ])('%s: no signing algorithm of this server', (_, changes) => {
    expect(() => publicJwkFromColumn(column('RS256', changes))).toThrow(
      'A stored signing key has no signing algorithm of this server',
    );
  });

  test.each<[SigningAlgorithm, Record<string, unknown>]>([
    ['RS256', { kid: undefined }],
    ['RS256', { kid: '' }],
    ['ES256', { kid: 7 }],
    ['RS256', { kty: 'EC' }],
    ['RS256', { kty: undefined }],
    ['RS256', { n: undefined }],
    ['RS256', { n: '' }],
    ['RS256', { n: 65537 }],
    ['RS256', { e: '' }],
    ['RS256', { e: undefined }],
    ['ES256', { kty: 'OKP' }],
    ['ES256', { kty: 'RSA', n: 'sXch', e: 'AQAB' }],
    ['ES256', { crv: 'P-384' }],
    ['ES256', { crv: undefined }],
    ['ES256', { x: '' }],
    ['ES256', { x: undefined }],
    ['ES256', { y: '' }],
    ['ES256', { y: 7 }],
    ['EdDSA', { kty: 'EC' }],
    ['EdDSA', { crv: 'Ed448' }],
    ['EdDSA', { crv: 'P-256' }],
    ['EdDSA', { x: '' }],
    ['EdDSA', { x: undefined }],
  ])('an %s key with %j is malformed', (alg, changes) => {
    expect(() => publicJwkFromColumn(column(alg, changes))).toThrow('A stored signing key is malformed');
  });
});

describe('a stored private key', () => {
  const made = {
    rsa: () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
    ec: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    ed25519: () => generateKeyPairSync('ed25519').privateKey,
  };
  const typeOf = { RS256: 'rsa', ES256: 'ec', EdDSA: 'ed25519' } as const;
  const der = (key: KeyObject) => key.export({ format: 'der', type: 'pkcs8' });

  test.each(algorithms)('an %s key loads from its PKCS #8 DER', (alg) => {
    const key = made[typeOf[alg]]();
    const loaded = privateKeyFromPkcs8(alg, der(key));
    expect(loaded.asymmetricKeyType).toBe(typeOf[alg]);
    expect(loaded.equals(key)).toBe(true);
  });

  test.each(algorithms)('a key of another type is refused as an %s key', (alg) => {
    for (const type of ['rsa', 'ec', 'ed25519'] as const) {
      if (type === typeOf[alg]) continue;
      expect(() => privateKeyFromPkcs8(alg, der(made[type]()))).toThrow(
        `A stored ${alg} signing key is not a ${typeOf[alg]} key`,
      );
    }
  });
});

describe('signing', () => {
  /** Verifies with jose, the algorithm given, as a resource server would. */
  async function verified(token: string, alg: SigningAlgorithm, publicKey: KeyObject | webcrypto.CryptoKey) {
    const { protectedHeader, payload } = await compactVerify(token, publicKey, { algorithms: [alg] });
    return { header: protectedHeader, claims: JSON.parse(Buffer.from(payload).toString()) };
  }

  test.each(algorithms)('%s: the WebCrypto key made for it verifies its tokens', async (alg) => {
    const { jwk } = await pairOf(alg);
    const key = await signingKeyOf(alg);
    const publicKey = await webcrypto.subtle.importKey('jwk', jwk, webcryptoParams(alg), false, ['verify']);
    const token = signCompactJwt(key, { typ: 'JWT', kid: key.kid }, { sub: 'ann' });
    expect((await verified(token, alg, publicKey)).claims).toEqual({ sub: 'ann' });
  });

  test.each(algorithms)('%s: signJwt makes a JWS with its alg, typ and kid that verifies', async (alg) => {
    const key = await signingKeyOf(alg);
    const token = await signJwt(key, { typ: 'at+jwt', kid: key.kid }, { sub: 'ann', n: 1 });
    expect(await verified(token, alg, createPublicKey(key.privateKey))).toEqual({
      header: { alg, typ: 'at+jwt', kid: key.kid },
      claims: { sub: 'ann', n: 1 },
    });
  });

  test('ES256 signatures are r‖s, 64 bytes (RFC 7518 §3.4), not DER', async () => {
    const key = await signingKeyOf('ES256');
    for (const token of [
      signCompactJwt(key, { typ: 'JWT', kid: key.kid }, {}),
      await signJwt(key, { typ: 'JWT', kid: key.kid }, {}),
    ]) {
      expect(Buffer.from(token.split('.')[2] as string, 'base64url')).toHaveLength(64);
    }
  });

  /** Whether `promise` has settled before anything queued after it runs: it did not wait for the thread pool. */
  async function settledAtOnce(promise: Promise<unknown>): Promise<boolean> {
    const pending = Symbol('pending');
    try {
      return (await Promise.race([promise, Promise.resolve(pending)])) !== pending;
    } catch {
      return true;
    }
  }

  test('RS256 signs in the thread pool: signJwt returns before the signature exists', async () => {
    const key = await signingKeyOf('RS256');
    const signing = signJwt(key, { typ: 'JWT', kid: key.kid }, {});
    expect(await settledAtOnce(signing)).toBe(false);
    await signing;
  });

  test.each(['ES256', 'EdDSA'] as const)(
    '%s signs on the spot: the token is there when signJwt returns',
    async (alg) => {
      const key = await signingKeyOf(alg);
      expect(await settledAtOnce(signJwt(key, { typ: 'JWT', kid: key.kid }, {}))).toBe(true);
    },
  );

  test.each(algorithms)('%s: a key that cannot sign makes signJwt reject, never throw', async (alg) => {
    const { privateKey } = generateKeyPairSync('x25519');
    let signing: Promise<string> | undefined;
    expect(() => {
      signing = signJwt({ alg, privateKey }, { typ: 'JWT', kid: 'k' }, {});
    }).not.toThrow();
    // The fast algorithms fail on the spot too: they never hop to the thread pool.
    expect(await settledAtOnce(signing as Promise<string>)).toBe(alg !== 'RS256');
    await expect(signing).rejects.toThrow('operation not supported for this keytype');
  });
});
