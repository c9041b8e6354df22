// The `@matomo-oauth2/sdk/pkce` entry: PKCE for those who build their own flow (the browser login
// has its own, so these stay out of the main entry's bundle).
import { s256 } from './code-challenge';
import { ProtocolError } from './errors';
import { randomToken } from './random-token';

const VERIFIER = /^[\w.~-]{43,128}$/; // \w: A-Z a-z 0-9 _

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
  return s256(verifier);
}
