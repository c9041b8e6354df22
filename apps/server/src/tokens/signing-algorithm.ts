import {
  createPrivateKey,
  generateKeyPair,
  type KeyObject,
  type SignKeyObjectInput,
  sign,
  type webcrypto,
} from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { SigningAlgorithm } from '../protocol/signing-algorithms';

const generate = promisify(generateKeyPair);

/** A public signing key as the JWK Set publishes it: public members only, with its `alg`. */
export type PublicJwk = { kid: string; use: 'sig' } & (
  | { kty: 'RSA'; alg: 'RS256'; n: string; e: string }
  | { kty: 'EC'; alg: 'ES256'; crv: 'P-256'; x: string; y: string }
  | { kty: 'OKP'; alg: 'EdDSA'; crv: 'Ed25519'; x: string }
);

/** What signs: a private key and the one algorithm it signs with. */
export interface JwtSigningKey {
  alg: SigningAlgorithm;
  privateKey: KeyObject;
}

interface AlgorithmSpec {
  /** The digest `crypto.sign` is given (Ed25519 hashes by itself). */
  digest: 'sha256' | null;
  /** JWS wants ECDSA signatures as r‖s (RFC 7518 §3.4), not DER. */
  dsaEncoding?: 'ieee-p1363';
  /**
   * Sign in libuv's thread pool: worth its hop only when signing is slow (RSA, about 0.2 ms), so
   * that the event loop serves other requests meanwhile. ECDSA and Ed25519 sign in about 25 µs:
   * the hop would cost about as much as it saves.
   */
  offThread: boolean;
  webcrypto: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;
  newKeyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }>;
  /** The public members of the key, `kid` aside, checked to be of this algorithm. */
  publicMembers(jwk: Record<string, unknown>): Omit<PublicJwk, 'kid' | 'use'> | undefined;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

const specs: Record<SigningAlgorithm, AlgorithmSpec> = {
  RS256: {
    digest: 'sha256',
    offThread: true,
    webcrypto: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    newKeyPair: () => generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 }),
    publicMembers: ({ kty, n, e }) =>
      kty === 'RSA' && isText(n) && isText(e) ? { kty, alg: 'RS256', n, e } : undefined,
  },
  ES256: {
    digest: 'sha256',
    dsaEncoding: 'ieee-p1363',
    offThread: false,
    webcrypto: { name: 'ECDSA', namedCurve: 'P-256' },
    newKeyPair: () => generate('ec', { namedCurve: 'P-256' }),
    publicMembers: ({ kty, crv, x, y }) =>
      kty === 'EC' && crv === 'P-256' && isText(x) && isText(y)
        ? { kty, alg: 'ES256', crv, x, y }
        : undefined,
  },
  EdDSA: {
    digest: null,
    offThread: false,
    webcrypto: { name: 'Ed25519' },
    newKeyPair: () => generate('ed25519'),
    publicMembers: ({ kty, crv, x }) =>
      kty === 'OKP' && crv === 'Ed25519' && isText(x) ? { kty, alg: 'EdDSA', crv, x } : undefined,
  },
};

/** WebCrypto's name for the algorithm: how jose is given a key it must use with this `alg` only. */
export function webcryptoParams(alg: SigningAlgorithm) {
  return specs[alg].webcrypto;
}

/** A new key pair for `alg`: the public JWK (its `kid` the RFC 7638 thumbprint) and the private key as PKCS #8 DER. */
export async function newSigningKeyPair(alg: SigningAlgorithm): Promise<{ jwk: PublicJwk; pkcs8: Buffer }> {
  const spec = specs[alg];
  const { privateKey, publicKey } = await spec.newKeyPair();
  const members = spec.publicMembers(publicKey.export({ format: 'jwk' }) as Record<string, unknown>);
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: node:crypto exports the JWK of the key type it just made; the guard narrows the type
  if (!members) throw new Error(`${alg} key export failed`);
  const { alg: _alg, ...thumbprinted } = members;
  const kid = await calculateJwkThumbprint(thumbprinted as JWK);
  return {
    jwk: { kid, use: 'sig', ...members } as PublicJwk,
    pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

/** The `public_jwk` column: the one place it is parsed, and checked (its members match its `alg`), not cast. */
export function publicJwkFromColumn(text: string): PublicJwk {
  const jwk = JSON.parse(text) as Record<string, unknown>;
  const { kid, use, alg } = jwk;
  if (use !== 'sig' || typeof alg !== 'string' || !Object.hasOwn(specs, alg))
    throw new Error('A stored signing key has no signing algorithm of this server');
  const members = specs[alg as SigningAlgorithm].publicMembers(jwk);
  if (!isText(kid) || !members) throw new Error('A stored signing key is malformed');
  return { kid, use, ...members } as PublicJwk;
}

/** The private key of a stored key (PKCS #8 DER), checked to be of the key's algorithm. */
export function privateKeyFromPkcs8(alg: SigningAlgorithm, pkcs8: Buffer): KeyObject {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const type = { RS256: 'rsa', ES256: 'ec', EdDSA: 'ed25519' }[alg];
  if (key.asymmetricKeyType !== type) throw new Error(`A stored ${alg} signing key is not a ${type} key`);
  return key;
}

/** The key as `crypto.sign` takes it: ECDSA's with the signature encoding JWS wants. */
function signingKey(spec: AlgorithmSpec, privateKey: KeyObject): KeyObject | SignKeyObjectInput {
  return spec.dsaEncoding ? { key: privateKey, dsaEncoding: spec.dsaEncoding } : privateKey;
}

function signingInput(header: JwtHeader, alg: SigningAlgorithm, claims: object): string {
  const head = Buffer.from(JSON.stringify({ alg, ...header })).toString('base64url');
  return `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
}

/** The protected header besides `alg` (which is always the key's). */
export interface JwtHeader {
  typ: string;
  kid: string;
}

/**
 * Signs a compact JWS (a JWT) with node:crypto, synchronously: `alg` is the key's. What the token
 * endpoint's codecs run (through `signJwt`), and what a benchmark calls to measure the raw
 * one-core signing rate of the same key and claims.
 */
export function signCompactJwt(key: JwtSigningKey, header: JwtHeader, claims: object): string {
  const spec = specs[key.alg];
  const input = signingInput(header, key.alg, claims);
  const signature = sign(spec.digest, Buffer.from(input), signingKey(spec, key.privateKey));
  return `${input}.${signature.toString('base64url')}`;
}

/** `signCompactJwt`, in libuv's thread pool for the slow algorithm (RS256), on the spot for the fast ones. */
export function signJwt(key: JwtSigningKey, header: JwtHeader, claims: object): Promise<string> {
  const spec = specs[key.alg];
  if (!spec.offThread) {
    try {
      return Promise.resolve(signCompactJwt(key, header, claims));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  const input = signingInput(header, key.alg, claims);
  return new Promise((resolve, reject) => {
    sign(spec.digest, Buffer.from(input), signingKey(spec, key.privateKey), (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}
