import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/**
 * A random identifier that is no secret (a JWT's `jti`, which the token itself shows), `bytes`
 * bytes of the CSPRNG, base64url-encoded. The bytes come from a pool refilled 4 KiB at a time, as
 * node:crypto's `randomUUID` does: a call into the CSPRNG for each token costs more than the rest
 * of the identifier. Never for a secret (use `randomToken`): the pool holds the next values.
 */
export function publicRandomId(bytes = 16): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const id = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return id;
}
