import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDb } from '../../test/support/database-under-test';
import type { Db } from './database';
import { dialectOf } from './dialect';
import { type DialectSql, dialectSql, type MysqlTimeFunction } from './dialect-sql';

// The expressions that differ between SQLite and PostgreSQL give the same values: this file runs
// on SQLite, and on PostgreSQL in the suite's PostgreSQL pass (TEST_DATABASE_URL).

const temp = makeTempDir();
let db: Db;
let dialect: DialectSql;
beforeAll(async () => {
  db = await openTestDb(join(temp.dir, 'dialect.sqlite'));
  dialect = dialectSql(dialectOf(db));
});
afterAll(async () => {
  await db.destroy();
  temp.remove();
});

async function value(expression: RawBuilder<unknown>): Promise<unknown> {
  const { rows } = await sql<{ value: unknown }>`select ${expression} as value`.execute(db);
  return rows[0]?.value;
}

describe(`the dialect's expressions (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  test('position: 1-based, 0 when absent', async () => {
    expect(await value(dialect.position(sql`${'de-de,de;q=0.9'}`, ','))).toBe(6);
    expect(await value(dialect.position(sql`${'fr'}`, ';'))).toBe(0);
  });

  test('least of two', async () => {
    expect(await value(dialect.least(sql`${sql.lit(7)}`, sql`${sql.lit(3)}`))).toBe(3);
  });

  // 2026-01-04 13:07:09 UTC is a Sunday in ISO week 1 of 2026; 2027-01-01 is in ISO week 53 of 2026.
  const sunday = Date.UTC(2026, 0, 4, 13, 7, 9, 999);
  const newYear = Date.UTC(2027, 0, 1, 0, 0, 0);
  test.each<[MysqlTimeFunction, number, unknown]>([
    ['HOUR', sunday, 13],
    ['MINUTE', sunday, 7],
    ['SECOND', sunday, 9],
    ['DAYOFMONTH', sunday, 4],
    ['DAYOFWEEK', sunday, 1],
    ['DAYOFYEAR', sunday, 4],
    ['MONTH', sunday, 1],
    ['QUARTER', sunday, 1],
    ['QUARTER', Date.UTC(2026, 9, 1), 4],
    ['WEEKOFYEAR', sunday, 1],
    ['WEEKOFYEAR', newYear, 53],
    ['YEAR', newYear, 2027],
    ['DATE', sunday, '2026-01-04'],
    ['DAYOFWEEK', newYear, 6],
  ])('%s of %i in UTC, as MySQL gives it', async (fn, instant, expected) => {
    expect(await value(dialect.utc(fn, sql`${sql.lit(instant)}`))).toBe(expected);
  });

  test.each([
    ['127.0.0.1', '7F.00.00.01.'],
    ['192.168.10.255', 'C0.A8.0A.FF.'],
    ['2001:db8::1', null],
    ['not an address', null],
    ['1.2.3', null],
  ])('ipv4Bytes(%s)', async (address, expected) => {
    expect(await value(dialect.ipv4Bytes(sql`${address}`))).toBe(expected);
  });

  test('jsonText reads a top-level string field; a missing one is null', async () => {
    const detail = sql`${JSON.stringify({ login: 'alice', n: 1 })}`;
    expect(await value(dialect.jsonText(detail, 'login'))).toBe('alice');
    expect(await value(dialect.jsonText(detail, 'client'))).toBe(null);
  });

  test('jsonPair is a JSON array of the two values, nulls included, and groups as text', async () => {
    // Columns in the reports; typed parameters here (PostgreSQL cannot guess a bare one's type).
    const text = (value: string) => sql`cast(${value} as text)`;
    expect(JSON.parse(String(await value(dialect.jsonPair(text('a'), text('b"c')))))).toEqual(['a', 'b"c']);
    expect(JSON.parse(String(await value(dialect.jsonPair(text('a'), sql`cast(null as text)`))))).toEqual([
      'a',
      null,
    ]);
  });

  test('binary orders text by code point, as SQLite does', async () => {
    const words = ['b', 'B', 'é', 'a', 'Z'];
    const values = sql.join(
      words.map((word) => sql`select ${word} as w`),
      sql` union all `,
    );
    const { rows } = await sql<{
      w: string;
    }>`select w from (${values}) as t order by ${dialect.binary(sql.ref('w'))}`.execute(db);
    expect(rows.map((row) => row.w)).toEqual(['B', 'Z', 'a', 'b', 'é']);
  });
});
