import type { Db } from '../db/database';
import type { ClientRow } from '../db/schema';
import { type Client, clientFromRow } from './client';
import * as clients from './client.repository';

/** Finds a client by id, reading the database after the call (never an older answer). */
export type FindClient = (clientId: string) => Promise<Client | undefined>;

interface Waiter {
  resolve: (client: Client | undefined) => void;
  reject: (error: unknown) => void;
}

/** Ids per query: far below SQLite's 32766 bound parameters. */
const MAX_IDS_PER_QUERY = 500;

/**
 * Client lookups of concurrent requests, read together: one query for the requests of the moment,
 * instead of one per token request. Never a cache: every answer comes from a read that started
 * after the call, so a secret rotated, a client paused or deleted (by any process) is seen by
 * every request that arrives afterwards, as with a query of its own. A call made while a read is
 * under way waits for the next read, which starts when that one ends.
 *
 * When a shared read fails, each id is read again alone, so that one request's bad id (one the
 * database refuses) fails that request only.
 */
export function createClientLookup(db: Db): FindClient {
  let queued = new Map<string, Waiter[]>();
  let reading = false;

  function start(): void {
    if (reading || queued.size === 0) return;
    reading = true;
    // One turn of the event loop: the requests that arrived with this one join its read.
    setImmediate(() => {
      const batch = queued;
      queued = new Map();
      void read(batch).finally(() => {
        reading = false;
        start();
      });
    });
  }

  async function read(batch: Map<string, Waiter[]>): Promise<void> {
    const ids = [...batch.keys()];
    let rows: ClientRow[] | undefined;
    try {
      // Stryker disable next-line ArrayDeclaration: a stray element has no client_id, so no id finds it in byId
      rows = [];
      // Stryker disable next-line EqualityOperator: a turn at i === ids.length reads no ids, which findRows answers without a query
      for (let i = 0; i < ids.length; i += MAX_IDS_PER_QUERY)
        rows.push(...(await clients.findRows(db, ids.slice(i, i + MAX_IDS_PER_QUERY))));
    } catch {
      rows = undefined;
    }
    if (rows) {
      const byId = new Map(rows.map((row) => [row.client_id, row]));
      for (const [id, waiters] of batch) settle(waiters, byId.get(id));
      return;
    }
    await Promise.all(
      [...batch].map(async ([id, waiters]) => {
        try {
          const row = (await clients.findRows(db, [id]))[0];
          settle(waiters, row);
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error);
        }
      }),
    );
  }

  /** Each request gets a client object of its own. */
  function settle(waiters: Waiter[], row: ClientRow | undefined): void {
    for (const waiter of waiters) {
      try {
        waiter.resolve(row && clientFromRow(row));
      } catch (error) {
        // A malformed row fails its requests, as a read of their own would.
        waiter.reject(error);
      }
    }
  }

  return function findClient(clientId) {
    return new Promise((resolve, reject) => {
      const waiters = queued.get(clientId);
      if (waiters) waiters.push({ resolve, reject });
      else queued.set(clientId, [{ resolve, reject }]);
      start();
    });
  };
}
