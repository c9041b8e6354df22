import { type KeyObject, webcrypto } from 'node:crypto';
import type { Clock } from '../config/clock';
import { decrypt, deriveKey, encrypt } from '../crypto/key-encryption';
import type { Db } from '../db/database';
import type { SigningKeyRow } from '../db/schema';
import type { SigningAlgorithm } from '../protocol/signing-algorithms';
import {
  newSigningKeyPair,
  type PublicJwk,
  privateKeyFromPkcs8,
  publicJwkFromColumn,
  webcryptoParams,
} from './signing-algorithm';

export type { PublicJwk } from './signing-algorithm';

/** A published key, as a verifier needs it: a token it signed must say this `alg`, and no other. */
export interface VerificationKey {
  alg: SigningAlgorithm;
  publicKey: webcrypto.CryptoKey;
}

interface LoadedKey {
  kid: string;
  /** Each key signs with its own algorithm, whatever ACCESS_TOKEN_ALG says now. */
  alg: SigningAlgorithm;
  jwk: PublicJwk;
  signsFrom: number;
  createdAt: number;
  privateKey: KeyObject;
  verification: VerificationKey;
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
  /** The algorithm of the keys this store makes (ACCESS_TOKEN_ALG); the keys it has keep theirs. */
  alg?: SigningAlgorithm;
}

/**
 * The signing keys (RS256, ES256 or EdDSA, each key its own). Private keys are decrypted once,
 * when first loaded, and kept in memory as KeyObjects, so that signing costs no decryption; public
 * keys are imported once as WebCrypto keys bound to their key's algorithm. A rotated key is
 * published in the JWK Set first and signs only from its `signs_from` time; a key stays published
 * until every token it signed has expired.
 */
export function createSigningKeyStore(options: SigningKeyStoreOptions) {
  const { db, encryptionKey, clock, accessTokenTtlMs, alg = 'RS256' } = options;
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
    if (jwk.kid !== row.kid) throw new Error('A stored signing key is malformed');
    const publicKey = await webcrypto.subtle.importKey(
      'jwk',
      jwk as webcrypto.JsonWebKey,
      webcryptoParams(jwk.alg),
      false,
      ['verify'],
    );
    return {
      kid: row.kid,
      alg: jwk.alg,
      jwk,
      signsFrom: row.signs_from,
      createdAt: row.created_at,
      privateKey: privateKeyFromPkcs8(jwk.alg, pkcs8),
      verification: { alg: jwk.alg, publicKey },
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

  /** Creates a key of this store's algorithm that signs from `signsFrom`; published at once. */
  async function create(signsFrom: number): Promise<string> {
    const { jwk, pkcs8: der } = await newSigningKeyPair(alg);
    const { kid } = jwk;
    const pkcs8 = der.toString('base64');
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

    /**
     * Moves to ACCESS_TOKEN_ALG when the newest key has another algorithm (the operator switched,
     * RS256 to ES256 say), as `rotate` does: a key of the new algorithm, published at once, signs
     * `leadMs` from now (or when the newest key starts, if later); the old keys sign until then
     * and stay published until their tokens expire. Returns the new key's kid, or undefined when
     * the newest key already has the configured algorithm.
     */
    async adoptAlgorithm(leadMs: number): Promise<{ kid: string; signsFrom: number } | undefined> {
      await reload();
      const newest = keys.at(-1);
      if (newest === undefined || newest.alg === alg) return undefined;
      const signsFrom = Math.max(clock() + leadMs, newest.signsFrom);
      return { kid: await create(signsFrom), signsFrom };
    },

    /** The key that signs now: the newest whose signing time has come, with its algorithm. */
    signer(): { kid: string; alg: SigningAlgorithm; privateKey: KeyObject } {
      const current = signingAt(clock());
      if (!current) throw new Error('No signing key is active');
      return current;
    },

    /** The public key for `kid` and the one algorithm it verifies, if it is published. */
    verificationKey(kid: string | undefined): VerificationKey | undefined {
      return published(clock()).find((key) => key.kid === kid)?.verification;
    },

    /** The JWK Set: public members only, each key with its `alg`. */
    jwks(): { keys: PublicJwk[] } {
      return { keys: published(clock()).map((key) => key.jwk) };
    },

    /** The algorithms of the published keys (for the metadata's `…_signing_alg_values_supported`). */
    publishedAlgorithms(): SigningAlgorithm[] {
      return [...new Set(published(clock()).map((key) => key.alg))];
    },

    /** Every key, for `keys:list`. */
    describe(): {
      kid: string;
      alg: SigningAlgorithm;
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
        alg: key.alg,
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
  /** The algorithm of new keys (ACCESS_TOKEN_ALG); RS256 when not given. */
  alg?: SigningAlgorithm;
}): Promise<SigningKeyStore> {
  const { masterSecret, ...rest } = options;
  const store = createSigningKeyStore({ ...rest, encryptionKey: deriveKey(masterSecret, 'signing-keys') });
  await store.ensureKey();
  return store;
}
