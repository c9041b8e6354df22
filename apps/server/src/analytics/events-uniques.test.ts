import { beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../test/analytics/analytics-fixture';
import { analyticsMethods } from './index';

/*
 * One site in Africa/Johannesburg (UTC+2 all year), week of Monday 2026-11-23 (local days):
 *   x1  X  Mon 23 22:30 UTC (Tue 00:30)  Videos/Play/intro
 *   x2  X  Tue 24 20:00 UTC (Tue 22:00)  Videos/Play/intro
 *   y1  Y  Tue 24 10:00 UTC (Tue 12:00)  Videos/Play/intro
 *   x3  X  Wed 25 08:00 UTC (Wed 10:00)  Videos/Pause/intro
 * Matomo archives events per day and sums the days (test_ImportLogs__Events.getCategory_month:
 * `sum_daily_nb_uniq_visitors` after `max_event_value`, on parent and subtable rows; a day's
 * rows start with `nb_uniq_visitors`, test_CustomEvents__Events.getCategory_day). Videos over
 * the week: X on Tuesday and Wednesday, Y on Tuesday, so 3 (2 distinct visitors, 4 by UTC days);
 * Play: X and Y on Tuesday, 2 (3 by UTC days).
 */
const fixture = AnalyticsFixture.forTests();
let site: number;
const X = '1010101010101010';
const Y = '2020202020202020';

beforeAll(async () => {
  site = await fixture.addSite('Africa/Johannesburg', 'https://events.example');
  const visit = (visitor: string, at: string, action: string) => ({
    idsite: site,
    visitor,
    actions: [{ at, page: '/' }],
    events: [
      { at: new Date(Date.parse(at) + 10_000).toISOString(), category: 'Videos', action, name: 'intro' },
    ],
  });
  await fixture.record(
    visit(X, '2026-11-23T22:30:00Z', 'Play'),
    visit(X, '2026-11-24T20:00:00Z', 'Play'),
    visit(Y, '2026-11-24T10:00:00Z', 'Play'),
    visit(X, '2026-11-25T08:00:00Z', 'Pause'),
  );
});

type Method = 'Events.getCategory' | 'Events.getAction' | 'Events.getActionFromCategoryId';

async function rows(method: Method, query: string): Promise<Record<string, unknown>[]> {
  return (await analyticsMethods[method].run(fixture.context(query, { ids: [site] }))) as Record<
    string,
    unknown
  >[];
}

const noValue = { nb_events_with_value: 0, sum_event_value: 0, min_event_value: null, max_event_value: null };

describe('Events unique visitors', () => {
  test('a day counts distinct visitors, first, on parent and subtable rows', async () => {
    const [videos] = await rows('Events.getCategory', 'period=day&date=2026-11-24&expanded=1');
    expect(Object.keys(videos ?? {})).toEqual([
      'label',
      'nb_uniq_visitors',
      'nb_visits',
      'nb_events',
      'nb_events_with_value',
      'sum_event_value',
      'min_event_value',
      'max_event_value',
      'avg_event_value',
      'segment',
      'idsubdatatable',
      'subtable',
    ]);
    expect(videos).toMatchObject({ label: 'Videos', nb_uniq_visitors: 2, nb_visits: 3, nb_events: 3 });
    expect(videos?.subtable).toEqual([
      { label: 'Play', nb_uniq_visitors: 2, nb_visits: 3, nb_events: 3, ...noValue, avg_event_value: 0 },
    ]);
  });

  test('a week sums the daily unique visitors of local days, after the summed columns', async () => {
    const [videos] = await rows('Events.getCategory', 'period=week&date=2026-11-23&expanded=1');
    expect(Object.keys(videos ?? {}).slice(0, 9)).toEqual([
      'label',
      'nb_visits',
      'nb_events',
      'nb_events_with_value',
      'sum_event_value',
      'min_event_value',
      'max_event_value',
      'sum_daily_nb_uniq_visitors',
      'avg_event_value',
    ]);
    expect(videos).not.toHaveProperty('nb_uniq_visitors');
    expect(videos).toMatchObject({ nb_visits: 4, nb_events: 4, sum_daily_nb_uniq_visitors: 3 });
    expect(videos?.subtable).toEqual([
      {
        label: 'Play',
        nb_visits: 3,
        nb_events: 3,
        ...noValue,
        sum_daily_nb_uniq_visitors: 2,
        avg_event_value: 0,
      },
      {
        label: 'Pause',
        nb_visits: 1,
        nb_events: 1,
        ...noValue,
        sum_daily_nb_uniq_visitors: 1,
        avg_event_value: 0,
      },
    ]);
  });

  test('month, year and range too; subtable methods and flat rows alike', async () => {
    for (const query of [
      'period=month&date=2026-11-23',
      'period=year&date=2026-11-23',
      'period=range&date=2026-11-20,2026-11-30',
    ]) {
      const [play] = await rows('Events.getAction', query);
      expect(play).toMatchObject({ label: 'Play', nb_visits: 3, sum_daily_nb_uniq_visitors: 2 });
      expect(play).not.toHaveProperty('nb_uniq_visitors');
    }
    const [videos] = await rows('Events.getCategory', 'period=week&date=2026-11-23');
    const id = videos?.idsubdatatable as number;
    expect(
      await rows('Events.getActionFromCategoryId', `period=week&date=2026-11-23&idSubtable=${id}`),
    ).toEqual([
      expect.objectContaining({ label: 'Play', sum_daily_nb_uniq_visitors: 2 }),
      expect.objectContaining({ label: 'Pause', sum_daily_nb_uniq_visitors: 1 }),
    ]);
    expect(
      await rows('Events.getActionFromCategoryId', `period=day&date=2026-11-24&idSubtable=${id}`),
    ).toEqual([expect.objectContaining({ label: 'Play', nb_uniq_visitors: 2, nb_visits: 3 })]);
    const flat = await rows('Events.getCategory', 'period=week&date=2026-11-23&flat=1');
    expect(flat.map((row) => [row.label, row.sum_daily_nb_uniq_visitors])).toEqual([
      ['Videos - Play', 2],
      ['Videos - Pause', 1],
    ]);
  });
});

describe('Events visits on a longer period', () => {
  test('a visit with events on two local days counts on each, from day archives and from the logs alike', async () => {
    // Z's one visit, Africa/Johannesburg (UTC+2): an event on Monday 23:55 and one on Tuesday 00:10.
    const idsite = await fixture.addSite('Africa/Johannesburg', 'https://midnight.example');
    await fixture.record({
      idsite,
      visitor: '3030303030303030',
      actions: [{ at: '2026-11-23T21:50:00Z', page: '/' }],
      events: [
        { at: '2026-11-23T21:55:00Z', category: 'Videos', action: 'Play', name: 'intro', value: 1 },
        { at: '2026-11-23T22:10:00Z', category: 'Videos', action: 'Play', name: 'intro', value: 2 },
      ],
    });
    for (const archives of [true, false]) {
      const ask = async (query: string) =>
        (await analyticsMethods['Events.getCategory'].run({
          ...fixture.context(query, { ids: [idsite] }),
          archives,
        })) as Record<string, unknown>[];
      const [week] = await ask('period=week&date=2026-11-23&expanded=1');
      expect(week).toMatchObject({
        nb_visits: 2,
        nb_events: 2,
        sum_event_value: 3,
        sum_daily_nb_uniq_visitors: 2,
      });
      expect(week?.subtable).toEqual([expect.objectContaining({ label: 'Play', nb_visits: 2 })]);
      for (const day of ['2026-11-23', '2026-11-24']) {
        const [one] = await ask(`period=day&date=${day}`);
        expect(one).toMatchObject({ nb_visits: 1, nb_events: 1, nb_uniq_visitors: 1 });
      }
    }
  });
});

describe('Events pairs from day archives', () => {
  test('a pair of dimensions archived for one report serves the other orientation, as the logs give it', async () => {
    const idsite = await fixture.addSite('UTC', 'https://pairs.example');
    const event = (at: string, category: string, action: string) => ({ at, category, action, name: 'n' });
    await fixture.record(
      {
        idsite,
        visitor: '4040404040404040',
        actions: [{ at: '2026-11-20T10:00:00Z', page: '/' }],
        events: [
          event('2026-11-20T10:01:00Z', 'Videos', 'Play'),
          event('2026-11-20T10:02:00Z', 'Videos', 'Pause'),
          event('2026-11-20T10:03:00Z', 'Forms', 'Play'),
        ],
      },
      {
        idsite,
        visitor: '5050505050505050',
        actions: [{ at: '2026-11-21T10:00:00Z', page: '/' }],
        events: [event('2026-11-21T10:01:00Z', 'Videos', 'Play')],
      },
    );
    const ask = async (method: 'Events.getCategory' | 'Events.getAction', query: string, archives: boolean) =>
      analyticsMethods[method].run({
        ...fixture.context(`period=week&date=2026-11-20&expanded=1&${query}`, { ids: [idsite] }),
        archives,
      });
    // Category → action first (archives made), then action → category (the same archive read).
    for (const [method, query] of [
      ['Events.getCategory', 'secondaryDimension=eventAction'],
      ['Events.getAction', 'secondaryDimension=eventCategory'],
    ] as const) {
      expect(await ask(method, query, true)).toEqual(await ask(method, query, false));
    }
    const [play] = (await ask('Events.getAction', 'secondaryDimension=eventCategory', true)) as {
      label: string;
      subtable: { label: string; nb_events: number }[];
    }[];
    expect(play?.label).toBe('Play');
    expect(play?.subtable.map(({ label, nb_events }) => [label, nb_events])).toEqual([
      ['Videos', 2],
      ['Forms', 1],
    ]);
  });
});
