import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../../test/analytics/analytics-fixture';
import type { Db } from '../../db/database';
import { dialectOf } from '../../db/dialect';
import { formatDay, isoWeekday } from '../calendar';
import { analyticsMethods } from '../index';
import { localDayOf, wallClock } from '../timezone';
import { EVENTS } from './catalog';
import { type DemoDataSummary, generateDemoData } from './generate-demo-data';

// Saturday 28 November 2026, 15:30 UTC.
const NOW = Date.parse('2026-11-28T15:30:00Z');
const ZONES = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'] as const;
const OPTIONS = { now: NOW, visitsPerDay: 60, annotationsBy: 'demo' };

let fixture: AnalyticsFixture;
let summary: DemoDataSummary;

async function withSites(): Promise<AnalyticsFixture> {
  const created = await AnalyticsFixture.create();
  for (const [index, zone] of ZONES.entries())
    await created.addSite(zone, `https://site${index + 1}.example`);
  return created;
}

/** A digest of every visit and action row, in id order. */
async function checksum(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for (const row of await db.selectFrom('log_visit').selectAll().orderBy('idvisit').execute()) {
    hash.update(JSON.stringify(row));
  }
  const actions = await db
    .selectFrom('log_link_visit_action as a')
    .innerJoin('log_action as u', 'u.idaction', 'a.idaction_url')
    .select(['a.idvisit', 'a.server_time', 'a.action_type', 'u.name', 'a.time_spent'])
    .orderBy('a.idlink_va')
    .execute();
  for (const row of actions) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

beforeAll(async () => {
  fixture = await withSites();
  summary = await generateDemoData(fixture.db, OPTIONS);
}, 60_000);
afterAll(async () => {
  await fixture.destroy();
});

describe('generateDemoData', () => {
  test('is deterministic: same seed, now and sites give the same rows; another seed does not', async () => {
    const again = await withSites();
    const other = await withSites();
    try {
      const second = await generateDemoData(again.db, OPTIONS);
      expect(second).toEqual(summary);
      expect(await checksum(again.db)).toBe(await checksum(fixture.db));
      await generateDemoData(other.db, { ...OPTIONS, seed: 7, days: 20 });
      await generateDemoData(again.db, { ...OPTIONS, days: 20 });
      expect(await checksum(other.db)).not.toBe(await checksum(again.db));
    } finally {
      await again.destroy();
      await other.destroy();
    }
  }, 60_000);

  test('running it again replaces the visits instead of adding to them', async () => {
    const copy = await withSites();
    try {
      await generateDemoData(copy.db, { ...OPTIONS, days: 10 });
      const first = await copy.db
        .selectFrom('log_visit')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      const rerun = await generateDemoData(copy.db, { ...OPTIONS, days: 10 });
      const second = await copy.db
        .selectFrom('log_visit')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      expect(Number(second?.n)).toBe(Number(first?.n));
      expect(rerun.visits).toBe(Number(second?.n));
    } finally {
      await copy.destroy();
    }
  }, 60_000);

  test('covers the last 180 days and today in every timezone, never after now', async () => {
    for (const [index, zone] of ZONES.entries()) {
      const idsite = index + 1;
      const range = await fixture.db
        .selectFrom('log_visit')
        .select((eb) => [
          eb.fn.min('visit_first_action_time').as('first'),
          eb.fn.max('visit_last_action_time').as('last'),
        ])
        .where('idsite', '=', idsite)
        .executeTakeFirstOrThrow();
      const today = localDayOf(NOW, zone);
      expect(localDayOf(Number(range.first), zone), zone).toBe(today - 180);
      expect(localDayOf(Number(range.last), zone), zone).toBe(today);
      expect(Number(range.last), zone).toBeLessThanOrEqual(NOW);
      expect(summary.sites[String(idsite)]).toMatchObject({
        firstDay: formatDay(today - 180),
        lastDay: formatDay(today),
      });
      const todays = await analyticsMethods['VisitsSummary.getVisits'].run(
        fixture.context('period=day&date=today', { ids: [idsite], now: NOW }),
      );
      expect((todays as { value: number }).value, zone).toBeGreaterThan(0);
    }
    // Tokyo's day began half an hour before "now": the demo still has someone on the site.
    for (const idsite of [1, 2, 3]) {
      const [counters] = await analyticsMethods['Live.getCounters'].run(
        fixture.context('lastMinutes=30', { ids: [idsite], now: NOW }),
      );
      expect(counters.visits).toBeGreaterThan(0);
    }
  });

  test("follows a daily cycle in each site's local time", async () => {
    for (const [index, zone] of ZONES.entries()) {
      const starts = await fixture.db
        .selectFrom('log_visit')
        .select('visit_first_action_time')
        .where('idsite', '=', index + 1)
        .execute();
      const byHour = new Array<number>(24).fill(0);
      for (const { visit_first_action_time: at } of starts) {
        const hour = new Date(wallClock(Number(at), zone)).getUTCHours();
        byHour[hour] = (byHour[hour] ?? 0) + 1;
      }
      const night = (byHour[2] ?? 0) + (byHour[3] ?? 0) + (byHour[4] ?? 0);
      const morning = (byHour[10] ?? 0) + (byHour[11] ?? 0) + (byHour[12] ?? 0);
      expect(morning, zone).toBeGreaterThan(night * 5);
    }
  });

  test('has weekly seasonality and a growth trend', async () => {
    const daily = await analyticsMethods['VisitsSummary.getVisits'].run(
      fixture.context('period=day&date=last181', { ids: [1], now: NOW }),
    );
    const perDay = Object.entries(daily as Record<string, number>).slice(0, -1);
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    const weekday = perDay.filter(([label]) => isoWeekday(dayOf(label)) <= 5).map(([, n]) => n);
    const weekend = perDay.filter(([label]) => isoWeekday(dayOf(label)) >= 6).map(([, n]) => n);
    expect(mean(weekday)).toBeGreaterThan(mean(weekend) * 1.3);
    const firstMonth = mean(perDay.slice(0, 30).map(([, n]) => n));
    const lastMonth = mean(perDay.slice(-30).map(([, n]) => n));
    expect(lastMonth).toBeGreaterThan(firstMonth * 1.4);
  });

  test('has every referrer type, bounces, returning visitors and every kind of action', async () => {
    const types = await analyticsMethods['Referrers.getReferrerType'].run(
      fixture.context('period=range&date=last180&expanded=1', { ids: [1], now: NOW }),
    );
    const rows = types as { label: string; subtable?: { label: string }[] }[];
    expect(rows.map((row) => row.label).sort()).toEqual([
      'Campaigns',
      'Direct Entry',
      'Search Engines',
      'Social Networks',
      'Websites',
    ]);
    // As in Matomo, the search type's subtable is getKeywords: most engines hide the keyword.
    const keywords = rows.find((row) => row.label === 'Search Engines')?.subtable?.map((row) => row.label);
    expect(keywords).toEqual(expect.arrayContaining(['Keyword not defined', 'matomo oauth']));
    const engines = (await analyticsMethods['Referrers.getSearchEngines'].run(
      fixture.context('period=range&date=last180', { ids: [1], now: NOW }),
    )) as { label: string }[];
    expect(engines.map((row) => row.label)).toEqual(expect.arrayContaining(['Google', 'Bing', 'DuckDuckGo']));

    const total = await analyticsMethods['VisitsSummary.get'].run(
      fixture.context('period=month&date=today', { ids: [1], now: NOW }),
    );
    const visits = total as { nb_visits: number; bounce_count: number; nb_uniq_visitors: number };
    expect(visits.bounce_count / visits.nb_visits).toBeGreaterThan(0.25);
    expect(visits.bounce_count / visits.nb_visits).toBeLessThan(0.6);
    // Unique visitors are reported per day, week and month only (as Matomo): in a month, some
    // visitors come back.
    expect(visits.nb_uniq_visitors).toBeLessThan(visits.nb_visits);

    const actions = await analyticsMethods['Actions.get'].run(
      fixture.context('period=range&date=last180', { ids: [1], now: NOW }),
    );
    expect(actions).toMatchObject({
      nb_downloads: expect.any(Number),
      nb_outlinks: expect.any(Number),
      nb_searches: expect.any(Number),
    });
    const counts = actions as {
      nb_downloads: number;
      nb_outlinks: number;
      nb_searches: number;
      nb_keywords: number;
    };
    expect(Math.min(counts.nb_downloads, counts.nb_outlinks, counts.nb_searches)).toBeGreaterThan(0);
    expect(counts.nb_keywords).toBeGreaterThan(3);
  });

  test('a page tree with nested folders, and audiences by timezone', async () => {
    const pages = await analyticsMethods['Actions.getPageUrls'].run(
      fixture.context('period=month&date=today&expanded=1', { ids: [1], now: NOW }),
    );
    const top = pages as { label: string; subtable?: { label: string; subtable?: unknown[] }[] }[];
    const blog = top.find((row) => row.label === 'blog');
    expect(blog?.subtable?.map((row) => row.label)).toEqual(
      expect.arrayContaining(['2025', '2026', '/index']),
    );
    expect(
      top.find((row) => row.label === 'docs')?.subtable?.find((row) => row.label === 'api')?.subtable?.length,
    ).toBeGreaterThan(1);

    const countries = await analyticsMethods['UserCountry.getCountry'].run(
      fixture.context('period=month&date=today', { ids: [1, 2, 3], now: NOW }),
    );
    const topCountry = (idsite: string) =>
      (countries as Record<string, { code: string }[]>)[idsite]?.[0]?.code;
    expect([topCountry('1'), topCountry('2'), topCountry('3')]).toEqual(['de', 'jp', 'us']);

    const devices = await analyticsMethods['DevicesDetection.getType'].run(
      fixture.context('period=range&date=last180', { ids: [1], now: NOW }),
    );
    expect((devices as { label: string }[]).map((row) => row.label)).toEqual(
      expect.arrayContaining(['Desktop', 'Smartphone', 'Tablet']),
    );
  });

  test('entry and exit pages are the first and last page views', async () => {
    const sample = await fixture.db.selectFrom('log_visit').selectAll().where('idvisit', '<=', 200).execute();
    for (const visit of sample) {
      const views = await fixture.db
        .selectFrom('log_link_visit_action')
        .select(['idaction_url', 'action_type', 'server_time'])
        .where('idvisit', '=', visit.idvisit)
        .orderBy('idlink_va')
        .execute();
      const pages = views.filter((view) => view.action_type === 'action');
      // Events count as actions, as in Matomo.
      expect(views).toHaveLength(visit.visit_total_actions);
      expect(visit.entry_idaction_url).toBe(pages[0]?.idaction_url);
      expect(visit.exit_idaction_url).toBe(pages[pages.length - 1]?.idaction_url);
      expect(Number(visit.visit_last_action_time)).toBe(Number(views[views.length - 1]?.server_time));
    }
  });

  test('adds events after page views, never as the last action, from the demo catalog', async () => {
    const rows = await fixture.db
      .selectFrom('log_link_visit_action as e')
      .innerJoin('log_action as c', 'c.idaction', 'e.idaction_event_category')
      .innerJoin('log_action as a', 'a.idaction', 'e.idaction_event_action')
      .leftJoin('log_action as n', 'n.idaction', 'e.idaction_name')
      .select([
        'e.idvisit',
        'e.server_time',
        'e.custom_float',
        'c.name as category',
        'a.name as action',
        'n.name',
      ])
      // The value's storage type: a float (SQLite could store an integer in a `real` column).
      .select(
        dialectOf(fixture.db) === 'sqlite'
          ? sql<string>`typeof(e.custom_float)`.as('value_type')
          : sql<string>`case when e.custom_float is null then 'null' else 'real' end`.as('value_type'),
      )
      .where('e.action_type', '=', 'event')
      .execute();
    const visits = await fixture.db.selectFrom('log_visit').select('idvisit').execute();
    // About one visit in six with two or more actions: some hundreds here, on a few visits.
    expect(rows.length).toBeGreaterThan(50);
    expect(new Set(rows.map((row) => row.idvisit)).size).toBeLessThan(visits.length / 5);
    const known = new Set(
      EVENTS.map(([category, action, name, value]) => `${category}/${action}/${name}/${value}`),
    );
    for (const row of rows.slice(0, 500)) {
      expect(known.has(`${row.category}/${row.action}/${row.name}/${row.custom_float}`)).toBe(true);
      expect(row.value_type).toBe(row.custom_float === null ? 'null' : 'real');
      const later = await fixture.db
        .selectFrom('log_link_visit_action')
        .select('action_type')
        .where('idvisit', '=', row.idvisit)
        .where('action_type', '!=', 'event')
        .where('server_time', '>', row.server_time)
        .executeTakeFirst();
      expect(later).toBeDefined();
    }
  });

  test("fills resolution, language, city, region and local time, plausibly for the visitor's country", async () => {
    const visits = await fixture.db.selectFrom('log_visit').selectAll().where('idsite', '=', 1).execute();
    const known = visits.filter((visit) => visit.location_country !== 'xx');
    expect(known.every((visit) => visit.location_city !== null && visit.location_region !== null)).toBe(true);
    expect(visits.every((visit) => /^([0-9]+x[0-9]+|unknown)$/.test(visit.config_resolution))).toBe(true);
    expect(
      visits.every((visit) =>
        /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/.test(visit.visitor_localtime ?? ''),
      ),
    ).toBe(true);
    const german = known.filter((visit) => visit.location_country === 'de');
    const germanCities = new Set(german.map((visit) => visit.location_city));
    expect([...germanCities].sort()).toEqual(['Berlin', 'Cologne', 'Hamburg', 'Munich']);
    const speakGerman = german.filter((visit) => visit.location_browser_lang.startsWith('de'));
    expect(speakGerman.length / german.length).toBeGreaterThan(0.7);
    // Site 2's audience is mostly in Tokyo: its visitors' local time is the site's own.
    const tokyo = await fixture.db
      .selectFrom('log_visit')
      .select(['visit_first_action_time', 'visitor_localtime'])
      .where('location_city', '=', 'Tokyo')
      .limit(50)
      .execute();
    expect(tokyo.length).toBeGreaterThan(0);
    for (const visit of tokyo) {
      const wall = new Date(wallClock(Number(visit.visit_first_action_time), 'Asia/Tokyo'));
      expect(visit.visitor_localtime).toBe(wall.toISOString().slice(11, 19));
    }
    const resolutions = await analyticsMethods['Resolution.getResolution'].run(
      fixture.context('period=month&date=today', { ids: [1], now: NOW }),
    );
    expect((resolutions as { label: string }[])[0]?.label).toBe('1920x1080');
  });

  test("gives each visit its city's coordinates, and none without a city", async () => {
    const visits = await fixture.db
      .selectFrom('log_visit')
      .select(['location_city', 'location_latitude', 'location_longitude'])
      .execute();
    // Berlin is at 52.52 N, 13.405 E; Sydney at 33.8688 S, 151.2093 E.
    const at = (city: string) => visits.find((visit) => visit.location_city === city);
    expect(at('Berlin')).toMatchObject({ location_latitude: 52.52, location_longitude: 13.405 });
    expect(at('Sydney')).toMatchObject({ location_latitude: -33.8688, location_longitude: 151.2093 });
    for (const visit of visits) {
      expect(visit.location_latitude === null, String(visit.location_city)).toBe(
        visit.location_city === null,
      );
    }
  });

  test("counts each visit's seconds since the visitor's previous and first visits started", async () => {
    const visits = await fixture.db
      .selectFrom('log_visit')
      .select([
        'idsite',
        'visitor_id',
        'visit_first_action_time',
        'visitor_seconds_since_last',
        'visitor_seconds_since_first',
      ])
      .orderBy('visit_first_action_time')
      .orderBy('idvisit')
      .execute();
    const seen = new Map<string, { first: number; last: number }>();
    let days = 0;
    for (const visit of visits) {
      const key = `${visit.idsite}/${visit.visitor_id}`;
      const start = Math.floor(visit.visit_first_action_time / 1000);
      const before = seen.get(key);
      // Matomo's timestamps are whole seconds: a new visitor has 0 and 0.
      expect([visit.visitor_seconds_since_last, visit.visitor_seconds_since_first], key).toEqual(
        before ? [start - before.last, start - before.first] : [0, 0],
      );
      if ((visit.visitor_seconds_since_last ?? 0) >= 86_400) days++;
      seen.set(key, { first: before?.first ?? start, last: start });
    }
    // Some come back the same day, some days later.
    expect(days).toBeGreaterThan(0);
    expect(
      visits.some(
        (visit) =>
          (visit.visitor_seconds_since_last ?? 0) > 0 && (visit.visitor_seconds_since_last ?? 0) < 86_400,
      ),
    ).toBe(true);
  });

  test('adds a few annotations', async () => {
    const notes = (await analyticsMethods['Annotations.getAll'].run(
      fixture.context('', { ids: [1], now: NOW }),
    )) as Record<string, { note: string }[]>;
    expect(notes['1']?.length).toBeGreaterThanOrEqual(3);
    expect(notes['1']?.some((note) => note.note === 'Newsletter sent')).toBe(true);
  });
});

function dayOf(label: string): number {
  return Math.floor(Date.parse(`${label}T00:00:00Z`) / 86_400_000);
}
