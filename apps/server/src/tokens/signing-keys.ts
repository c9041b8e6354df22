import { generateKeyPair, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Clock } from '../config/clock';
import { decrypt, deriveKey, encrypt } from '../crypto/key-encryption';
import type { Db } from '../db/database';
import type { SigningKeyRow } from '../db/schema';

const generateRsa = promisify(generateKeyPair);
const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export interface PublicJwk {
  kty: 'RSA';
  kid: string;
  use: 'sig';
  alg: 'RS256';
  n: string;
  e: string;
}

/** The `public_jwk` column: the one place it is parsed, and checked, not cast. */
function publicJwkFromColumn(text: string): PublicJwk {
  const { kty, kid, use, alg, n, e } = JSON.parse(text) as Record<string, unknown>;
  if (kty !== 'RSA' || use !== 'sig' || alg !== 'RS256')
    throw new Error('A stored signing key is not an RS256 key');
  if (typeof kid !== 'string' || typeof n !== 'string' || typeof e !== 'string')
    throw new Error('A stored signing key is malformed');
  return { kty, kid, use, alg, n, e };
}

interface LoadedKey {
  kid: string;
  jwk: PublicJwk;
  signsFrom: number;
  createdAt: number;
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
}

export interface SigningKeyStoreOptions {
  db: Db;
  /** Encrypts private keys at rest. */
  encryptionKey: Buffer;
  clock: Clock;
  /** Tokens live this long (ms): a retired key stays published until its tokens have expired. */
  accessTokenTtlMs: number;
}

/**
 * The RS256 signing keys. Private keys are decrypted once, when first loaded, and kept in
 * memory as non-extractable WebCrypto keys, so that signing costs no decryption and runs off
 * the event loop. A rotated key is published in the JWK Set first and signs only from its
 * `signs_from` time; a key stays published until every token it signed has expired.
 */
export function createSigningKeyStore(options: SigningKeyStoreOptions) {
  const { db, encryptionKey, clock, accessTokenTtlMs } = options;
  let keys: LoadedKey[] = [];

  async function load(row: SigningKeyRow): Promise<LoadedKey> {
    const existing = keys.find((key) => key.kid === row.kid);
    if (existing) return existing;
    const pkcs8 = Buffer.from(decrypt(encryptionKey, row.private_key, row.kid), 'base64');
    const jwk = publicJwkFromColumn(row.public_jwk);
    return {
      kid: row.kid,
      jwk,
      signsFrom: row.signs_from,
      createdAt: row.created_at,
      privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']),
      publicKey: await webcrypto.subtle.importKey('jwk', jwk as webcrypto.JsonWebKey, algorithm, false, [
        'verify',
      ]),
    };
  }

  /** Re-reads the keys from the database (another process may have rotated them). */
  async function reload(): Promise<void> {
    const rows = await db
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('signs_from')
      .orderBy('created_at')
      .execute();
    keys = await Promise.all(rows.map(load));
  }

  /** Creates a key that signs from `signsFrom`; published at once. */
  async function create(signsFrom: number): Promise<string> {
    const { privateKey, publicKey } = await generateRsa('rsa', {
      modulusLength: 2048,
      publicExponent: 0x10001,
    });
    const { n, e } = publicKey.export({ format: 'jwk' }) as JWK;
    if (!n || !e) throw new Error('RSA key export failed');
    const kid = await calculateJwkThumbprint({ kty: 'RSA', n, e });
    const jwk: PublicJwk = { kty: 'RSA', kid, use: 'sig', alg: 'RS256', n, e };
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    await db
      .insertInto('signing_keys')
      .values({
        kid,
        public_jwk: JSON.stringify(jwk),
        private_key: encrypt(encryptionKey, pkcs8, kid),
        created_at: clock(),
        signs_from: signsFrom,
      })
      .execute();
    await reload();
    return kid;
  }

  /** When `key` stopped signing: the start of the next key's signing, if that has come. */
  function retiredAt(index: number, now: number): number | undefined {
    const next = keys.slice(index + 1).find((key) => key.signsFrom <= now);
    return next?.signsFrom;
  }

  function published(now: number): LoadedKey[] {
    return keys.filter((_, index) => {
      const retired = retiredAt(index, now);
      return retired === undefined || now < retired + accessTokenTtlMs;
    });
  }

  return {
    reload,

    /** Makes sure a key exists (the first start generates one that signs at once). */
    async ensureKey(): Promise<void> {
      await reload();
      if (keys.length === 0) await create(clock());
    },

    /** Adds a key that signs `leadMs` from now; returns its kid. */
    rotate(leadMs: number): Promise<string> {
      return create(clock() + leadMs);
    },

    /** The key that signs now: the newest whose signing time has come. */
    signer(): { kid: string; privateKey: webcrypto.CryptoKey } {
      const now = clock();
      const current = keys.filter((key) => key.signsFrom <= now).at(-1);
      if (!current) throw new Error('No signing key is active');
      return current;
    },

    /** The public key for `kid`, if it is published. */
    verificationKey(kid: string | undefined): webcrypto.CryptoKey | undefined {
      return published(clock()).find((key) => key.kid === kid)?.publicKey;
    },

    /** The JWK Set: public members only. */
    jwks(): { keys: PublicJwk[] } {
      return { keys: published(clock()).map((key) => key.jwk) };
    },

    /** Every key, for `keys:list`. */
    describe(): {
      kid: string;
      createdAt: number;
      signsFrom: number;
      published: boolean;
      signing: boolean;
    }[] {
      const now = clock();
      const live = published(now);
      const signing = keys.filter((key) => key.signsFrom <= now).at(-1);
      return keys.map((key) => ({
        kid: key.kid,
        createdAt: key.createdAt,
        signsFrom: key.signsFrom,
        published: live.includes(key),
        signing: key === signing,
      }));
    },

    /** Deletes keys that are no longer published (their tokens have all expired). */
    async prune(): Promise<number> {
      const live = new Set(published(clock()).map((key) => key.kid));
      const dead = keys.filter((key) => !live.has(key.kid)).map((key) => key.kid);
      if (dead.length === 0) return 0;
      await db.deleteFrom('signing_keys').where('kid', 'in', dead).execute();
      await reload();
      return dead.length;
    },
  };
}

export type SigningKeyStore = ReturnType<typeof createSigningKeyStore>;

/**
 * The signing keys of a database, opened with the operator's secret (the key that encrypts them
 * is derived from it): how the server, `keys:rotate` and `keys:list` open them. The first opening
 * of a new database generates a key that signs at once.
 */
export async function openSigningKeyStore(options: {
  db: Db;
  masterSecret: Buffer;
  clock: Clock;
  accessTokenTtlMs: number;
}): Promise<SigningKeyStore> {
  const { masterSecret, ...rest } = options;
  const store = createSigningKeyStore({ ...rest, encryptionKey: deriveKey(masterSecret, 'signing-keys') });
  await store.ensureKey();
  return store;
}
