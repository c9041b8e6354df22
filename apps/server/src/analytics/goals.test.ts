import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useGoalsDataset } from '../../test/analytics/goals-dataset';
import type { ResultOf } from './context';
import { analyticsMethods } from './index';

// Expected values worked out by hand from test/analytics/goals-dataset.ts. Matomo's rules
// (plugins/Goals/API.php, RecordBuilders/GeneralGoalsRecords.php): every goal's
// nb_visits_converted is VisitsSummary's (visits by their last action), a goal's own counts and
// every nb_conversions come from the conversions of the period (their own time), and
// conversion_rate = converted visits / visits, quotient to 4 places.

const { fixture } = useGoalsDataset();

function goalsGet(query: string, options?: ContextOptions): Promise<ResultOf<'Goals.get'>> {
  return analyticsMethods['Goals.get'].run(fixture.context(query, options));
}

function getGoals(query: string, options?: ContextOptions): Promise<ResultOf<'Goals.getGoals'>> {
  return analyticsMethods['Goals.getGoals'].run(fixture.context(query, options));
}

const NO_RETURNING = {
  nb_conversions_returning_visit: 0,
  nb_visits_converted_returning_visit: 0,
  revenue_returning_visit: 0,
  conversion_rate_returning_visit: '0%',
};

// Tue 24, site 1: visits s2 (new), s3, s4 (ret); converted s2, s4. Conversions on Tue: s2 g1;
// s4 g1, g3, g3, g2 (45); s6 g1 (new visitor, the visit counts on Wed).
const TUE_24 = {
  nb_conversions: 6,
  nb_visits_converted: 2,
  revenue: 55,
  conversion_rate: '66.67%',
  nb_conversions_new_visit: 2,
  nb_visits_converted_new_visit: 1,
  revenue_new_visit: 0,
  conversion_rate_new_visit: '100%',
  nb_conversions_returning_visit: 4,
  nb_visits_converted_returning_visit: 1,
  revenue_returning_visit: 55,
  conversion_rate_returning_visit: '50%',
};

// Mon 23, site 1: s1 only (new), g1 and g2 (30).
const MON_23_ALL_AND_NEW = {
  nb_conversions: 2,
  nb_visits_converted: 1,
  revenue: 30,
  conversion_rate: '100%',
  nb_conversions_new_visit: 2,
  nb_visits_converted_new_visit: 1,
  revenue_new_visit: 30,
  conversion_rate_new_visit: '100%',
};

describe('Goals.getGoals', () => {
  test('active goals keyed by idgoal, Matomo fields in order; manual goals lack the pattern fields', async () => {
    const goals = (await getGoals('idSite=1')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(goals)).toEqual(['1', '2', '3', '4']);
    expect(Object.keys(goals['2'] ?? {})).toEqual([
      'idsite',
      'idgoal',
      'name',
      'description',
      'match_attribute',
      'pattern',
      'pattern_type',
      'case_sensitive',
      'allow_multiple',
      'revenue',
      'deleted',
      'event_value_as_revenue',
    ]);
    expect(goals['2']).toEqual({
      idsite: 1,
      idgoal: 2,
      name: 'Contact',
      description: 'A lead',
      match_attribute: 'url',
      pattern: '/contact',
      pattern_type: 'contains',
      case_sensitive: 0,
      allow_multiple: 0,
      revenue: 30,
      deleted: 0,
      event_value_as_revenue: 0,
    });
    expect(goals['3']).toMatchObject({ match_attribute: 'file', allow_multiple: 1, revenue: 5 });
    // test_OneVisitorTwoVisits__Goals.getGoals.xml: a manual goal has no pattern, pattern_type, case_sensitive.
    expect(goals['4']).toEqual({
      idsite: 1,
      idgoal: 4,
      name: 'Manual',
      description: '',
      match_attribute: 'manually',
      allow_multiple: 0,
      revenue: 0,
      deleted: 0,
      event_value_as_revenue: 0,
    });
  });

  test('a site without goals is [] (test_noVisit__Goals.getGoals.xml)', async () => {
    expect(await getGoals('idSite=3', { ids: [3] })).toEqual([]);
  });

  test('several sites: one object keyed by idgoal, the later site winning, as PHP keys the array', async () => {
    const goals = (await getGoals('idSite=1,2', { ids: [1, 2] })) as Record<string, { idsite: number }>;
    expect(Object.keys(goals)).toEqual(['1', '2', '3', '4']);
    expect(goals['1']).toMatchObject({ idsite: 2, name: 'Newsletter', pattern_type: 'regex', revenue: 2.5 });
    expect(goals['2']?.idsite).toBe(1);
  });
});

describe('Goals.get', () => {
  test('a day with new and returning visits: the three passes, Matomo order and formats', async () => {
    const result = await goalsGet('period=day&date=2026-11-24');
    expect(result).toEqual(TUE_24);
    expect(Object.keys(result)).toEqual(Object.keys(TUE_24));
  });

  test('format_metrics=0 writes the rates as quotients to 4 places', async () => {
    expect(await goalsGet('period=day&date=2026-11-24&format_metrics=0')).toEqual({
      ...TUE_24,
      conversion_rate: 0.6667,
      conversion_rate_new_visit: 1,
      conversion_rate_returning_visit: 0.5,
    });
  });

  test('one bare record: a part without visits is every metric at 0', async () => {
    expect(await goalsGet('period=day&date=2026-11-23')).toEqual({ ...MON_23_ALL_AND_NEW, ...NO_RETURNING });
  });

  test('a visit converted in its first period counts there as a conversion, and as a converted visit where it ends', async () => {
    // Wed 25: s5 and s6 (both new); s6 converted (on Tuesday): 1 converted visit, no conversion.
    expect(await goalsGet('period=day&date=2026-11-25')).toEqual({
      nb_conversions: 0,
      nb_visits_converted: 1,
      revenue: 0,
      conversion_rate: '50%',
      nb_conversions_new_visit: 0,
      nb_visits_converted_new_visit: 1,
      revenue_new_visit: 0,
      conversion_rate_new_visit: '50%',
      ...NO_RETURNING,
    });
  });

  test('a day without visits: zeros, rates 0%', async () => {
    expect(await goalsGet('period=day&date=2026-11-20')).toEqual({
      nb_conversions: 0,
      nb_visits_converted: 0,
      revenue: 0,
      conversion_rate: '0%',
      nb_conversions_new_visit: 0,
      nb_visits_converted_new_visit: 0,
      revenue_new_visit: 0,
      conversion_rate_new_visit: '0%',
      ...NO_RETURNING,
    });
  });

  test('a week, a month and a range add up the days', async () => {
    // Mon 23 to Sun 29: 6 visits, 4 converted (s1, s2, s4, s6); 8 conversions, 85 revenue.
    // New: s1, s2, s5, s6, 3 converted, 4 conversions, 30. Returning: s3, s4, 1 converted, 4, 55.
    const week = {
      nb_conversions: 8,
      nb_visits_converted: 4,
      revenue: 85,
      conversion_rate: '66.67%',
      nb_conversions_new_visit: 4,
      nb_visits_converted_new_visit: 3,
      revenue_new_visit: 30,
      conversion_rate_new_visit: '75%',
      nb_conversions_returning_visit: 4,
      nb_visits_converted_returning_visit: 1,
      revenue_returning_visit: 55,
      conversion_rate_returning_visit: '50%',
    };
    expect(await goalsGet('period=week&date=2026-11-25')).toEqual(week);
    expect(await goalsGet('period=month&date=2026-11-25')).toEqual(week);
    expect(await goalsGet('period=year&date=today')).toEqual(week);
    expect(await goalsGet('period=range&date=2026-11-23,2026-11-25')).toEqual(week);
    // Tue and Wed: visits s2, s3, s4, s5, s6 (5), converted s2, s4, s6 (3), conversions 6.
    expect(await goalsGet('period=range&date=2026-11-24,2026-11-25')).toMatchObject({
      nb_conversions: 6,
      nb_visits_converted: 3,
      revenue: 55,
      conversion_rate: '60%',
    });
  });

  test('several periods: keyed by date; a part without visits has no columns, a day without any is []', async () => {
    expect(await goalsGet('period=day&date=2026-11-22,2026-11-24')).toEqual({
      '2026-11-22': [],
      '2026-11-23': MON_23_ALL_AND_NEW,
      '2026-11-24': TUE_24,
    });
    const last3 = (await goalsGet('period=day&date=last3')) as Record<string, unknown>;
    expect(Object.keys(last3)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
  });

  test('several sites: keyed by site id (test_TwoVisitors_twoWebsites…__Goals.get_month.xml shape)', async () => {
    expect(await goalsGet('period=day&date=2026-11-24', { ids: [1, 2, 3] })).toEqual({
      '1': TUE_24,
      '2': {
        nb_conversions: 1,
        nb_visits_converted: 1,
        revenue: 2.5,
        conversion_rate: '100%',
        nb_conversions_new_visit: 1,
        nb_visits_converted_new_visit: 1,
        revenue_new_visit: 2.5,
        conversion_rate_new_visit: '100%',
      },
      '3': [],
    });
    const both = (await goalsGet('period=day&date=2026-11-23,2026-11-24', { ids: [1, 2] })) as Record<
      string,
      Record<string, unknown>
    >;
    expect(both['1']?.['2026-11-24']).toEqual(TUE_24);
    expect(both['2']?.['2026-11-23']).toEqual([]);
  });

  test('idGoal: that goal’s conversions, its own converted visits and rate', async () => {
    // Goal 1 on Tue: s2, s4, s6 (s6 new); all visits 3, new 1 (s2), returning 2.
    expect(await goalsGet('period=day&date=2026-11-24&idGoal=1')).toEqual({
      nb_conversions: 3,
      nb_visits_converted: 3,
      revenue: 0,
      conversion_rate: '100%',
      nb_conversions_new_visit: 2,
      nb_visits_converted_new_visit: 2,
      revenue_new_visit: 0,
      conversion_rate_new_visit: '200%',
      nb_conversions_returning_visit: 1,
      nb_visits_converted_returning_visit: 1,
      revenue_returning_visit: 0,
      conversion_rate_returning_visit: '50%',
    });
    // Goal 3 (several per visit): 2 conversions in one visit, 10 revenue, 1 of 3 visits.
    expect(await goalsGet('period=day&date=2026-11-24&idGoal=3')).toMatchObject({
      nb_conversions: 2,
      nb_visits_converted: 1,
      revenue: 10,
      conversion_rate: '33.33%',
      nb_conversions_returning_visit: 2,
      conversion_rate_returning_visit: '50%',
    });
  });

  test('an idGoal the site lacks converts nothing (Matomo reads archives that do not exist)', async () => {
    for (const idGoal of ['99', '5', 'abc']) {
      expect(await goalsGet(`period=day&date=2026-11-24&idGoal=${idGoal}`)).toMatchObject({
        nb_conversions: 0,
        nb_visits_converted: 0,
        revenue: 0,
        conversion_rate: '0%',
      });
    }
    expect(await goalsGet('period=day&date=2026-11-24&idGoal=')).toEqual(TUE_24);
  });

  test('a segment applies to every pass', async () => {
    // countryCode==fr keeps s2 only.
    expect(await goalsGet('period=day&date=2026-11-24&segment=countryCode==fr')).toEqual({
      nb_conversions: 1,
      nb_visits_converted: 1,
      revenue: 0,
      conversion_rate: '100%',
      nb_conversions_new_visit: 1,
      nb_visits_converted_new_visit: 1,
      revenue_new_visit: 0,
      conversion_rate_new_visit: '100%',
      ...NO_RETURNING,
    });
    // visitorType==returning: the new pass is empty (a bare record: zeros).
    expect(await goalsGet('period=day&date=2026-11-24&segment=visitorType==returning')).toMatchObject({
      nb_conversions: 4,
      nb_visits_converted: 1,
      conversion_rate: '50%',
      nb_conversions_new_visit: 0,
      conversion_rate_new_visit: '0%',
      nb_conversions_returning_visit: 4,
    });
    await expect(goalsGet('period=day&date=2026-11-24&segment=nope==1')).rejects.toThrow(
      "Segment 'nope' is not a supported segment.",
    );
  });

  test('showAllGoalSpecificMetrics adds nb_visits and every active goal’s columns, in Matomo’s order', async () => {
    const result = (await goalsGet('period=day&date=2026-11-23&showAllGoalSpecificMetrics=1')) as Record<
      string,
      unknown
    >;
    const all = Object.keys(result).filter((key) => !key.endsWith('_visit'));
    expect(all).toEqual([
      'nb_visits',
      'nb_conversions',
      'nb_visits_converted',
      'revenue',
      ...[1, 2, 3, 4].flatMap((id) => [
        `goal_${id}_nb_conversions`,
        `goal_${id}_nb_visits_converted`,
        `goal_${id}_revenue`,
      ]),
      ...[1, 2, 3, 4].map((id) => `goal_${id}_conversion_rate`),
      'conversion_rate',
    ]);
    expect(result).toMatchObject({
      nb_visits: 1,
      goal_2_nb_conversions: 1,
      goal_2_revenue: 30,
      goal_2_conversion_rate: '100%',
      goal_3_conversion_rate: '0%',
      nb_visits_returning_visit: 0,
      goal_1_conversion_rate_returning_visit: '0%',
    });
    // With idGoal, showAllGoalSpecificMetrics is ignored.
    expect(
      Object.keys(await goalsGet('period=day&date=2026-11-23&idGoal=1&showAllGoalSpecificMetrics=1')),
    ).not.toContain('nb_visits');
  });

  test('columns keeps the named metrics of each pass (…showAllGoalSpecificMetrics_requestedColumns)', async () => {
    expect(
      await goalsGet(
        'period=day&date=2026-11-23&showAllGoalSpecificMetrics=1&columns=goal_1_conversion_rate',
      ),
    ).toEqual({
      goal_1_conversion_rate: '100%',
      goal_1_conversion_rate_new_visit: '100%',
      goal_1_conversion_rate_returning_visit: '0%',
    });
    expect(await goalsGet('period=day&date=2026-11-24&columns=nb_conversions,revenue')).toEqual({
      nb_conversions: 6,
      revenue: 55,
      nb_conversions_new_visit: 2,
      revenue_new_visit: 0,
      nb_conversions_returning_visit: 4,
      revenue_returning_visit: 55,
    });
  });

  test('bad dates and periods are Matomo errors', async () => {
    await expect(goalsGet('period=fortnight&date=today')).rejects.toThrow(/period/i);
    await expect(goalsGet('period=day&date=nope')).rejects.toThrow(/date/i);
  });
});

describe('converted visits in VisitsSummary.get and VisitFrequency.get', () => {
  test('nb_visits_converted counts the visits with a conversion, by the period of their last action', async () => {
    const summary = (query: string) =>
      analyticsMethods['VisitsSummary.get'].run(fixture.context(query)) as Promise<Record<string, unknown>>;
    expect((await summary('period=day&date=2026-11-24')).nb_visits_converted).toBe(2);
    expect((await summary('period=day&date=2026-11-25')).nb_visits_converted).toBe(1);
    expect((await summary('period=week&date=2026-11-25')).nb_visits_converted).toBe(4);
    expect((await summary('period=day&date=2026-11-24&segment=countryCode==fr')).nb_visits_converted).toBe(1);
  });

  test('VisitFrequency splits them between new and returning visits', async () => {
    const result = (await analyticsMethods['VisitFrequency.get'].run(
      fixture.context('period=week&date=2026-11-25'),
    )) as Record<string, unknown>;
    expect(result.nb_visits_converted_new).toBe(3);
    expect(result.nb_visits_converted_returning).toBe(1);
  });
});
