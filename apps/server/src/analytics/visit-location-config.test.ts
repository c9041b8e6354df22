import { describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { analyticsMethods } from './index';

// Expected values are read off the visits listed in test/analytics/hand-built-dataset.ts. The week
// of 23 November on site 1 holds v1 (A, 3 actions, 90 s), v2 (A, bounce), v3 (B, 3 actions, 60 s)
// and v4 (C, bounce).
const { fixture } = useHandBuiltDataset();

/** A day row's visit metrics: its unique visitors and users (none: the log records no user ids). */
const dayMetrics = ([
  nb_uniq_visitors,
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
]: number[]) => ({
  nb_uniq_visitors,
  nb_users: 0,
  nb_visits,
  nb_actions,
  max_actions,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
});

/** A week row's: the first number is the sum of each day's unique visitors (Matomo's `sum_daily_*`). */
const metrics = ([sum_daily_nb_uniq_visitors, ...rest]: number[]) => {
  const { nb_uniq_visitors: _day, nb_users: _users, ...summed } = dayMetrics([0, ...rest]);
  return { ...summed, sum_daily_nb_uniq_visitors, sum_daily_nb_users: 0 };
};

const zeroHour = (hour: number) => ({
  label: String(hour).padStart(2, '0'),
  ...metrics([0, 0, 0, 0, 0, 0]),
  segment: `visitLocalHour==${hour}`,
});

describe('Resolution.getResolution', () => {
  const run = (query: string) => analyticsMethods['Resolution.getResolution'].run(fixture.context(query));

  test('visits per resolution, most visits first, then by label; segment resolution==<label>', async () => {
    expect(await run('period=week&date=today')).toEqual([
      { label: '1920x1080', ...metrics([2, 2, 8, 7, 90, 1]), segment: 'resolution==1920x1080' },
      { label: '390x844', ...metrics([1, 1, 3, 3, 60, 0]), segment: 'resolution==390x844' },
      { label: '810x1080', ...metrics([1, 1, 1, 1, 0, 1]), segment: 'resolution==810x1080' },
    ]);
  });

  test("a visit logged without a resolution is Matomo's `unknown`", async () => {
    expect(await run('period=day&date=2025-12-31')).toEqual([
      { label: 'unknown', ...dayMetrics([1, 1, 1, 1, 0, 1]), segment: 'resolution==unknown' },
    ]);
  });

  test('multi-period: keyed by day, an empty day is []', async () => {
    expect(await run('period=day&date=2026-11-22,2026-11-23')).toEqual({
      '2026-11-22': [],
      '2026-11-23': [
        { label: '1920x1080', ...dayMetrics([1, 1, 7, 7, 90, 0]), segment: 'resolution==1920x1080' },
      ],
    });
  });

  test('the resolution segment selects the same visits as the row', async () => {
    expect(await run('period=week&date=today&segment=resolution%3D%3D390x844')).toEqual([
      { label: '390x844', ...metrics([1, 1, 3, 3, 60, 0]), segment: 'resolution==390x844' },
    ]);
  });
});

describe('UserCountry.getContinent', () => {
  const run = (query: string) => analyticsMethods['UserCountry.getContinent'].run(fixture.context(query));

  test("countries grouped by Matomo's continents; unique visitors add up; code repeats the label", async () => {
    // de (v1, v2: A on Monday and Tuesday) and fr (v3: B) are Europe; us (v4: C) is North America.
    expect(await run('period=week&date=today')).toEqual([
      { label: 'Europe', ...metrics([3, 3, 11, 7, 150, 1]), code: 'Europe' },
      { label: 'North America', ...metrics([1, 1, 1, 1, 0, 1]), code: 'North America' },
    ]);
  });

  test("continentCode segments by the country's continent", async () => {
    expect(await run('period=week&date=today&segment=continentCode%3D%3Damn')).toEqual([
      { label: 'North America', ...metrics([1, 1, 1, 1, 0, 1]), code: 'North America' },
    ]);
    const visits = await analyticsMethods['VisitsSummary.getVisits'].run(
      fixture.context('period=week&date=today&segment=continentCode%3D%3Deur'),
    );
    expect(visits).toEqual({ value: 3 });
  });

  test('an unknown country is the Unknown continent', async () => {
    const visits = await analyticsMethods['UserCountry.getContinent'].run(
      fixture.context('period=day&date=2026-11-25', { ids: [2] }),
    );
    // Site 2's visits are in South Africa (za): w1 (E) and w3 (E, 2 actions, 600 s) end on the 25th.
    expect(visits).toEqual([{ label: 'Africa', ...dayMetrics([1, 2, 3, 2, 600, 1]), code: 'Africa' }]);
  });
});

describe('VisitTime.getVisitInformationPerLocalTime', () => {
  const run = (query: string) =>
    analyticsMethods['VisitTime.getVisitInformationPerLocalTime'].run(fixture.context(query));

  test("24 hours of the visitor's clock at the first action, segment visitLocalHour==<hour>", async () => {
    const rows = Array.from({ length: 24 }, (_, hour) => zeroHour(hour));
    rows[0] = { ...rows[0], ...metrics([1, 1, 3, 3, 60, 0]) } as (typeof rows)[number];
    rows[3] = { ...rows[3], ...metrics([1, 1, 1, 1, 0, 1]) } as (typeof rows)[number];
    rows[10] = { ...rows[10], ...metrics([1, 1, 1, 1, 0, 1]) } as (typeof rows)[number];
    rows[11] = { ...rows[11], ...metrics([1, 1, 7, 7, 90, 0]) } as (typeof rows)[number];
    expect(await run('period=week&date=today')).toEqual(rows);
  });

  test('a period whose visits have no local time, or no visits, is []', async () => {
    expect(await run('period=day&date=2025-12-31')).toEqual([]);
    expect(await run('period=day&date=2026-11-20')).toEqual([]);
  });

  test('visitLocalHour compares hours as numbers', async () => {
    const visits = (segment: string) =>
      analyticsMethods['VisitsSummary.getVisits'].run(
        fixture.context(`period=week&date=today&segment=${encodeURIComponent(segment)}`),
      );
    expect(await visits('visitLocalHour==0')).toEqual({ value: 1 });
    expect(await visits('visitLocalHour>=10')).toEqual({ value: 2 });
  });
});
