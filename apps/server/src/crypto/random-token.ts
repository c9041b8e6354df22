import { randomBytes } from 'node:crypto';

/** A random string of `bytes` bytes from the CSPRNG, base64url-encoded (256 bits by default). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
