import { PostgresDialect } from 'kysely';
import pg from 'pg';

// PostgreSQL's 64-bit integers (times in milliseconds, `count(*)`) and `numeric` (what `sum` and
// `avg` of integers give) arrive as strings from `pg`, to be safe beyond 2^53. The values this
// server stores stay far below it, and every query must read the same numbers on both databases.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * Kysely's PostgreSQL dialect on a `pg` pool of at most `poolSize` connections, numbers read as
 * JavaScript numbers. The pool is ended by `db.destroy()`.
 */
export function openPostgresDialect(url: string, poolSize: number): PostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: types as pg.CustomTypesConfig });
  // An idle connection the server drops (a restart of PostgreSQL) is an event, not a crash.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}
