import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { type Db, migrateToLatest } from '../../src/db/database';
import * as users from '../../src/users/user.repository';
import { openTestDb } from './database-under-test';

/**
 * A migrated database (SQLite, or PostgreSQL: see database-under-test.ts) in a new temp directory, with one user, `owner` (no super user),
 * for the unit tests of rules that read storage. `close` removes it.
 */
export async function openTestDatabase(): Promise<{ db: Db; close: () => Promise<void> }> {
  const temp = makeTempDir();
  const db = await openTestDb(join(temp.dir, 'test.sqlite'));
  await migrateToLatest(db);
  await users.insert(db, {
    login: 'owner',
    email: 'owner@example.org',
    password_hash: 'unused',
    superuser: 0,
    created_at: 0,
  });
  return {
    db,
    async close() {
      await db.destroy();
      temp.remove();
    },
  };
}
