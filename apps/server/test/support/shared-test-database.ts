import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { type Db, migrateToLatest, openDatabaseAt } from '../../src/db/database';
import { testDatabaseLocation } from './database-under-test';

/**
 * A migrated, empty database (SQLite, or PostgreSQL: see database-under-test.ts) that more than
 * one handle can open, as several worker processes or instances open the same database: for the
 * tests of rules that must hold across them. `close` closes every handle and removes the files.
 */
export async function openSharedTestDatabase(): Promise<{
  db: Db;
  /** Another handle (its own connections) on the same database. */
  openAnother: () => Db;
  close: () => Promise<void>;
}> {
  const temp = makeTempDir();
  const location = await testDatabaseLocation(join(temp.dir, 'shared.sqlite'));
  const db = openDatabaseAt(location);
  await migrateToLatest(db);
  const others: Db[] = [];
  return {
    db,
    openAnother() {
      const other = openDatabaseAt(location);
      others.push(other);
      return other;
    },
    async close() {
      await Promise.all([db, ...others].map((handle) => handle.destroy()));
      temp.remove();
    },
  };
}
