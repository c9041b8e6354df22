import { createHash } from 'node:crypto';

/**
 * SHA-256, hex: how codes, refresh tokens, sessions and client secrets are stored. They are
 * server-generated with 256 bits of entropy, so a fast hash resists brute force as a slow one would.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
