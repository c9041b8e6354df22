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

/** How often, at most, `refresh()` asks the database whether the keys changed, by default (a token with an unknown kid). */
export const KEY_CHECK_INTERVAL_MS = 1000;

/** What changes whenever a key is added or deleted: cheap to read, compared before a reload. */
function fingerprintOf(count: number, latest: number | null, total: number | null): string {
  return `${count}:${latest ?? 0}:${total ?? 0}`;
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
  let fingerprint = '';
  /** When the database was last asked (monotonic ms: a test clock may stand still). */
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | undefined;

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
    const createdAt = rows.map((row) => row.created_at);
    fingerprint = fingerprintOf(
      rows.length,
      rows.length === 0 ? null : Math.max(...createdAt),
      createdAt.reduce((sum, value) => sum + value, 0),
    );
  }

  async function readFingerprint(): Promise<string> {
    const row = await db
      .selectFrom('signing_keys')
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        eb.fn.max('created_at').as('latest'),
        eb.fn.sum<number>('created_at').as('total'),
      ])
      .executeTakeFirstOrThrow();
    return fingerprintOf(Number(row.count), row.latest, row.total === null ? null : Number(row.total));
  }

  /**
   * Re-reads the keys when another process (`keys rotate`, `keys revoke`) changed them: asks the
   * database for a fingerprint (count, newest and sum of creation times) at most every `maxAgeMs`,
   * and reloads only when it differs. Concurrent callers share one check.
   */
  function refresh(maxAgeMs = KEY_CHECK_INTERVAL_MS): Promise<void> {
    if (performance.now() - checkedAt < maxAgeMs) return checking ?? Promise.resolve();
    checking ??= (async () => {
      try {
        const current = await readFingerprint();
        checkedAt = performance.now();
        if (current !== fingerprint) await reload();
      } finally {
        checking = undefined;
      }
    })();
    return checking;
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

  /** Deletes keys that are no longer published (their tokens have all expired). */
  async function prune(): Promise<number> {
    const live = new Set(published(clock()).map((key) => key.kid));
    const dead = keys.filter((key) => !live.has(key.kid)).map((key) => key.kid);
    if (dead.length === 0) return 0;
    await db.deleteFrom('signing_keys').where('kid', 'in', dead).execute();
    await reload();
    return dead.length;
  }

  /** The key that signs at `now`: the newest whose signing time has come. */
  function signingAt(now: number): LoadedKey | undefined {
    return keys.filter((key) => key.signsFrom <= now).at(-1);
  }

  return {
    reload,
    refresh,

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
      const current = signingAt(clock());
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
      const signing = signingAt(now);
      return keys.map((key) => ({
        kid: key.kid,
        createdAt: key.createdAt,
        signsFrom: key.signsFrom,
        published: live.includes(key),
        signing: key === signing,
      }));
    },

    /**
     * Deletes a compromised key: it leaves the JWK Set, and the tokens it signed are refused (they
     * must name a key that exists). A key that signs now is first replaced by a new one that signs
     * at once, so that signing never stops. Returns undefined for an unknown kid.
     */
    async revoke(kid: string): Promise<{ replacement: string | undefined } | undefined> {
      await reload();
      if (!keys.some((key) => key.kid === kid)) return undefined;
      // Keys past their tokens' lifetime go first: deleting the signer must not bring them back.
      await prune();
      const replacement = signingAt(clock())?.kid === kid ? await create(clock()) : undefined;
      await db.deleteFrom('signing_keys').where('kid', '=', kid).execute();
      await reload();
      return { replacement };
    },

    prune,
  };
}

export type SigningKeyStore = ReturnType<typeof createSigningKeyStore>;

/** Whether this operator's secret decrypts every stored private key (a wrong secret fails on the first). */
export function decryptsSigningKeys(
  masterSecret: Buffer,
  rows: readonly Pick<SigningKeyRow, 'kid' | 'private_key'>[],
): boolean {
  const encryptionKey = deriveKey(masterSecret, 'signing-keys');
  try {
    for (const row of rows) decrypt(encryptionKey, row.private_key, row.kid);
    return true;
  } catch {
    return false;
  }
}

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
