import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../database';
import { migrationProvider } from './index';

const temp = makeTempDir();
let db: Db;
let migrator: Migrator;

/** A visit as the writers before this migration stored it: `pages` page views, events not counted. */
async function visitWith(idvisit: number, pages: number, events: number): Promise<void> {
  await db
    .insertInto('log_visit')
    .values({
      idvisit,
      idsite: 1,
      visitor_id: 'aaaaaaaaaaaaaaaa',
      visit_first_action_time: 1000,
      visit_last_action_time: 1000 + (pages - 1) * 10_000,
      visit_total_actions: pages,
      visit_total_time: (pages - 1) * 10,
      visitor_returning: 0,
      visitor_count_visits: 1,
      referrer_type: 'direct',
      referrer_name: null,
      referrer_keyword: null,
      referrer_url: null,
      location_country: 'xx',
      device_type: 'Desktop',
      browser_name: 'Firefox',
      os_name: 'GNU/Linux',
      location_ip: '198.51.100.0',
      entry_idaction_url: 1,
      exit_idaction_url: 1,
      config_resolution: 'unknown',
      location_browser_lang: 'xx',
      location_city: null,
      location_region: null,
      visitor_localtime: null,
    })
    .execute();
  const row = (type: 'action' | 'event', at: number) => ({
    idvisit,
    idsite: 1,
    visitor_id: 'aaaaaaaaaaaaaaaa',
    server_time: at,
    action_type: type,
    idaction_url: 1,
    time_spent: 0,
    idaction_event_category: type === 'event' ? 2 : null,
    idaction_event_action: type === 'event' ? 3 : null,
    idaction_name: null,
    custom_float: null,
  });
  const rows = [
    ...Array.from({ length: pages }, (_, index) => row('action', 1000 + index * 10_000)),
    ...Array.from({ length: events }, () => row('event', 1000)),
  ];
  await db.insertInto('log_link_visit_action').values(rows).execute();
}

async function totals(): Promise<Record<number, [number, number]>> {
  const rows = await db
    .selectFrom('log_visit')
    .select(['idvisit', 'visit_total_actions', 'visit_total_time'])
    .orderBy('idvisit')
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.idvisit, [row.visit_total_actions, row.visit_total_time]]),
  );
}

beforeAll(async () => {
  db = openDatabase(join(temp.dir, 'migrate.sqlite'));
  migrator = new Migrator({ db, provider: migrationProvider });
  const before = await migrator.migrateTo('2026-12-04T09-00-goals');
  expect(before.error).toBeUndefined();
  await db
    .insertInto('sites')
    .values({
      name: 'a',
      main_url: 'https://a.example',
      urls: '[]',
      ts_created: 0,
      timezone: 'UTC',
      currency: 'EUR',
      creator_login: 'admin',
    })
    .execute();
  await db
    .insertInto('log_action')
    .values([
      { type: 'page', name: '/', title: null, parent_idaction: null },
      { type: 'event_category', name: 'Videos', title: null, parent_idaction: null },
      { type: 'event_action', name: 'Play', title: null, parent_idaction: null },
    ])
    .execute();
  await visitWith(1, 1, 1);
  await visitWith(2, 2, 3);
  await visitWith(3, 2, 0);
});
afterAll(async () => {
  await db.destroy();
  temp.remove();
});

describe('migration 2026-12-05T09-00-event-actions', () => {
  test("adds each visit's events to its actions (a page view and an event is no bounce); times stay", async () => {
    expect(await totals()).toEqual({ 1: [1, 0], 2: [2, 10], 3: [2, 10] });
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();
    expect(await totals()).toEqual({ 1: [2, 0], 2: [5, 10], 3: [2, 10] });
  });

  test('down takes them out again', async () => {
    const { error } = await migrator.migrateTo('2026-12-04T09-00-goals');
    expect(error).toBeUndefined();
    expect(await totals()).toEqual({ 1: [1, 0], 2: [2, 10], 3: [2, 10] });
  });
});
