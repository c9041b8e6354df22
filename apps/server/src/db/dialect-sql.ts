import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from './dialect';

/**
 * The few SQL expressions SQLite and PostgreSQL write differently: the one place where a query
 * names a dialect. Each gives the same value on both (dialect-sql.test.ts runs them on both).
 */
export interface DialectSql {
  readonly name: DialectName;
  /** The 1-based position of `needle` in `text`, 0 when absent. */
  position(text: RawBuilder<unknown>, needle: RawBuilder<unknown> | string): RawBuilder<number>;
  /** The smaller of two values. */
  least(a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<number>;
  /** MySQL's function of that name over a UTC instant held in epoch milliseconds. */
  utc(fn: MysqlTimeFunction, epochMs: RawBuilder<unknown>): RawBuilder<unknown>;
  /** A dotted IPv4 address as its bytes in upper-case hex, each followed by a dot (`7F.00.00.01.`); NULL for anything else. */
  ipv4Bytes(address: RawBuilder<unknown>): RawBuilder<string | null>;
  /** Two values as the text of a JSON array (`["a","b"]`, spacing aside): a composite key to group by. */
  jsonPair(first: RawBuilder<unknown>, second: RawBuilder<unknown>): RawBuilder<string>;
  /** A top-level string field of a JSON text column. */
  jsonText(column: RawBuilder<unknown>, field: string): RawBuilder<string | null>;
  /** Text compared and ordered by code point, as SQLite always does (not by a locale's rules). */
  binary(text: RawBuilder<unknown>): RawBuilder<unknown>;
}

export type MysqlTimeFunction =
  | 'HOUR'
  | 'MINUTE'
  | 'SECOND'
  | 'DAYOFMONTH'
  | 'DAYOFWEEK'
  | 'DAYOFYEAR'
  | 'MONTH'
  | 'QUARTER'
  | 'WEEKOFYEAR'
  | 'YEAR'
  | 'DATE';

/** `strftime` patterns: MySQL's DAYOFWEEK counts from Sunday = 1, SQLite's %w from Sunday = 0. */
const sqlitePatterns: Record<Exclude<MysqlTimeFunction, 'QUARTER' | 'DATE'>, string> = {
  HOUR: '%H',
  MINUTE: '%M',
  SECOND: '%S',
  DAYOFMONTH: '%d',
  DAYOFWEEK: '%w',
  DAYOFYEAR: '%j',
  MONTH: '%m',
  // WEEKOFYEAR is the ISO 8601 week (MySQL's WEEK(date, 3)).
  WEEKOFYEAR: '%V',
  YEAR: '%Y',
};

const sqlite: DialectSql = {
  name: 'sqlite',
  position: (text, needle) => sql<number>`instr(${text}, ${needle})`,
  least: (a, b) => sql<number>`min(${a}, ${b})`,
  utc(fn, epochMs) {
    const format = (pattern: string) => sql`strftime(${sql.lit(pattern)}, ${epochMs} / 1000, 'unixepoch')`;
    if (fn === 'DATE') return format('%Y-%m-%d');
    if (fn === 'QUARTER') return sql`((cast(${format('%m')} as integer) + 2) / 3)`;
    const number = sql`cast(${format(sqlitePatterns[fn])} as integer)`;
    return fn === 'DAYOFWEEK' ? sql`(${number} + 1)` : number;
  },
  ipv4Bytes(address) {
    const before = (text: RawBuilder<unknown>) =>
      sql`cast(substr(${text}, 1, instr(${text}, '.') - 1) as integer)`;
    const after = (text: RawBuilder<unknown>) => sql`substr(${text}, instr(${text}, '.') + 1)`;
    const second = after(address);
    const third = after(second);
    return sql<
      string | null
    >`(case when ${address} glob '[0-9]*.[0-9]*.[0-9]*.[0-9]*' and ${address} not glob '*[^0-9.]*' then printf('%02X.%02X.%02X.%02X.', ${before(address)}, ${before(second)}, ${before(third)}, cast(${after(third)} as integer)) end)`;
  },
  jsonPair: (first, second) => sql<string>`json_array(${first}, ${second})`,
  jsonText: (column, field) => sql<string | null>`json_extract(${column}, ${`$.${field}`})`,
  binary: (text) => text,
};

/** PostgreSQL's parts of a timestamp, as MySQL's functions name them. */
const postgresFields: Record<Exclude<MysqlTimeFunction, 'DATE'>, string> = {
  HOUR: 'hour',
  MINUTE: 'minute',
  SECOND: 'second',
  DAYOFMONTH: 'day',
  DAYOFWEEK: 'dow',
  DAYOFYEAR: 'doy',
  MONTH: 'month',
  QUARTER: 'quarter',
  WEEKOFYEAR: 'week',
  YEAR: 'year',
};

const postgres: DialectSql = {
  name: 'postgres',
  position: (text, needle) => sql<number>`strpos(${text}, ${needle})`,
  least: (a, b) => sql<number>`least(${a}, ${b})`,
  utc(fn, epochMs) {
    // Whole seconds, as SQLite's `unixepoch` reads them.
    const instant = sql`(to_timestamp(${epochMs} / 1000) at time zone 'UTC')`;
    if (fn === 'DATE') return sql`to_char(${instant}, 'YYYY-MM-DD')`;
    const part = sql`cast(extract(${sql.raw(postgresFields[fn])} from ${instant}) as integer)`;
    return fn === 'DAYOFWEEK' ? sql`(${part} + 1)` : part;
  },
  ipv4Bytes(address) {
    const byte = (index: number) =>
      sql`lpad(upper(to_hex(cast(split_part(${address}, '.', ${sql.lit(index)}) as integer))), 2, '0')`;
    return sql<
      string | null
    >`(case when ${address} ~ '^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$' then ${byte(1)} || '.' || ${byte(2)} || '.' || ${byte(3)} || '.' || ${byte(4)} || '.' end)`;
  },
  // `json` has no equality: its text does.
  jsonPair: (first, second) => sql<string>`cast(json_build_array(${first}, ${second}) as text)`,
  jsonText: (column, field) => sql<string | null>`(cast(${column} as json) ->> ${field})`,
  binary: (text) => sql`(${text} collate "C")`,
};

/** The expressions of a dialect. */
export function dialectSql(name: DialectName): DialectSql {
  return name === 'postgres' ? postgres : sqlite;
}
