import type { Clock } from '../clock';
import type { ClientRepository } from './client.repository';

/**
 * Records when a client was last used, at most once a minute per client: the token endpoint
 * must not pay a database write for every token.
 */
export function createClientUsage(clients: ClientRepository, clock: Clock, intervalMs = 60_000) {
  const last = new Map<string, number>();
  return {
    touch(clientId: string): void {
      const now = clock();
      if (now - (last.get(clientId) ?? Number.NEGATIVE_INFINITY) < intervalMs) return;
      last.set(clientId, now);
      clients
        .touch(clientId, now)
        .catch((error: Error) => console.error('could not record client use: %s', error.message));
    },
  };
}

export type ClientUsage = ReturnType<typeof createClientUsage>;
