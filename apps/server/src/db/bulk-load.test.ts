import { type Insertable, type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import type { LogVisitTable } from './analytics.schema';
import { bulkLoad } from './bulk-load';
import type { Db } from './database';
import { dialectOf } from './dialect';
import type { Database } from './schema';

// On PostgreSQL the load drops the log tables' foreign keys and adds them back: whatever happens,
// the keys hold afterwards, and a load that breaks one is undone. (SQLite: one transaction per unit.)

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let db: Db;
beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  await db
    .insertInto('sites')
    .values({
      name: 'Site',
      main_url: 'https://a.example',
      urls: '[]',
      ts_created: 0,
      timezone: 'UTC',
      currency: 'EUR',
      creator_login: 'owner',
    })
    .execute();
});
afterAll(() => database.close());

const visit = (idvisit: number, idsite: number): Insertable<LogVisitTable> => ({
  idvisit,
  idsite,
  visitor_id: '0123456789abcdef',
  visit_first_action_time: 0,
  visit_last_action_time: 0,
  visit_total_actions: 1,
  visit_total_time: 0,
  visitor_returning: 0,
  visitor_count_visits: 1,
  referrer_type: 'direct',
  location_country: 'fr',
  device_type: 'Desktop',
  browser_name: 'Firefox',
  os_name: 'Linux',
  location_ip: '192.0.2.1',
  config_resolution: 'unknown',
  location_browser_lang: 'xx',
});

/** PostgreSQL: the foreign keys and secondary indexes of the two tables, as the catalog defines them (SQLite: none to list). */
async function foreignKeys(executor: Kysely<Database> = db): Promise<string[]> {
  if (dialectOf(db) !== 'postgres') return [];
  const { rows } = await sql<{ definition: string }>`
    select conname || ' ' || pg_get_constraintdef(oid) as definition from pg_constraint
    where contype = 'f' and conrelid in ('log_visit'::regclass, 'log_link_visit_action'::regclass)
    union all
    select indexdef from pg_indexes
    where schemaname = current_schema() and tablename in ('log_visit', 'log_link_visit_action')
      and indexname not like '%pkey'
    order by 1`.execute(executor);
  return rows.map((row) => row.definition);
}

const visitCount = async () => (await db.selectFrom('log_visit').select('idvisit').execute()).length;

describe('bulkLoad', () => {
  test('loads in the units of work given; the foreign keys and indexes are back afterwards, and hold', async () => {
    const before = await foreignKeys();
    await bulkLoad(db, ['log_visit', 'log_link_visit_action'], async (inTransaction) => {
      // PostgreSQL: dropped for the load.
      if (dialectOf(db) === 'postgres')
        await inTransaction(async (trx) => expect(await foreignKeys(trx)).toEqual([]));
      await inTransaction((trx) => trx.insertInto('log_visit').values(visit(1, 1)).execute());
      await inTransaction((trx) => trx.insertInto('log_visit').values(visit(2, 1)).execute());
    });
    expect(await visitCount()).toBe(2);
    expect(await foreignKeys()).toEqual(before);
    await expect(db.insertInto('log_visit').values(visit(3, 99)).execute()).rejects.toThrow();
    expect(await visitCount()).toBe(2);
  });

  test('a load that breaks a foreign key fails, and the keys still hold', async () => {
    const load = bulkLoad(db, ['log_visit'], (inTransaction) =>
      inTransaction((trx) => trx.insertInto('log_visit').values(visit(4, 99)).execute()),
    );
    await expect(load).rejects.toThrow();
    expect(await visitCount()).toBe(2);
    await expect(db.insertInto('log_visit').values(visit(5, 99)).execute()).rejects.toThrow();
  });

  test('a load that throws leaves the keys in place', async () => {
    const load = bulkLoad(db, ['log_visit'], async () => {
      throw new Error('generator failed');
    });
    await expect(load).rejects.toThrow('generator failed');
    await expect(db.insertInto('log_visit').values(visit(6, 99)).execute()).rejects.toThrow();
  });
});
