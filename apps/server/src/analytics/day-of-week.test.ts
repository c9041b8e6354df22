import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { analyticsMethods } from './index';

// Expected values are read off the visits listed in test/analytics/hand-built-dataset.ts.
const { fixture } = useHandBuiltDataset();

function byDayOfWeek(query: string, options?: ContextOptions): Promise<unknown> {
  return analyticsMethods['VisitTime.getByDayOfWeek'].run(fixture.context(query, options));
}

const day = (
  label: string,
  day_of_week: number,
  [nb_visits, nb_uniq_visitors, nb_actions, sum_visit_length, bounce_count]: number[],
) => ({
  label,
  nb_visits,
  nb_uniq_visitors,
  nb_actions,
  nb_users: 0,
  sum_visit_length,
  bounce_count,
  nb_visits_converted: 0,
  day_of_week,
});
const none = (label: string, day_of_week: number) => ({ label, nb_visits: 0, day_of_week });

describe('VisitTime.getByDayOfWeek', () => {
  test('seven rows, Monday to Sunday; a weekday without visits has only its visits (0)', async () => {
    // Week of 23 November, site 1: v1 on Monday; v2 (A) and v3 (B) on Tuesday; v4 on Wednesday.
    expect(await byDayOfWeek('period=week&date=today')).toEqual([
      day('Monday', 1, [1, 1, 7, 90, 0]),
      day('Tuesday', 2, [2, 2, 4, 60, 1]),
      day('Wednesday', 3, [1, 1, 1, 0, 1]),
      none('Thursday', 4),
      none('Friday', 5),
      none('Saturday', 6),
      none('Sunday', 7),
    ]);
  });

  test('a month adds up its days per weekday', async () => {
    // November 2026 adds v5, on Sunday 1.
    const rows = await byDayOfWeek('period=month&date=2026-11-10');
    expect(rows).toEqual([
      day('Monday', 1, [1, 1, 7, 90, 0]),
      day('Tuesday', 2, [2, 2, 4, 60, 1]),
      day('Wednesday', 3, [1, 1, 1, 0, 1]),
      none('Thursday', 4),
      none('Friday', 5),
      none('Saturday', 6),
      day('Sunday', 7, [1, 1, 3, 300, 0]),
    ]);
  });

  test("days are the site's local days", async () => {
    // Site 2 (UTC+2): w2 on Tuesday 23:00; w1 (01:30) and w3 (12:00) of visitor E on Wednesday.
    const rows = await byDayOfWeek('period=week&date=today', { ids: [2] });
    expect(rows).toEqual([
      none('Monday', 1),
      day('Tuesday', 2, [1, 1, 1, 0, 1]),
      day('Wednesday', 3, [2, 1, 3, 600, 1]),
      none('Thursday', 4),
      none('Friday', 5),
      none('Saturday', 6),
      none('Sunday', 7),
    ]);
    // Site 3, week of the spring DST change: b1 on Saturday 28 (23:30 CET), b2 and b3 on Sunday 29
    // (00:30 CET, 23:30 CEST); b4 (Monday 30, 00:30 CEST) is in the next week.
    const berlin = await byDayOfWeek('period=week&date=2026-03-25', { ids: [3] });
    expect(berlin).toEqual(
      expect.arrayContaining([day('Saturday', 6, [1, 1, 1, 0, 1]), day('Sunday', 7, [2, 2, 2, 0, 2])]),
    );
    expect(berlin).toContainEqual(none('Monday', 1));
  });

  test('a segment keeps its visits', async () => {
    // v2 is A's second visit: only v3 is left on Tuesday.
    const rows = await byDayOfWeek('period=week&date=today&segment=visitorType==new');
    expect(rows).toContainEqual(day('Tuesday', 2, [1, 1, 3, 60, 0]));
  });

  test('a period without visits is empty; idSite=all naming one site keys the rows by it', async () => {
    expect(await byDayOfWeek('period=day&date=2026-11-26')).toEqual([]);
    expect(await byDayOfWeek('period=day&date=2026-11-26', { ids: [1], multiple: true })).toEqual({ 1: [] });
  });

  test("several dates or sites are Matomo's errors", async () => {
    await expect(byDayOfWeek('period=day&date=last7')).rejects.toThrow(
      'VisitTime.getByDayOfWeek does not support multiple dates.',
    );
    await expect(byDayOfWeek('period=week&date=today', { ids: [1, 2] })).rejects.toThrow(
      'VisitTime.getByDayOfWeek does not support multiple sites.',
    );
  });
});
