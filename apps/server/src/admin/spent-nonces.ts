import type { Clock } from '../config/clock';

/**
 * Nonces already used, each remembered `ttlMs` after its use, at most `capacity` at once: what
 * makes a value that is valid for `ttlMs` usable once on this instance. Every entry lives equally
 * long, so the oldest (first in the map) are the first to expire.
 */
export function createSpentNonces({
  ttlMs,
  capacity,
  clock,
}: {
  ttlMs: number;
  capacity: number;
  clock: Clock;
}) {
  const forgetAt = new Map<string, number>();

  function forgetExpired(now: number): void {
    for (const [nonce, at] of forgetAt) {
      if (at > now) return;
      forgetAt.delete(nonce);
    }
  }

  return {
    /**
     * Spends `nonce`: false when it was spent already. Also false when `capacity` nonces are
     * still remembered: refusing is safer than forgetting one early, which would let it be
     * spent again.
     */
    spend(nonce: string): boolean {
      const now = clock();
      forgetExpired(now);
      if (forgetAt.has(nonce) || forgetAt.size >= capacity) return false;
      forgetAt.set(nonce, now + ttlMs);
      return true;
    },
  };
}

export type SpentNonces = ReturnType<typeof createSpentNonces>;
