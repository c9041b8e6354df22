import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import type { ResultOf } from './context';
import { analyticsMethods } from './index';

// Expected values worked out by hand from the dataset (hand-built-dataset.ts); "now" is
// Wednesday 2026-11-25 12:00 UTC. Evolution = (current - previous × ratio) / (previous × ratio),
// rounded to 3 places; ratio = the elapsed share of the previous period while the current one runs.

const { fixture } = useHandBuiltDataset();
const ALL_SITES: ContextOptions = { ids: [1, 2, 3], multiple: true };

function getAll(query: string, options: ContextOptions = ALL_SITES): Promise<ResultOf<'MultiSites.getAll'>> {
  return analyticsMethods['MultiSites.getAll'].run(fixture.context(query, options));
}

function getOne(query: string): Promise<ResultOf<'MultiSites.getOne'>> {
  return analyticsMethods['MultiSites.getOne'].run(
    fixture.context(query, { ids: [Number(/idSite=(\d+)/.exec(query)?.[1])] }),
  );
}

const UTC_SITE = { group: '', main_url: 'https://utc.example' };
const PLUS2_SITE = { group: '', main_url: 'https://plus2.example/' };
const BERLIN_SITE = { group: '', main_url: 'https://berlin.example' };

describe('MultiSites.getAll', () => {
  test('a past day: one row per site with visits, evolutions against the day before, Matomo column order', async () => {
    // Site 1, Tue 24: v2 + v3 = 2 visits, 1 + 3 actions, 1 + 2 page views; Mon 23: v1, 7 actions (4 events), 2 page views.
    // Site 2, Tue 24 local: w2, 1 visit; Mon 23: nothing. Site 3: no visits, left out.
    const result = await getAll('period=day&date=2026-11-24');
    expect(result).toEqual([
      {
        label: 'https://utc.example',
        nb_visits: 2,
        nb_actions: 4,
        nb_pageviews: 3,
        revenue: 0,
        visits_evolution: '100%',
        visits_evolution_trend: 1,
        actions_evolution: '-42.9%',
        actions_evolution_trend: -1,
        pageviews_evolution: '50%',
        pageviews_evolution_trend: 1,
        revenue_evolution: '0%',
        revenue_evolution_trend: 0,
        idsite: 1,
        ratio: 1,
        currencySymbol: '€',
        previous_nb_visits: 1,
        periodName: 'day',
        previousRange: 'Mon, Nov 23',
        previous_nb_actions: 7,
        previous_Actions_nb_pageviews: 2,
        previous_Goal_revenue: 0,
        ...UTC_SITE,
      },
      {
        label: 'https://plus2.example/',
        nb_visits: 1,
        nb_actions: 1,
        nb_pageviews: 1,
        revenue: 0,
        visits_evolution: '100%',
        visits_evolution_trend: 1,
        actions_evolution: '100%',
        actions_evolution_trend: 1,
        pageviews_evolution: '100%',
        pageviews_evolution_trend: 1,
        revenue_evolution: '0%',
        revenue_evolution_trend: 0,
        idsite: 2,
        ratio: 1,
        currencySymbol: '€',
        previous_nb_visits: 0,
        periodName: 'day',
        previousRange: 'Mon, Nov 23',
        previous_nb_actions: 0,
        previous_Actions_nb_pageviews: 0,
        previous_Goal_revenue: 0,
        ...PLUS2_SITE,
      },
    ]);
    expect(Object.keys((result as object[])[0] as object)).toEqual([
      'label',
      'nb_visits',
      'nb_actions',
      'nb_pageviews',
      'revenue',
      'visits_evolution',
      'visits_evolution_trend',
      'actions_evolution',
      'actions_evolution_trend',
      'pageviews_evolution',
      'pageviews_evolution_trend',
      'revenue_evolution',
      'revenue_evolution_trend',
      'idsite',
      'ratio',
      'currencySymbol',
      'previous_nb_visits',
      'periodName',
      'previousRange',
      'previous_nb_actions',
      'previous_Actions_nb_pageviews',
      'previous_Goal_revenue',
      'group',
      'main_url',
    ]);
  });

  test('today: the previous day is scaled by the elapsed share of today (ratio 0.5 at noon), sorted by visits', async () => {
    // Site 2, Wed 25 local: w1 + w3 = 2 visits, 3 actions, 3 page views; Tue 24: 1 of each, × 0.5.
    // Site 1, Wed 25: v4, 1 of each; Tue 24: 2 visits, 4 actions, 3 page views, × 0.5.
    const result = (await getAll('period=day&date=today')) as Record<string, unknown>[];
    expect(result.map((row) => row.idsite)).toEqual([2, 1]);
    expect(result[0]).toMatchObject({
      nb_visits: 2,
      visits_evolution: '300%',
      actions_evolution: '500%',
      pageviews_evolution: '500%',
      ratio: 0.5,
      previous_nb_visits: 1,
      previousRange: 'Tue, Nov 24',
    });
    expect(result[1]).toMatchObject({
      nb_visits: 1,
      visits_evolution: '0%',
      visits_evolution_trend: 0,
      actions_evolution: '-50%',
      actions_evolution_trend: -1,
      pageviews_evolution: '-33.3%',
      pageviews_evolution_trend: -1,
      ratio: 0.5,
      previous_nb_visits: 2,
      previous_nb_actions: 4,
      previous_Actions_nb_pageviews: 3,
    });
  });

  test('the current year: fractional ratio, grouped thousands, previous year as "2025"', async () => {
    // Now is 328.5 days into 2026: ratio 28 382 400 / 31 535 999 = 0.9.
    // Site 1, 2026: v1..v5 = 5 visits, 15 actions (5 events), 7 page views; 2025: v6, 1 of each (× 0.9).
    const result = (await getAll('period=year&date=2026-06-01')) as Record<string, unknown>[];
    expect(result.map((row) => row.idsite)).toEqual([3, 1, 2]);
    expect(result[1]).toMatchObject({
      nb_visits: 5,
      nb_actions: 15,
      nb_pageviews: 7,
      visits_evolution: '455.6%',
      actions_evolution: '1,566.7%',
      pageviews_evolution: '677.8%',
      ratio: 0.9,
      periodName: 'year',
      previousRange: '2025',
      ...UTC_SITE,
    });
    expect(result[0]).toMatchObject({ nb_visits: 7, visits_evolution: '100%', ...BERLIN_SITE });
  });

  test('format_metrics=0 gives the raw quotients', async () => {
    const result = (await getAll('period=year&date=2026-06-01&format_metrics=0')) as Record<
      string,
      unknown
    >[];
    expect(result[1]).toMatchObject({
      visits_evolution: 4.556,
      actions_evolution: 15.667,
      revenue_evolution: 0,
    });
  });

  test('a week under way: ratio of the elapsed time, previous week as Matomo shortens it', async () => {
    // Week Nov 23–29 began 2.5 days ago: 216 000 / 604 799 = 0.357. Site 1: v1..v4; site 2: w1..w3.
    const result = (await getAll('period=week&date=2026-11-24')) as Record<string, unknown>[];
    expect(result).toMatchObject([
      {
        idsite: 1,
        nb_visits: 4,
        nb_actions: 12,
        nb_pageviews: 6,
        ratio: 0.357,
        previousRange: 'Nov 16\u2009–\u200922, 2026',
      },
      { idsite: 2, nb_visits: 3, nb_actions: 4, nb_pageviews: 4, ratio: 0.357, periodName: 'week' },
    ]);
  });

  test('a range is compared with as many days just before it', async () => {
    const result = (await getAll('period=range&date=2026-10-31,2026-11-01')) as Record<string, unknown>[];
    // Site 1, Nov 1: v5 (3 actions with its event, 1 page view); the range Oct 29–30 before it: nothing.
    expect(result).toEqual([
      expect.objectContaining({
        idsite: 1,
        nb_visits: 1,
        nb_actions: 3,
        nb_pageviews: 1,
        periodName: 'range',
        previousRange: 'Oct 29\u2009–\u200930, 2026',
        ratio: 1,
      }),
    ]);
  });

  test('lastN: every period keyed by label, and no evolution (Matomo computes none for lastN)', async () => {
    expect(await getAll('period=day&date=last2')).toEqual({
      '2026-11-24': [
        {
          label: 'https://utc.example',
          nb_visits: 2,
          nb_actions: 4,
          nb_pageviews: 3,
          revenue: 0,
          idsite: 1,
          ...UTC_SITE,
        },
        {
          label: 'https://plus2.example/',
          nb_visits: 1,
          nb_actions: 1,
          nb_pageviews: 1,
          revenue: 0,
          idsite: 2,
          ...PLUS2_SITE,
        },
      ],
      '2026-11-25': [
        {
          label: 'https://plus2.example/',
          nb_visits: 2,
          nb_actions: 3,
          nb_pageviews: 3,
          revenue: 0,
          idsite: 2,
          ...PLUS2_SITE,
        },
        {
          label: 'https://utc.example',
          nb_visits: 1,
          nb_actions: 1,
          nb_pageviews: 1,
          revenue: 0,
          idsite: 1,
          ...UTC_SITE,
        },
      ],
    });
  });

  test('a period without visits is an empty list', async () => {
    expect(await getAll('period=day&date=2026-11-20')).toEqual([]);
    expect(await getAll('period=day&date=2026-11-19,2026-11-20')).toEqual({
      '2026-11-19': [],
      '2026-11-20': [],
    });
  });

  test('generic filters: sort ascending, limit, and label by site name', async () => {
    const ids = async (query: string) =>
      ((await getAll(`period=day&date=today&${query}`)) as Record<string, unknown>[]).map(
        (row) => row.idsite,
      );
    expect(await ids('filter_sort_order=asc')).toEqual([1, 2]);
    expect(await ids('filter_limit=1')).toEqual([2]);
    expect(await ids('label=https%3A%2F%2Futc.example')).toEqual([1]);
  });

  test('a segment applies to the current and the previous period', async () => {
    // visitorType==returning: v2 (Tue 24, site 1) and w3 (Wed 25, site 2).
    const result = (await getAll('period=day&date=2026-11-24&segment=visitorType%3D%3Dreturning')) as Record<
      string,
      unknown
    >[];
    expect(result).toMatchObject([{ idsite: 1, nb_visits: 1, nb_actions: 1, previous_nb_visits: 0 }]);
  });
});

describe('MultiSites.getOne', () => {
  test("one site's totals as a bare record, in Matomo's order", async () => {
    const result = await getOne('idSite=1&period=day&date=2026-11-24');
    expect(result).toEqual({
      nb_visits: 2,
      nb_actions: 4,
      visits_evolution: '100%',
      visits_evolution_trend: 1,
      actions_evolution: '-42.9%',
      actions_evolution_trend: -1,
      pageviews_evolution: '50%',
      pageviews_evolution_trend: 1,
      revenue_evolution: '0%',
      revenue_evolution_trend: 0,
      nb_pageviews: 3,
      revenue: 0,
    });
    expect(Object.keys(result)).toEqual([
      'nb_visits',
      'nb_actions',
      'visits_evolution',
      'visits_evolution_trend',
      'actions_evolution',
      'actions_evolution_trend',
      'pageviews_evolution',
      'pageviews_evolution_trend',
      'revenue_evolution',
      'revenue_evolution_trend',
      'nb_pageviews',
      'revenue',
    ]);
  });

  test("no visits: zeros and 0% evolutions, as in Matomo's noVisit test", async () => {
    expect(await getOne('idSite=3&period=day&date=2026-11-24')).toEqual({
      nb_visits: 0,
      nb_actions: 0,
      visits_evolution: '0%',
      visits_evolution_trend: 0,
      actions_evolution: '0%',
      actions_evolution_trend: 0,
      pageviews_evolution: '0%',
      pageviews_evolution_trend: 0,
      revenue_evolution: '0%',
      revenue_evolution_trend: 0,
      nb_pageviews: 0,
      revenue: 0,
    });
  });

  test('several periods keyed by label, each with its own evolution; lastN without', async () => {
    const result = (await getOne('idSite=2&period=day&date=2026-11-24,2026-11-25')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(result)).toEqual(['2026-11-24', '2026-11-25']);
    expect(result['2026-11-24']).toMatchObject({ nb_visits: 1, visits_evolution: '100%' });
    expect(result['2026-11-25']).toMatchObject({ nb_visits: 2, visits_evolution: '300%' });
    expect(await getOne('idSite=2&period=day&date=last1')).toEqual({
      '2026-11-25': { nb_visits: 2, nb_actions: 3, nb_pageviews: 3, revenue: 0 },
    });
  });
});
