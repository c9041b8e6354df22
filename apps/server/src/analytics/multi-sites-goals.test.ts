import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useGoalsDataset } from '../../test/analytics/goals-dataset';
import type { ResultOf } from './context';
import { analyticsMethods } from './index';

// MultiSites over test/analytics/goals-dataset.ts, by hand. Tue 24 against Mon 23 (ratio 1, both
// over): site 1 (ecommerce) 3 visits (s2, s3, s4), 1 + 2 + 4 = 7 actions, 1 + 2 + 2 page views
// and s6's first one (page views count at their own time): 6, revenue 55, 6 conversions; Mon: 1 visit, 3 actions, 3 page views, 30, 2 conversions.
// Site 2: 1 visit, 1 action, 1 page view, 2.5, 1 conversion; Mon nothing. Site 3: nothing.
// Columns and order as tests/PHPUnit/System/expected/test_ImportLogs_withEnhancedAndLast7__MultiSites.getAll_month.xml.

const { fixture } = useGoalsDataset();
const ALL_SITES: ContextOptions = { ids: [1, 2, 3], multiple: true };

function getAll(query: string): Promise<ResultOf<'MultiSites.getAll'>> {
  return analyticsMethods['MultiSites.getAll'].run(fixture.context(query, ALL_SITES));
}

function getOne(query: string, idSite: number): Promise<ResultOf<'MultiSites.getOne'>> {
  return analyticsMethods['MultiSites.getOne'].run(fixture.context(query, { ids: [idSite] }));
}

const SHOP_ENHANCED = {
  label: 'https://shop.example',
  nb_visits: 3,
  nb_actions: 7,
  nb_pageviews: 6,
  revenue: 55,
  nb_conversions: 6,
  orders: 0,
  ecommerce_revenue: 0,
  visits_evolution: '200%',
  visits_evolution_trend: 1,
  actions_evolution: '133.3%',
  actions_evolution_trend: 1,
  pageviews_evolution: '100%',
  pageviews_evolution_trend: 1,
  revenue_evolution: '83.3%',
  revenue_evolution_trend: 1,
  nb_conversions_evolution: '200%',
  nb_conversions_evolution_trend: 1,
  orders_evolution: '0%',
  orders_evolution_trend: 0,
  ecommerce_revenue_evolution: '0%',
  ecommerce_revenue_evolution_trend: 0,
  idsite: 1,
  ratio: 1,
  currencySymbol: '€',
  previous_nb_visits: 1,
  periodName: 'day',
  previousRange: 'Mon, Nov 23',
  previous_nb_actions: 3,
  previous_Actions_nb_pageviews: 3,
  previous_Goal_revenue: 30,
  previous_Goal_nb_conversions: 2,
  previous_Goal_0_nb_conversions: 0,
  previous_Goal_0_revenue: 0,
  group: '',
  main_url: 'https://shop.example',
};

describe('MultiSites revenue from conversions', () => {
  test('revenue is every goal’s conversion revenue, and its evolution follows', async () => {
    const [shop, blog] = (await getAll('period=day&date=2026-11-24')) as Record<string, unknown>[];
    expect(shop).toMatchObject({ label: 'https://shop.example', revenue: 55, revenue_evolution: '83.3%' });
    expect(shop).not.toHaveProperty('nb_conversions');
    expect(blog).toMatchObject({ label: 'https://blog.example', revenue: 2.5, revenue_evolution: '100%' });
  });
});

describe('MultiSites.getAll enhanced=1', () => {
  test('adds conversions, and orders and ecommerce revenue on ecommerce sites, with evolutions; keeps sites without visits', async () => {
    const rows = (await getAll('period=day&date=2026-11-24&enhanced=1')) as Record<string, unknown>[];
    expect(rows.map((row) => row.label)).toEqual([
      'https://shop.example',
      'https://blog.example',
      'https://empty.example',
    ]);
    expect(rows[0]).toEqual(SHOP_ENHANCED);
    expect(Object.keys(rows[0] ?? {})).toEqual(Object.keys(SHOP_ENHANCED));
    // Not an ecommerce site: no orders or ecommerce revenue (Matomo's EcommerceOnlyEvolutionMetric).
    expect(rows[1]).toEqual({
      label: 'https://blog.example',
      nb_visits: 1,
      nb_actions: 1,
      nb_pageviews: 1,
      revenue: 2.5,
      nb_conversions: 1,
      visits_evolution: '100%',
      visits_evolution_trend: 1,
      actions_evolution: '100%',
      actions_evolution_trend: 1,
      pageviews_evolution: '100%',
      pageviews_evolution_trend: 1,
      revenue_evolution: '100%',
      revenue_evolution_trend: 1,
      nb_conversions_evolution: '100%',
      nb_conversions_evolution_trend: 1,
      idsite: 2,
      ratio: 1,
      currencySymbol: '€',
      previous_nb_visits: 0,
      periodName: 'day',
      previousRange: 'Mon, Nov 23',
      previous_nb_actions: 0,
      previous_Actions_nb_pageviews: 0,
      previous_Goal_revenue: 0,
      previous_Goal_nb_conversions: 0,
      group: '',
      main_url: 'https://blog.example',
    });
    expect(rows[2]).toMatchObject({ nb_visits: 0, nb_conversions: 0, visits_evolution: '0%' });
  });

  test('without evolutions (lastN) every site shows orders and ecommerce revenue', async () => {
    const byDay = (await getAll('period=day&date=last2&enhanced=1')) as Record<
      string,
      Record<string, unknown>[]
    >;
    expect(byDay['2026-11-24']?.find((row) => row.idsite === 2)).toEqual({
      label: 'https://blog.example',
      nb_visits: 1,
      nb_actions: 1,
      nb_pageviews: 1,
      revenue: 2.5,
      nb_conversions: 1,
      orders: 0,
      ecommerce_revenue: 0,
      idsite: 2,
      group: '',
      main_url: 'https://blog.example',
    });
    // Wed 25: site 1 has s5 and s6 (no conversion on Wednesday).
    expect(byDay['2026-11-25']?.[0]).toMatchObject({
      idsite: 1,
      nb_visits: 2,
      nb_conversions: 0,
      revenue: 0,
    });
  });

  test('format_metrics=0 writes the added evolutions as quotients; enhanced=0 is off', async () => {
    const [shop] = (await getAll('period=day&date=2026-11-24&enhanced=1&format_metrics=0')) as Record<
      string,
      unknown
    >[];
    expect(shop).toMatchObject({
      nb_conversions_evolution: 2,
      orders_evolution: 0,
      revenue_evolution: 0.833,
    });
    const plain = (await getAll('period=day&date=2026-11-24&enhanced=0')) as Record<string, unknown>[];
    expect(plain).toHaveLength(2);
    expect(plain[0]).not.toHaveProperty('nb_conversions');
  });
});

describe('MultiSites.getAll pattern', () => {
  test('keeps the sites whose name, URL or group contains it, case-insensitively, or whose id it is', async () => {
    const labels = async (query: string) =>
      ((await getAll(`period=day&date=2026-11-24&${query}`)) as { label: string }[]).map((row) => row.label);
    expect(await labels('pattern=blog')).toEqual(['https://blog.example']);
    expect(await labels('pattern=SHOP')).toEqual(['https://shop.example']);
    expect(await labels('pattern=example')).toEqual(['https://shop.example', 'https://blog.example']);
    expect(await labels('pattern=2')).toEqual(['https://blog.example']);
    // LIKE wildcards are Matomo's too: `_` is any one character.
    expect(await labels('pattern=sh_p')).toEqual(['https://shop.example']);
    expect(await labels('pattern=3&enhanced=1')).toEqual(['https://empty.example']);
    // PHP's empty(): '' and '0' keep every site.
    expect(await labels('pattern=0')).toEqual(['https://shop.example', 'https://blog.example']);
  });

  test('no site matching is [] whatever the date', async () => {
    expect(await getAll('period=day&date=2026-11-24&pattern=nothing')).toEqual([]);
    expect(await getAll('period=day&date=last3&pattern=nothing')).toEqual([]);
  });
});

describe('MultiSites.getOne enhanced=1', () => {
  test('the renamed records after the evolutions, as Matomo orders a one-row table', async () => {
    const record = await getOne('period=day&date=2026-11-24&enhanced=1', 2);
    expect(Object.keys(record)).toEqual([
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
      'nb_conversions_evolution',
      'nb_conversions_evolution_trend',
      'nb_pageviews',
      'revenue',
      'nb_conversions',
    ]);
    expect(record).toMatchObject({ nb_pageviews: 1, revenue: 2.5, nb_conversions: 1 });
    expect(await getOne('period=day&date=2026-11-24&enhanced=1', 1)).toMatchObject({
      orders_evolution: '0%',
      revenue: 55,
      nb_conversions: 6,
      orders: 0,
      ecommerce_revenue: 0,
    });
  });
});
