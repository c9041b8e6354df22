import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../database';
import { migrationProvider } from './index';

const temp = makeTempDir();
let db: Db;
let migrator: Migrator;

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const DAY = 86_400;

/** A visit as the writers before this migration stored it. */
async function visit(
  idvisit: number,
  idsite: number,
  visitor: string,
  startMs: number,
  count: number,
): Promise<void> {
  await db
    .insertInto('log_visit')
    .values({
      idvisit,
      idsite,
      visitor_id: visitor,
      visit_first_action_time: startMs,
      visit_last_action_time: startMs + 60_000,
      visit_total_actions: 2,
      visit_total_time: 60,
      visitor_returning: count > 1 ? 1 : 0,
      visitor_count_visits: count,
      referrer_type: 'direct',
      referrer_name: null,
      referrer_keyword: null,
      referrer_url: null,
      location_country: 'xx',
      device_type: 'Desktop',
      browser_name: 'Firefox',
      os_name: 'GNU/Linux',
      location_ip: '198.51.100.0',
      entry_idaction_url: null,
      exit_idaction_url: null,
      config_resolution: 'unknown',
      location_browser_lang: 'xx',
      location_city: null,
      location_region: null,
      visitor_localtime: null,
    })
    .execute();
}

async function seconds(): Promise<Record<number, [number | null, number | null]>> {
  const rows = await db
    .selectFrom('log_visit')
    .select(['idvisit', 'visitor_seconds_since_last', 'visitor_seconds_since_first'])
    .orderBy('idvisit')
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.idvisit, [row.visitor_seconds_since_last, row.visitor_seconds_since_first]]),
  );
}

beforeAll(async () => {
  db = openDatabase(join(temp.dir, 'migrate.sqlite'));
  migrator = new Migrator({ db, provider: migrationProvider });
  const before = await migrator.migrateTo('2026-12-06T09-00-visit-coordinates');
  expect(before.error).toBeUndefined();
  const site = (name: string) => ({
    name,
    main_url: `https://${name}.example`,
    urls: '[]',
    ts_created: 0,
    timezone: 'UTC',
    currency: 'EUR',
    creator_login: 'admin',
  });
  await db
    .insertInto('sites')
    .values([site('a'), site('b')])
    .execute();
  // Visitor A in site 1: a first visit, one 90 s later (by whole seconds: 1000 s to 1090 s, though
  // only 89.9 s apart), one three days after that. Written out of order: ids do not decide.
  await visit(3, 1, A, 1_090_400 + 3 * DAY * 1000, 3);
  await visit(1, 1, A, 1_000_500, 1);
  await visit(2, 1, A, 1_090_400, 2);
  // The same visitor id in site 2 is another visitor there.
  await visit(4, 2, A, 1_050_000, 1);
  // Visitor B returns, but its earlier visits are not in the log.
  await visit(5, 1, B, 2_000_000, 3);
  await visit(6, 1, B, 2_000_000 + DAY * 1000, 4);
});
afterAll(async () => {
  await db.destroy();
  temp.remove();
});

describe('migration 2026-12-07T09-00-visitor-seconds-since', () => {
  test("fills each visit's seconds since the visitor's previous and first visit starts, in the same site", async () => {
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();
    expect(await seconds()).toEqual({
      1: [0, 0],
      2: [90, 90],
      3: [3 * DAY, 90 + 3 * DAY],
      4: [0, 0],
      // The previous visit is unknown, then known; the first one never is.
      5: [null, null],
      6: [DAY, null],
    });
  });

  test('down drops the columns', async () => {
    const { error } = await migrator.migrateTo('2026-12-06T09-00-visit-coordinates');
    expect(error).toBeUndefined();
    const columns = await db.introspection.getTables();
    const logVisit = columns.find((table) => table.name === 'log_visit');
    expect(logVisit?.columns.map((column) => column.name)).not.toContain('visitor_seconds_since_last');
    expect(logVisit?.columns.map((column) => column.name)).not.toContain('visitor_seconds_since_first');
  });
});
