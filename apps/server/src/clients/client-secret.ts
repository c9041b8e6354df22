import { constantTimeEqual } from '../crypto/constant-time';
import { sha256Hex } from '../crypto/digest';
import { randomToken } from '../crypto/random-token';

/** A new client secret: 256 bits from the CSPRNG, base64url. */
export function generateClientSecret(): string {
  return randomToken(32);
}

/**
 * How a secret is stored. Secrets are server-generated with 256 bits of entropy, so a fast hash
 * resists brute force as well as a slow one would, and costs microseconds per check instead of
 * scrypt's tens of milliseconds on every token request.
 */
export function digestClientSecret(secret: string): string {
  return sha256Hex(secret);
}

/** Compares in constant time: the digests of any two secrets have the same length. */
export function clientSecretMatches(secret: string, digest: string): boolean {
  return constantTimeEqual(digestClientSecret(secret), digest);
}
