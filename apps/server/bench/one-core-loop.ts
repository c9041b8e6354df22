// Run as a process of its own by one-core-rate.ts: one operation in a tight synchronous loop on
// one core, for a given time; prints `{"operations":…,"seconds":…}`.
//
//   node --import tsx bench/one-core-loop.ts RS256|ES256|EdDSA|scrypt <milliseconds>
import { generateKeyPairSync, type KeyObject, randomBytes, scryptSync } from 'node:crypto';
import { signCompactJwt } from '../src/tokens/signing-algorithm';

export type OneCoreOperation = 'RS256' | 'ES256' | 'EdDSA' | 'scrypt';

function keyOf(alg: Exclude<OneCoreOperation, 'scrypt'>): KeyObject {
  if (alg === 'RS256') return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return generateKeyPairSync('ed25519').privateKey;
}

/**
 * A client credentials access token as the server issues one (RFC 9068 header and claims, a fresh
 * `jti` each time), signed by the server's own synchronous signer: the cost the algorithm sets.
 */
function jwtSigner(alg: Exclude<OneCoreOperation, 'scrypt'>): () => string {
  const key = { alg, privateKey: keyOf(alg) };
  const header = { typ: 'at+jwt', kid: randomBytes(32).toString('base64url') };
  return () => {
    const iat = Math.floor(Date.now() / 1000);
    return signCompactJwt(key, header, {
      iss: 'http://127.0.0.1:8080',
      sub: 'analytics_app',
      aud: 'http://127.0.0.1:8080',
      client_id: 'analytics_app',
      scope: 'matomo:read',
      iat,
      exp: iat + 3600,
      jti: randomBytes(16).toString('base64url'),
      owner: 'admin',
    });
  };
}

/** The server's password check: scrypt N=2^15, r=8, p=1 (src/crypto/password.ts). */
function passwordCheck(): () => Buffer {
  const salt = randomBytes(16);
  return () => scryptSync('demo', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

function loop(operation: () => unknown, milliseconds: number): { operations: number; seconds: number } {
  const started = performance.now();
  let operations = 0;
  while (performance.now() - started < milliseconds) {
    operation();
    operations += 1;
  }
  return { operations, seconds: (performance.now() - started) / 1000 };
}

const [kind, time] = process.argv.slice(2) as [OneCoreOperation, string];
const operation = kind === 'scrypt' ? passwordCheck() : jwtSigner(kind);
loop(operation, 200);
console.log(JSON.stringify(loop(operation, Number(time))));
