import type { Clock } from '../config/clock';
import type { Db } from '../db/database';
import type { Logger } from '../logging/logger';
import * as clients from './client.repository';

/**
 * Records when a client was last used, at most once a minute per client: the token endpoint
 * must not pay a database write for every token.
 */
export function createClientUsage(
  { db, clock, logger }: { db: Db; clock: Clock; logger: Logger },
  intervalMs = 60_000,
) {
  const last = new Map<string, number>();
  return {
    touch(clientId: string): void {
      const now = clock();
      if (now - (last.get(clientId) ?? Number.NEGATIVE_INFINITY) < intervalMs) return;
      last.set(clientId, now);
      clients
        .touch(db, clientId, now)
        .catch((error: unknown) => logger.warn({ err: error, clientId }, 'could not record client use'));
    },
  };
}

export type ClientUsage = ReturnType<typeof createClientUsage>;
