import cluster from 'node:cluster';
import pg from 'pg';
import {
  type RateLimiterAbstract,
  RateLimiterCluster,
  RateLimiterClusterMaster,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from 'rate-limiter-flexible';

/**
 * Where the rate limits keep their counts: in this process (one process), in the primary of a
 * `node:cluster` (the workers of one machine), or in PostgreSQL (several instances).
 */
export type RateLimitStore = { kind: 'memory' } | { kind: 'cluster' } | { kind: 'postgres'; url: string };

/** One limiter's counts in a store. Every change is one atomic increment in the store. */
export interface Counter {
  /** Adds one if the count stays within the limit: whether it did (a refused one adds nothing that stays). */
  consume(key: string): Promise<boolean>;
  /** Adds `points` (negative: takes them away). */
  add(key: string, points: number): Promise<void>;
  count(key: string): Promise<number>;
  delete(key: string): Promise<void>;
}

export interface CounterOptions {
  /** Tells this limiter's counts from the others' in a shared store: unique per store. */
  name: string;
  limit: number;
  /** How long a key lives in the store after its first count. */
  durationSeconds: number;
  /** Keys kept at most in process memory (memory and cluster stores): the oldest are forgotten first. */
  maxKeys: number;
}

/** The counts of every limiter of a server. */
export interface CounterStore {
  counter(options: CounterOptions): Counter;
  /** Ends the store's connections (PostgreSQL); nothing to do for the others. */
  close(): Promise<void>;
}

// Small: the limiter makes a handful of short queries per sign-in, beside the server's own pool.
const POSTGRES_POOL_SIZE = 3;
const POSTGRES_TABLE = 'rate_limit_counters';

export function openRateLimitStore(store: RateLimitStore): CounterStore {
  switch (store.kind) {
    case 'memory':
      return {
        counter: (options) => {
          const limiter = new RateLimiterMemory(rlflxOptions(options));
          return bounded(
            countsOn(async () => limiter),
            options,
          );
        },
        close: async () => {},
      };
    case 'cluster':
      if (!cluster.isWorker)
        throw new Error('The cluster rate-limit store runs in node:cluster workers only.');
      return {
        counter: (options) => {
          const limiter = new RateLimiterCluster(rlflxOptions(options));
          return bounded(
            countsOn(async () => limiter),
            options,
          );
        },
        close: async () => {},
      };
    case 'postgres':
      return openPostgresStore(store.url);
  }
}

/**
 * Serves the workers' cluster stores: the primary process calls it once, before forking them (a
 * worker's first message to a primary not yet listening is lost, and its counts time out).
 */
export function startRateLimitClusterMaster(): void {
  // A singleton: calling it again returns the one already listening.
  new RateLimiterClusterMaster();
}

function openPostgresStore(url: string): CounterStore {
  let pool: pg.Pool | undefined;
  const poolOf = () => {
    if (!pool) {
      // `allowExitOnIdle`: an idle pool does not keep the process alive.
      pool = new pg.Pool({ connectionString: url, max: POSTGRES_POOL_SIZE, allowExitOnIdle: true });
      // An idle connection the server drops (a restart of PostgreSQL) is an event, not a crash.
      pool.on('error', () => {});
    }
    return pool;
  };
  // The table, created once per store under a lock: `create table if not exists` run at once by
  // several limiters or instances can fail on PostgreSQL ("type … already exists").
  let table: Promise<void> | undefined;
  const tableReady = () => {
    table ??= createCounterTable(poolOf()).catch((error: unknown) => {
      table = undefined;
      throw error;
    });
    return table;
  };
  return {
    counter: (options) => {
      // Created on first use: the table is created then (if missing), not when the server is built.
      let limiter: Promise<RateLimiterAbstract> | undefined;
      return countsOn(() => {
        limiter ??= tableReady().then(
          () =>
            new RateLimiterPostgres({
              ...rlflxOptions(options),
              storeClient: poolOf(),
              storeType: 'pool',
              tableName: POSTGRES_TABLE,
              tableCreated: true,
            }),
        );
        // A failure (the database is down) is not kept: the next use tries again.
        limiter.catch(() => {
          limiter = undefined;
        });
        return limiter;
      });
    },
    close: async () => {
      const ending = pool;
      pool = undefined;
      await ending?.end();
    },
  };
}

/** An arbitrary key for the advisory lock around the table's creation. */
const TABLE_LOCK = 7_300_212;

/** rate-limiter-flexible's table for PostgreSQL, as it would create it, created once whatever the concurrency. */
async function createCounterTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [TABLE_LOCK]);
    await client.query(
      `create table if not exists "${POSTGRES_TABLE}" (key varchar(255) primary key, points integer not null default 0, expire bigint)`,
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function rlflxOptions({ name, limit, durationSeconds }: CounterOptions) {
  return { keyPrefix: name, points: limit, duration: durationSeconds };
}

function countsOn(limiter: () => Promise<RateLimiterAbstract>): Counter {
  return {
    async consume(key) {
      try {
        await (await limiter()).consume(key, 1);
        return true;
      } catch (error) {
        // rate-limiter-flexible refuses with a result, and fails with an Error.
        if (error instanceof RateLimiterRes) return false;
        throw error;
      }
    },
    async add(key, points) {
      const store = await limiter();
      await (points >= 0 ? store.penalty(key, points) : store.reward(key, -points));
    },
    async count(key) {
      return (await (await limiter()).get(key))?.consumedPoints ?? 0;
    },
    async delete(key) {
      await (await limiter()).delete(key);
    },
  };
}

/**
 * Bounds the keys a memory store keeps (an attacker can make a new key per request: a new login
 * name): beyond `maxKeys` seen by this process, the oldest is deleted. Keys also leave the store
 * when their window expires.
 */
function bounded(counter: Counter, { maxKeys }: CounterOptions): Counter {
  const seen = new Set<string>();
  const touch = async (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size <= maxKeys) return;
    // A Set keeps insertion order: the first is the oldest.
    for (const oldest of seen) {
      seen.delete(oldest);
      await counter.delete(oldest);
      break;
    }
  };
  return {
    ...counter,
    async consume(key) {
      await touch(key);
      return counter.consume(key);
    },
    async add(key, points) {
      await touch(key);
      return counter.add(key, points);
    },
    async delete(key) {
      seen.delete(key);
      return counter.delete(key);
    },
  };
}
