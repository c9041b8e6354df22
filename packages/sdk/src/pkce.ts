import { base64 } from './base64url';
import { ProtocolError } from './errors';
import { randomToken } from './random-token';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * A PKCE `code_verifier` (RFC 7636 §4.1): 43 characters from the unreserved set carrying 256 random bits.
 *
 * @example
 * ```ts
 * const verifier = generateCodeVerifier();
 * const challenge = await computeCodeChallenge(verifier);
 * ```
 */
export function generateCodeVerifier(): string {
  return randomToken(32);
}

/**
 * The S256 `code_challenge` for a verifier: BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2). Throws a
 * `ProtocolError` (`ERR_CONFIGURATION`) for a verifier that is not 43–128 unreserved characters.
 *
 * @example
 * ```ts
 * await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
 * // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export async function computeCodeChallenge(verifier: string): Promise<string> {
  if (!VERIFIER.test(verifier)) {
    throw new ProtocolError('ERR_CONFIGURATION', 'Invalid PKCE verifier');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64(new Uint8Array(digest), true);
}
