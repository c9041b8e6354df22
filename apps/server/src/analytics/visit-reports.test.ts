import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import type { AnalyticsMethodName } from './context';
import { analyticsMethods } from './index';

// Expected values are read off the visits listed in test/analytics/hand-built-dataset.ts.
const { fixture, dataset } = useHandBuiltDataset();

function call(method: AnalyticsMethodName, query: string, options?: ContextOptions): Promise<unknown> {
  return analyticsMethods[method].run(fixture.context(query, options));
}

/** A day row's visit metrics, in Matomo's order (no user ids nor conversions in the dataset). */
const metrics = (
  nb_uniq_visitors: number,
  nb_visits: number,
  nb_actions: number,
  max_actions: number,
  sum_visit_length: number,
  bounce_count: number,
) => ({
  nb_uniq_visitors,
  nb_visits,
  nb_actions,
  nb_users: 0,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
});

/** A week's, month's, year's or range's: unique visitors are the sum of each day's (`sum_daily_*`). */
const sums = (
  sum_daily_nb_uniq_visitors: number,
  nb_visits: number,
  nb_actions: number,
  max_actions: number,
  sum_visit_length: number,
  bounce_count: number,
) => ({
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
  sum_daily_nb_uniq_visitors,
  sum_daily_nb_users: 0,
});

describe('DevicesDetection.getBrowsers', () => {
  test("visits per browser, with Matomo's code, logo and segment", async () => {
    // Week of 23 November, site 1: v1, v2, v4 on Firefox (A on Monday and Tuesday, C on Wednesday:
    // three daily unique visitors), v3 on Chrome Mobile (B).
    expect(await call('DevicesDetection.getBrowsers', 'period=week&date=today')).toEqual([
      {
        label: 'Firefox',
        ...sums(3, 3, 9, 7, 90, 2),
        logo: 'plugins/Morpheus/icons/dist/browsers/FF.png',
        segment: 'browserCode==FF',
      },
      {
        label: 'Chrome Mobile',
        ...sums(1, 1, 3, 3, 60, 0),
        logo: 'plugins/Morpheus/icons/dist/browsers/CM.png',
        segment: 'browserCode==CM',
      },
    ]);
  });

  test('a segment keeps its visits; a period without visits is empty', async () => {
    const rows = await call(
      'DevicesDetection.getBrowsers',
      'period=week&date=today&segment=visitorType==new',
    );
    expect(rows).toEqual([
      expect.objectContaining({ label: 'Firefox', ...sums(2, 2, 8, 7, 90, 1) }),
      expect.objectContaining({ label: 'Chrome Mobile', nb_visits: 1 }),
    ]);
    expect(await call('DevicesDetection.getBrowsers', 'period=day&date=2026-11-26')).toEqual([]);
  });
});

describe('DevicesDetection.getOsFamilies', () => {
  test('visits per OS family, with the family logo and no segment', async () => {
    expect(await call('DevicesDetection.getOsFamilies', 'period=week&date=today')).toEqual([
      { label: 'GNU/Linux', ...sums(3, 3, 9, 7, 90, 2), logo: 'plugins/Morpheus/icons/dist/os/LIN.png' },
      { label: 'Android', ...sums(1, 1, 3, 3, 60, 0), logo: 'plugins/Morpheus/icons/dist/os/AND.png' },
    ]);
  });

  test('several sites are keyed by site id', async () => {
    const { utc, plus2 } = dataset().sites;
    const result = (await call('DevicesDetection.getOsFamilies', 'period=day&date=2026-11-24', {
      ids: [utc, plus2],
    })) as Record<string, { label: string; nb_visits: number }[]>;
    // Site 1 on Tue 24: v2 (GNU/Linux), v3 (Android); site 2 local Tue 24: w2 only.
    expect(Object.keys(result)).toEqual([String(utc), String(plus2)]);
    expect(result[String(utc)]?.map((row) => [row.label, row.nb_visits])).toEqual([
      ['Android', 1],
      ['GNU/Linux', 1],
    ]);
    expect(result[String(plus2)]?.map((row) => [row.label, row.nb_visits])).toEqual([['GNU/Linux', 1]]);
  });
});

const NO_VISITS = { ...metrics(0, 0, 0, 0, 0, 0), nb_visits_converted: 0 };

function hours(filled: Record<string, object>, segmentHour: (hour: number) => number) {
  return Array.from({ length: 24 }, (_, hour) => {
    const label = String(hour).padStart(2, '0');
    return {
      label,
      ...NO_VISITS,
      ...filled[label],
      segment: `visitStartServerHour==${segmentHour(hour)}`,
    };
  });
}

describe('VisitTime.getVisitInformationPerServerTime', () => {
  test('every hour of the day, by the hour of the first action', async () => {
    // Tue 24, UTC site: v2 at 09:00 (A, bounce), v3 from 23:30 (B, 3 actions, 60 s).
    expect(await call('VisitTime.getVisitInformationPerServerTime', 'period=day&date=2026-11-24')).toEqual(
      hours(
        { '09': { ...metrics(1, 1, 1, 1, 0, 1) }, '23': { ...metrics(1, 1, 3, 3, 60, 0) } },
        (hour) => hour,
      ),
    );
  });

  test("hours are in the site's timezone; the segment names the UTC hour", async () => {
    // Wed 25 in Johannesburg (UTC+2): w1 at 23:30 UTC (01:30 local), w3 from 10:00 UTC (12:00 local).
    const { plus2 } = dataset().sites;
    expect(
      await call('VisitTime.getVisitInformationPerServerTime', 'period=day&date=2026-11-25', {
        ids: [plus2],
      }),
    ).toEqual(
      hours(
        { '01': { ...metrics(1, 1, 1, 1, 0, 1) }, '12': { ...metrics(1, 1, 2, 2, 600, 0) } },
        (hour) => (hour + 22) % 24,
      ),
    );
  });

  test("regression: on a DST day Matomo moves every hour with the offset of the period's start", async () => {
    // Berlin, Sun 29 March 2026 (CET until 01:00 UTC, then CEST): b2 at 23:30 UTC on the 28th
    // (00:30 CET), b3 at 21:30 UTC (23:30 CEST) but shown at 22, with the CET offset of midnight.
    const { berlin } = dataset().sites;
    const rows = (await call('VisitTime.getVisitInformationPerServerTime', 'period=day&date=2026-03-29', {
      ids: [berlin],
    })) as { label: string; nb_visits: number; segment: string }[];
    expect(rows.filter((row) => row.nb_visits > 0).map((row) => row.label)).toEqual(['00', '22']);
    // The segments convert back with the offsets of the 29th: 00 CET is 23 UTC, 22 CEST is 20 UTC,
    // and 02, which does not exist that night, is read as 03 CEST (01 UTC), as PHP does.
    expect(rows[0]?.segment).toBe('visitStartServerHour==23');
    expect(rows[2]?.segment).toBe('visitStartServerHour==1');
    expect(rows[3]?.segment).toBe('visitStartServerHour==1');
    expect(rows[22]?.segment).toBe('visitStartServerHour==20');
  });

  test('a period without visits is empty, also inside a keyed result', async () => {
    expect(await call('VisitTime.getVisitInformationPerServerTime', 'period=day&date=2026-11-26')).toEqual(
      [],
    );
    const keyed = (await call(
      'VisitTime.getVisitInformationPerServerTime',
      'period=day&date=2026-11-22,2026-11-23',
    )) as Record<string, unknown[]>;
    expect(keyed['2026-11-22']).toEqual([]);
    expect(keyed['2026-11-23']).toHaveLength(24);
  });
});

describe('VisitFrequency.get', () => {
  test("new and returning visits, VisitsSummary's columns suffixed", async () => {
    // Week of 23 November, site 1: new v1 (7 actions with its 4 events, 90 s), v3 (3, 60 s), v4 (bounce); returning v2 (bounce).
    const result = await call('VisitFrequency.get', 'period=week&date=today');
    expect(result).toEqual({
      nb_uniq_visitors_new: 3,
      nb_users_new: 0,
      nb_visits_new: 3,
      nb_actions_new: 11,
      nb_visits_converted_new: 0,
      bounce_count_new: 1,
      sum_visit_length_new: 150,
      max_actions_new: 7,
      bounce_rate_new: '33%',
      nb_actions_per_visit_new: 3.7,
      avg_time_on_site_new: 50,
      nb_uniq_visitors_returning: 1,
      nb_users_returning: 0,
      nb_visits_returning: 1,
      nb_actions_returning: 1,
      nb_visits_converted_returning: 0,
      bounce_count_returning: 1,
      sum_visit_length_returning: 0,
      max_actions_returning: 1,
      bounce_rate_returning: '100%',
      nb_actions_per_visit_returning: 1,
      avg_time_on_site_returning: 0,
    });
    expect(Object.keys(result as object).slice(0, 3)).toEqual([
      'nb_uniq_visitors_new',
      'nb_users_new',
      'nb_visits_new',
    ]);
  });

  test('one bare period without visits is every column at 0', async () => {
    const result = (await call('VisitFrequency.get', 'period=day&date=2026-11-26')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(result)).toHaveLength(22);
    expect(result.nb_visits_new).toBe(0);
    expect(result.bounce_rate_returning).toBe('0%');
  });

  test('keyed: a side without visits adds no columns, a period without visits is []', async () => {
    const result = (await call('VisitFrequency.get', 'period=day&date=2026-11-22,2026-11-23')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(result['2026-11-22']).toEqual([]);
    expect(Object.keys(result['2026-11-23'] ?? {}).every((key) => key.endsWith('_new'))).toBe(true);
    expect(result['2026-11-23']?.nb_visits_new).toBe(1);
  });

  test('year periods have no unique visitors; the segment applies to both sides', async () => {
    const year = (await call('VisitFrequency.get', 'period=year&date=today')) as Record<string, unknown>;
    expect(year.nb_uniq_visitors_new).toBeUndefined();
    // 2026, site 1: v1 to v5; returning: v2 only.
    expect([year.nb_visits_new, year.nb_visits_returning]).toEqual([4, 1]);
    const direct = (await call(
      'VisitFrequency.get',
      'period=year&date=today&segment=referrerType==direct',
    )) as Record<string, unknown>;
    expect([direct.nb_visits_new, direct.nb_visits_returning]).toEqual([0, 1]);
  });
});

describe('VisitorInterest', () => {
  test("visits per duration: Matomo's ten buckets, zeros included, 60 s counted twice", async () => {
    // November, site 1: v1 90 s, v2 0 s, v3 60 s, v4 0 s, v5 300 s.
    const rows = await call('VisitorInterest.getNumberOfVisitsPerVisitDuration', 'period=month&date=today');
    expect(rows).toEqual([
      { label: '0–10s', nb_visits: 2, segment: 'visitDuration>=0;visitDuration<=10' },
      { label: '11–30s', nb_visits: 0, segment: 'visitDuration>=11;visitDuration<=30' },
      { label: '31–60s', nb_visits: 1, segment: 'visitDuration>=31;visitDuration<=60' },
      { label: '1-2 min', nb_visits: 2, segment: 'visitDuration>=60;visitDuration<=120' },
      { label: '2-4 min', nb_visits: 0, segment: 'visitDuration>=120;visitDuration<=240' },
      { label: '4-7 min', nb_visits: 1, segment: 'visitDuration>=240;visitDuration<=420' },
      { label: '7-10 min', nb_visits: 0, segment: 'visitDuration>=420;visitDuration<=600' },
      { label: '10-15 min', nb_visits: 0, segment: 'visitDuration>=600;visitDuration<=900' },
      { label: '15-30 min', nb_visits: 0, segment: 'visitDuration>=900;visitDuration<=1800' },
      { label: '30+ min', nb_visits: 0, segment: 'visitDuration>=1801' },
    ]);
  });

  test("visits per number of actions: Matomo's buckets", async () => {
    // November, site 1: actions 7 (3 and 4 events), 1, 3, 1, 3 (2 and 1 event).
    const rows = (await call('VisitorInterest.getNumberOfVisitsPerPage', 'period=month&date=today')) as {
      label: string;
      nb_visits: number;
      segment: string;
    }[];
    expect(rows.map((row) => [row.label, row.nb_visits])).toEqual([
      ['1 page', 2],
      ['2 pages', 0],
      ['3 pages', 2],
      ['4 pages', 0],
      ['5 pages', 0],
      ['6-7 pages', 1],
      ['8-10 pages', 0],
      ['11-14 pages', 0],
      ['15-20 pages', 0],
      ['21+ pages', 0],
    ]);
    expect(rows.map((row) => row.segment)).toEqual([
      'actions==1',
      'actions==2',
      'actions==3',
      'actions==4',
      'actions==5',
      'actions>=6;actions<=7',
      'actions>=8;actions<=10',
      'actions>=11;actions<=14',
      'actions>=15;actions<=20',
      'actions>=21',
    ]);
  });

  test('a segment keeps its visits; a period without visits is empty', async () => {
    const rows = (await call(
      'VisitorInterest.getNumberOfVisitsPerPage',
      'period=month&date=today&segment=visitorType==returning',
    )) as { nb_visits: number }[];
    expect(rows.map((row) => row.nb_visits)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(
      await call('VisitorInterest.getNumberOfVisitsPerVisitDuration', 'period=day&date=2026-11-26'),
    ).toEqual([]);
  });
});
