import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../crypto/constant-time';

/** 43 to 128 characters of the unreserved set (RFC 7636 §4.1, §4.2). */
export const pkcePattern = /^[A-Za-z0-9._~-]{43,128}$/;

/** BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  const hash = createHash('sha256');
  // Stryker disable next-line StringLiteral: verifiers match pkcePattern (ASCII) first: the same bytes in any encoding
  hash.update(verifier, 'ascii');
  return hash.digest('base64url');
}

export function verifierMatches(verifier: string, challenge: string): boolean {
  return constantTimeEqual(s256(verifier), challenge);
}
