import type { components } from '@matomo-oauth2/sdk/openapi';
import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { expectShape, PERCENT, SHAPES } from '../../test/analytics/contract-keys';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import type { ResultOf } from './context';
import { analyticsMethods } from './index';

type VisitsSummary = components['schemas']['VisitsSummary'];

const { fixture } = useHandBuiltDataset();

function summary(query: string, options?: ContextOptions): Promise<ResultOf<'VisitsSummary.get'>> {
  return analyticsMethods['VisitsSummary.get'].run(fixture.context(query, options));
}

function visits(query: string, options?: ContextOptions): Promise<ResultOf<'VisitsSummary.getVisits'>> {
  return analyticsMethods['VisitsSummary.getVisits'].run(fixture.context(query, options));
}

const MON_23: VisitsSummary = {
  nb_uniq_visitors: 1,
  nb_users: 0,
  nb_visits: 1,
  nb_actions: 7,
  nb_visits_converted: 0,
  bounce_count: 0,
  sum_visit_length: 90,
  max_actions: 7,
  bounce_rate: '0%',
  nb_actions_per_visit: 7,
  avg_time_on_site: 90,
};
const TUE_24: VisitsSummary = {
  nb_uniq_visitors: 2,
  nb_users: 0,
  nb_visits: 2,
  nb_actions: 4,
  nb_visits_converted: 0,
  bounce_count: 1,
  sum_visit_length: 60,
  max_actions: 3,
  bounce_rate: '50%',
  nb_actions_per_visit: 2,
  avg_time_on_site: 30,
};
const WED_25: VisitsSummary = {
  nb_uniq_visitors: 1,
  nb_users: 0,
  nb_visits: 1,
  nb_actions: 1,
  nb_visits_converted: 0,
  bounce_count: 1,
  sum_visit_length: 0,
  max_actions: 1,
  bounce_rate: '100%',
  nb_actions_per_visit: 1,
  avg_time_on_site: 0,
};

describe('VisitsSummary.get on a UTC site', () => {
  test('one day is a bare record with every metric of the contract', async () => {
    const result = await summary('period=day&date=2026-11-24');
    expect(result).toEqual(TUE_24);
    expectShape(result, SHAPES.VisitsSummary);
  });

  test('today and yesterday follow "now"', async () => {
    expect(await summary('period=day&date=today')).toEqual(WED_25);
    expect(await summary('period=day&date=yesterday')).toEqual(TUE_24);
  });

  test('a week, Monday to Sunday: unique visitors are counted once across days', async () => {
    expect(await summary('period=week&date=2026-11-25')).toEqual({
      nb_uniq_visitors: 3,
      nb_users: 0,
      nb_visits: 4,
      nb_actions: 12,
      nb_visits_converted: 0,
      bounce_count: 2,
      sum_visit_length: 150,
      max_actions: 7,
      bounce_rate: '50%',
      nb_actions_per_visit: 3,
      // 150 / 4 = 37.5, rounded half up as Matomo does.
      avg_time_on_site: 38,
    });
  });

  test('a month and a year', async () => {
    const november: VisitsSummary = {
      nb_uniq_visitors: 3,
      nb_users: 0,
      nb_visits: 5,
      nb_actions: 15,
      nb_visits_converted: 0,
      bounce_count: 2,
      sum_visit_length: 450,
      max_actions: 7,
      bounce_rate: '40%',
      nb_actions_per_visit: 3,
      avg_time_on_site: 90,
    };
    expect(await summary('period=month&date=2026-11-10')).toEqual(november);
    // Matomo leaves unique visitors and users out of years (enable_processing_unique_visitors_year = 0).
    const { nb_uniq_visitors, nb_users, ...year } = november;
    expect(await summary('period=year&date=2026-11-25')).toEqual(year);
    expect(await visits('period=year&date=2025-06-01')).toEqual({ value: 1 });
  });

  test("the columns come in Matomo's order", async () => {
    expect(Object.keys(await summary('period=day&date=2026-11-24'))).toEqual([
      'nb_uniq_visitors',
      'nb_users',
      'nb_visits',
      'nb_actions',
      'nb_visits_converted',
      'bounce_count',
      'sum_visit_length',
      'max_actions',
      'bounce_rate',
      'nb_actions_per_visit',
      'avg_time_on_site',
    ]);
  });

  test('unique visitors and users for days, weeks and months, not for years and ranges', async () => {
    for (const [query, reported] of [
      ['period=day&date=2026-11-24', true],
      ['period=week&date=2026-11-24', true],
      ['period=month&date=2026-11-24', true],
      ['period=year&date=2026-11-24', false],
      ['period=range&date=2026-11-01,2026-11-24', false],
      // Matomo reads a range from a day to the same day as that day.
      ['period=range&date=2026-11-24,2026-11-24', true],
    ] as const) {
      const record = (await summary(query)) as VisitsSummary;
      expect('nb_uniq_visitors' in record, query).toBe(reported);
      expect('nb_users' in record, query).toBe(reported);
    }
  });

  test('format_metrics=0 gives the bounce rate as a ratio with two decimals; bc and others as a percentage', async () => {
    // 1 bounce of 2 visits on the 24th; 1 of 4 from the 1st to the 24th; 2 of 3 in the week of site 2.
    expect(await summary('period=day&date=2026-11-24&format_metrics=0')).toMatchObject({ bounce_rate: 0.5 });
    expect(await summary('period=range&date=2026-11-01,2026-11-24&format_metrics=0')).toMatchObject({
      bounce_rate: 0.25,
      nb_actions_per_visit: 3.5,
    });
    expect(await summary('period=day&date=2026-11-22&format_metrics=0')).toMatchObject({ bounce_rate: 0 });
    for (const value of ['bc', '1', 'all']) {
      expect(await summary(`period=day&date=2026-11-24&format_metrics=${value}`)).toMatchObject({
        bounce_rate: '50%',
      });
    }
  });

  test('a range period: rates and averages rounded as Matomo', async () => {
    expect(await summary('period=range&date=2026-11-01,2026-11-24')).toEqual({
      nb_visits: 4,
      nb_actions: 14,
      nb_visits_converted: 0,
      bounce_count: 1,
      sum_visit_length: 450,
      max_actions: 7,
      bounce_rate: '25%',
      // 14 / 4 = 3.5; 450 / 4 = 112.5 → 113.
      nb_actions_per_visit: 3.5,
      avg_time_on_site: 113,
    });
  });

  test('one site and one period without visits: every metric at 0, as Matomo (tests/…/test_noVisit__VisitsSummary.get_day.xml)', async () => {
    const zero = {
      nb_visits: 0,
      nb_actions: 0,
      nb_visits_converted: 0,
      bounce_count: 0,
      sum_visit_length: 0,
      max_actions: 0,
      bounce_rate: '0%',
      nb_actions_per_visit: 0,
      avg_time_on_site: 0,
    };
    expect(await summary('period=day&date=2026-11-22')).toEqual({
      nb_uniq_visitors: 0,
      nb_users: 0,
      ...zero,
    });
    expect(await summary('period=month&date=2026-01-01')).toEqual({
      nb_uniq_visitors: 0,
      nb_users: 0,
      ...zero,
    });
    expect(await summary('period=year&date=2024-01-01')).toEqual(zero);
    expect(await summary('period=range&date=2026-11-20,2026-11-22')).toEqual(zero);
  });

  test('inside a keyed result, a period without visits is []', async () => {
    expect(await summary('period=day&date=2026-11-22,2026-11-22')).toEqual({ '2026-11-22': [] });
    expect(await summary('period=day&date=2026-11-22', { ids: [1], multiple: true })).toEqual({ '1': [] });
  });

  test('lastN and previousN are keyed by label, in chronological order', async () => {
    const last3 = await summary('period=day&date=last3');
    expect(last3).toEqual({ '2026-11-23': MON_23, '2026-11-24': TUE_24, '2026-11-25': WED_25 });
    expect(Object.keys(last3)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    expect(await summary('period=day&date=previous2')).toEqual({
      '2026-11-23': MON_23,
      '2026-11-24': TUE_24,
    });
    const weeks = await summary('period=week&date=last2');
    expect(Object.keys(weeks)).toEqual(['2026-11-16,2026-11-22', '2026-11-23,2026-11-29']);
    expect(weeks).toMatchObject({ '2026-11-16,2026-11-22': [], '2026-11-23,2026-11-29': { nb_visits: 4 } });
    const months = await summary('period=month&date=last2');
    expect(Object.keys(months)).toEqual(['2026-10', '2026-11']);
    expect(months).toMatchObject({ '2026-10': [], '2026-11': { nb_visits: 5 } });
  });

  test('a date range with period=day lists every day, empty ones as []', async () => {
    expect(await summary('period=day&date=2026-11-21,2026-11-23')).toEqual({
      '2026-11-21': [],
      '2026-11-22': [],
      '2026-11-23': MON_23,
    });
  });

  test('last1 is still keyed (a multi-period date), a single date is not', async () => {
    expect(await summary('period=day&date=last1')).toEqual({ '2026-11-25': WED_25 });
    // A range of one day is still a range: no unique visitors.
    const { nb_uniq_visitors, nb_users, ...rangeOfOneDay } = WED_25;
    expect(await summary('period=range&date=last1')).toEqual(rangeOfOneDay);
  });
});

describe('several sites', () => {
  test('keyed by site id, ascending', async () => {
    const result = await summary('period=day&date=2026-11-24', { ids: [1, 2] });
    expect(Object.keys(result)).toEqual(['1', '2']);
    expect(result).toMatchObject({ '1': TUE_24, '2': { nb_visits: 1 } });
  });

  test('`all` resolving to one site is still keyed by site', async () => {
    expect(await summary('period=day&date=2026-11-24', { ids: [1], multiple: true })).toEqual({
      '1': TUE_24,
    });
  });

  test('site first, then period', async () => {
    const result = await summary('period=day&date=last2', { ids: [1, 2] });
    expect(Object.keys(result)).toEqual(['1', '2']);
    expect(result).toMatchObject({
      '1': { '2026-11-24': TUE_24, '2026-11-25': WED_25 },
      '2': { '2026-11-24': { nb_visits: 1 }, '2026-11-25': { nb_visits: 2 } },
    });
    const site1 = (result as Record<string, object>)['1'];
    expect(site1 && Object.keys(site1)).toEqual(['2026-11-24', '2026-11-25']);
  });
});

describe('timezones', () => {
  test('a visit at 23:30 UTC counts on the next day for a site at UTC+2', async () => {
    // w2 (21:00 UTC = 23:00 local) stays on the 24th; w1 (23:30 UTC = 01:30 local) is on the 25th.
    expect(await visits('period=day&date=2026-11-24', { ids: [2] })).toEqual({ value: 1 });
    expect(await summary('period=day&date=2026-11-25', { ids: [2] })).toEqual({
      nb_uniq_visitors: 1,
      nb_users: 0,
      nb_visits: 2,
      nb_actions: 3,
      nb_visits_converted: 0,
      bounce_count: 1,
      sum_visit_length: 600,
      max_actions: 2,
      bounce_rate: '50%',
      nb_actions_per_visit: 1.5,
      avg_time_on_site: 300,
    });
  });

  test('"today" is the site\'s today for one site, UTC\'s for several', async () => {
    // 22:30 UTC on the 25th is already the 26th at UTC+2.
    const late = Date.parse('2026-11-25T22:30:00Z');
    expect(await visits('period=day&date=last1', { ids: [2], now: late })).toEqual({ '2026-11-26': 0 });
    expect(await visits('period=day&date=last1', { ids: [1, 2], now: late })).toEqual({
      '1': { '2026-11-25': 1 },
      '2': { '2026-11-25': 2 },
    });
  });

  test('Berlin: the 23-hour and 25-hour days around DST changes', async () => {
    expect(await visits('period=day&date=2026-03-28,2026-03-30', { ids: [3] })).toEqual({
      '2026-03-28': 1,
      '2026-03-29': 2,
      '2026-03-30': 1,
    });
    expect(await visits('period=day&date=2026-10-24,2026-10-26', { ids: [3] })).toEqual({
      '2026-10-24': 0,
      '2026-10-25': 2,
      '2026-10-26': 1,
    });
    expect(await visits('period=month&date=2026-03-01,2026-10-31', { ids: [3] })).toMatchObject({
      '2026-03': 4,
      '2026-10': 3,
    });
  });
});

describe('VisitsSummary.getVisits', () => {
  test('{value} for one site and period, plain numbers when keyed', async () => {
    expect(await visits('period=day&date=2026-11-24')).toEqual({ value: 2 });
    expect(await visits('period=day&date=2026-11-22')).toEqual({ value: 0 });
    expect(await visits('period=day&date=last3')).toEqual({
      '2026-11-23': 1,
      '2026-11-24': 2,
      '2026-11-25': 1,
    });
    expect(await visits('period=week&date=today', { ids: [1, 2] })).toEqual({ '1': 4, '2': 3 });
  });
});

describe("the bounce rate is the contract's Percent", () => {
  test('for every day of the dataset', async () => {
    const days = await summary('period=day&date=2026-11-01,2026-11-30', { ids: [1, 2] });
    for (const byDay of Object.values(days)) {
      for (const record of Object.values(byDay as Record<string, VisitsSummary | []>)) {
        if (Array.isArray(record)) continue;
        expectShape(record, SHAPES.VisitsSummary);
        expect(record.bounce_rate).toMatch(PERCENT);
      }
    }
  });
});
