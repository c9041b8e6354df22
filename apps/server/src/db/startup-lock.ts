import { sql } from 'kysely';
import type { Db } from './database';
import { dialectOf } from './dialect';

/** The advisory lock every instance takes while it migrates and seeds one PostgreSQL database. */
const STARTUP_LOCK = 7_300_211;

export interface StartupLock {
  /** Lets the next instance start; safe to call twice. */
  release(): Promise<void>;
}

/**
 * Takes the database's start-up lock: instances started together on one PostgreSQL database
 * migrate, create the first user and signing key, and seed one at a time, so that none sees the
 * work of another half done. The lock lives on a connection of its own, held until `release`
 * (the pool needs a second connection for the work). SQLite needs none: its writer holds the
 * file's lock for each write, and worker processes start once the primary prepared the file.
 */
export async function holdStartupLock(db: Db): Promise<StartupLock> {
  if (dialectOf(db) !== 'postgres') return { release: async () => {} };
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const acquired = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const held = db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${sql.lit(STARTUP_LOCK)})`.execute(connection);
    locked();
    await released;
    await sql`select pg_advisory_unlock(${sql.lit(STARTUP_LOCK)})`.execute(connection);
  });
  await Promise.race([acquired, held]);
  return {
    async release() {
      release();
      await held;
    },
  };
}
