import pg from 'pg';
import { runSchemaPrefix, TEST_SCHEMA_PREFIX, testDatabaseUrl } from './database-under-test';

/** A run that left its schemas behind (interrupted) started before this many seconds ago. */
const STALE_AFTER_SECONDS = 6 * 3600;

/**
 * On PostgreSQL, drops schemas made by tests: those `keep` says to (this run's, after it), or
 * those of runs started long ago (left behind by an interrupted run). Runs side by side on one
 * database (two terminals, helpers) keep each other's.
 */
async function dropTestSchemas(drop: (name: string) => boolean): Promise<void> {
  if (testDatabaseUrl === undefined) return;
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      'select nspname from pg_namespace where starts_with(nspname, $1)',
      [TEST_SCHEMA_PREFIX],
    );
    for (const { nspname } of rows.filter((row) => drop(row.nspname)))
      await client.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}

function startedLongAgo(name: string): boolean {
  const started = Number(/^test_(\d+)_/.exec(name)?.[1] ?? 0);
  return started < Date.now() / 1000 - STALE_AFTER_SECONDS;
}

export async function setup(): Promise<() => Promise<void>> {
  // Set here, before the test processes start: they inherit it.
  const prefix = runSchemaPrefix();
  await dropTestSchemas(startedLongAgo);
  return () => dropTestSchemas((name) => name.startsWith(prefix));
}
