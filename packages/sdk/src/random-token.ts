import { base64 } from './base64url';

/**
 * A random base64url string of `bytes` random bytes from `crypto.getRandomValues` (32 bytes, 256 bits,
 * give 43 characters). Used for PKCE verifiers, `state`, and the ids and nonces of the cross-tab lock.
 *
 * @example
 * ```ts
 * const state = randomToken(); // e.g. 'q3Jx…' (43 characters)
 * ```
 */
export function randomToken(bytes = 32): string {
  return base64(crypto.getRandomValues(new Uint8Array(bytes)), true);
}
