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
