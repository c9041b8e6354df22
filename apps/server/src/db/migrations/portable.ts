import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// The column types that differ between SQLite and PostgreSQL, for migrations. On SQLite each
// gives exactly the DDL the migrations always wrote, so databases made before are unchanged.

type Column = [
  type: 'integer' | 'serial',
  build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder,
];

/** An integer primary key the database numbers: `integer … autoincrement` on SQLite, `serial` on PostgreSQL. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export function autoIncrementKey(db: Kysely<any>): Column {
  return dialectOf(db) === 'postgres'
    ? ['serial', (column) => column.primaryKey()]
    : ['integer', (column) => column.primaryKey().autoIncrement()];
}

/** An 8-byte float: SQLite's `real` is one, PostgreSQL's is 4 bytes. */
// biome-ignore lint/suspicious/noExplicitAny: see autoIncrementKey
export function float8(db: Kysely<any>): 'real' | 'double precision' {
  return dialectOf(db) === 'postgres' ? 'double precision' : 'real';
}

/**
 * A text column of at most `length` characters on SQLite, which never enforced the length: on
 * PostgreSQL, `text`, so that the same input is accepted by both. Lengths that matter are checked
 * by the code that takes the input.
 */
// biome-ignore lint/suspicious/noExplicitAny: see autoIncrementKey
export function varchar(db: Kysely<any>, length: number): `varchar(${number})` | 'text' {
  return dialectOf(db) === 'postgres' ? 'text' : `varchar(${length})`;
}
