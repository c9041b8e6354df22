import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseLocation, type Db, openDatabase, openDatabaseAt } from '../../src/db/database';

/**
 * The database the suite runs on: SQLite files by default; PostgreSQL when `TEST_DATABASE_URL`
 * names a database (`.ci/run` runs the suite both ways). On PostgreSQL each test database is a
 * schema of its own, selected by the connection's `search_path`; the global set-up drops them.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

/** The prefix of every schema a test creates. */
export const TEST_SCHEMA_PREFIX = 'test_';

/**
 * The prefix of this run's schemas: `test_<start, in seconds>_<random>_`, set by the global set-up
 * for every test process, so that runs side by side on one database never drop each other's.
 */
export function runSchemaPrefix(): string {
  process.env.TEST_SCHEMA_RUN ??= `${TEST_SCHEMA_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}_`;
  return process.env.TEST_SCHEMA_RUN;
}

let admin: pg.Pool | undefined;

/** A new empty PostgreSQL schema; the URL that selects it. */
export async function createTestSchema(base: string): Promise<string> {
  admin ??= new pg.Pool({ connectionString: base, max: 2 });
  const schema = `${runSchemaPrefix()}${randomBytes(6).toString('hex')}`;
  await admin.query(`create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Where a test's server keeps its data: the SQLite file, or a new schema when the suite runs on PostgreSQL. */
export async function testDatabaseLocation(sqlitePath: string): Promise<DatabaseLocation> {
  if (testDatabaseUrl === undefined) return { kind: 'sqlite', path: sqlitePath };
  return { kind: 'postgres', url: await createTestSchema(testDatabaseUrl), poolSize: 4 };
}

/** A new, empty database for a test: the SQLite file, or a new PostgreSQL schema. */
export async function openTestDb(sqlitePath: string): Promise<Db> {
  if (testDatabaseUrl === undefined) return openDatabase(sqlitePath);
  return openDatabaseAt(await testDatabaseLocation(sqlitePath));
}
