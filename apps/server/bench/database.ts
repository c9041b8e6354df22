import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BenchSchema {
  /** `DATABASE_URL` for the server: the schema as the connection's `search_path`. */
  url: string;
  drop: () => Promise<void>;
}

/**
 * A new empty schema `bench_<time>_<random>` in the PostgreSQL database of `base`, so that the
 * server's demo seed starts from nothing (on a database that already has the demo it would keep
 * the old data); dropped at the end with everything the server put in it. Nothing else in the
 * database is read or changed.
 */
export async function createBenchSchema(base: string): Promise<BenchSchema> {
  const schema = `bench_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  // Appended as text: a socket URL (`postgres://me@/db?host=/run/postgresql`) is no WHATWG URL.
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
