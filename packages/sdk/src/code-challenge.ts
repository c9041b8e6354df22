import { base64 } from './base64url';

/** The S256 `code_challenge` of a verifier, unchecked (the login's own verifiers are always valid). */
export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64(new Uint8Array(digest), true);
}
