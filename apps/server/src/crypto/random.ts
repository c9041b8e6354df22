import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random string of `bytes` bytes, base64url-encoded (256 bits by default). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256, hex. Server-generated tokens and secrets carry 256 bits: a fast hash is enough. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Still spend a comparison so that a length mismatch is not cheaper to detect.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
