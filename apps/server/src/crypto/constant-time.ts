import { timingSafeEqual } from 'node:crypto';

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
