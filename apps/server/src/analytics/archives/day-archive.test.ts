import { describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../../test/analytics/hand-built-dataset';
import * as sites from '../../sites/site.repository';
import { dayNumber } from '../calendar';
import { analyticsMethods } from '../index';

// The hand-built dataset's "now" is Wednesday 2026-11-25 12:00 UTC; site 1 is in UTC.
const { fixture } = useHandBuiltDataset();

async function archivedDays(idsite: number, report = 'visits//'): Promise<number[]> {
  const rows = await fixture.db
    .selectFrom('archive_days')
    .select('day')
    .where('idsite', '=', idsite)
    .where('report', '=', report)
    .orderBy('day')
    .execute();
  return rows.map((row) => row.day);
}

const day = (text: string) => dayNumber(...(text.split('-').map(Number) as [number, number, number]));

describe('day archives', () => {
  test('a report archives the days that have ended, never today or later', async () => {
    const summary = await analyticsMethods['VisitsSummary.get'].run(
      fixture.context('period=week&date=2026-11-23'),
    );
    expect(summary).toMatchObject({ nb_visits: 4 });
    expect(await archivedDays(1)).toEqual([day('2026-11-23'), day('2026-11-24')]);
    // Asked again: the same figures, from the two archives and today's logs.
    expect(
      await analyticsMethods['VisitsSummary.get'].run(fixture.context('period=week&date=2026-11-23')),
    ).toEqual(summary);
  });

  test('a segmented request reads the logs and archives nothing', async () => {
    await fixture.db.deleteFrom('archive_days').execute();
    await analyticsMethods['VisitsSummary.get'].run(
      fixture.context('period=week&date=2026-11-23&segment=referrerType%3D%3Dsearch'),
    );
    expect(await fixture.db.selectFrom('archive_days').select('day').execute()).toEqual([]);
  });

  test('with archives off, a report reads the logs and archives nothing', async () => {
    await analyticsMethods['VisitsSummary.get'].run({
      ...fixture.context('period=month&date=2026-11-01'),
      archives: false,
    });
    expect(await fixture.db.selectFrom('archive_days').select('day').execute()).toEqual([]);
  });

  test("a site's new timezone removes its archives, and only its", async () => {
    const context = fixture.context('period=week&date=2026-11-23', { ids: [1, 2] });
    await analyticsMethods['VisitsSummary.get'].run(context);
    expect(await archivedDays(1)).not.toEqual([]);
    expect(await archivedDays(2)).not.toEqual([]);
    await sites.update(fixture.db, 1, { name: 'renamed' });
    expect(await archivedDays(1)).not.toEqual([]);
    await sites.update(fixture.db, 1, { timezone: 'UTC' });
    expect(await archivedDays(1)).toEqual([]);
    expect(await archivedDays(2)).not.toEqual([]);
  });

  test('writing visits removes the archives of the days written, and the report counts them', async () => {
    await fixture.db.deleteFrom('archive_days').execute();
    const query = 'period=month&date=2026-11-01';
    const before = await analyticsMethods['VisitsSummary.get'].run(fixture.context(query));
    expect(before).toMatchObject({ nb_visits: expect.any(Number) });
    const days = await archivedDays(1);
    expect(days).toContain(day('2026-11-01'));
    expect(days).toContain(day('2026-11-10'));
    expect(days).toContain(day('2026-11-24'));

    await fixture.record({
      idsite: 1,
      visitor: '0123456789abcdef',
      actions: [{ at: '2026-11-10T09:00:00Z', page: 'https://utc.example/new' }],
    });
    const after = await archivedDays(1);
    // The day written and the days next to it (any timezone's local day of those instants) go.
    expect(after).not.toContain(day('2026-11-09'));
    expect(after).not.toContain(day('2026-11-10'));
    expect(after).not.toContain(day('2026-11-11'));
    expect(after).toContain(day('2026-11-01'));
    expect(after).toContain(day('2026-11-24'));

    const counted = await analyticsMethods['VisitsSummary.get'].run(fixture.context(query));
    const fromLogs = await analyticsMethods['VisitsSummary.get'].run({
      ...fixture.context(query),
      archives: false,
    });
    expect(counted).toEqual(fromLogs);
    expect((counted as { nb_visits: number }).nb_visits).toBe(
      (before as { nb_visits: number }).nb_visits + 1,
    );
  });
});

describe('unique visitors of whole weeks and months', () => {
  async function archivedUniques(idsite: number): Promise<{ report: string; day: number; rows: string }[]> {
    return fixture.db
      .selectFrom('archive_days')
      .select(['report', 'day', 'rows'])
      .where('idsite', '=', idsite)
      .where('report', 'like', 'uniques/%')
      .orderBy('day')
      .execute();
  }
  const uniquesOf = (summary: unknown) => (summary as { nb_uniq_visitors: number }).nb_uniq_visitors;
  const october = 'period=month&date=2026-10-01';

  test('an ended month keeps its count; the month not ended is counted each time and never kept', async () => {
    await fixture.db.deleteFrom('archive_days').execute();
    await fixture.record(
      { idsite: 1, visitor: 'a0a0a0a0a0a0a0a0', actions: [{ at: '2026-10-05T10:00:00Z', page: '/' }] },
      { idsite: 1, visitor: 'a0a0a0a0a0a0a0a0', actions: [{ at: '2026-10-06T10:00:00Z', page: '/' }] },
      { idsite: 1, visitor: 'b0b0b0b0b0b0b0b0', actions: [{ at: '2026-10-07T10:00:00Z', page: '/' }] },
    );
    const counted = await analyticsMethods['VisitsSummary.get'].run(
      fixture.context('period=month&date=2026-10-01,2026-11-01'),
    );
    expect(counted).toMatchObject({ '2026-10': { nb_visits: 3, nb_uniq_visitors: 2 } });
    const kept = await archivedUniques(1);
    // October's, under its last day; November has not ended at "now" (2026-11-25).
    expect(kept.map((row) => [row.report.split('/')[1], row.day])).toEqual([['month', day('2026-10-31')]]);
    expect(JSON.parse(kept[0]?.rows ?? '')).toEqual([[null, null, 2]]);
  });

  test('a kept count is what the report shows (it is read, not counted again)', async () => {
    const [kept] = await archivedUniques(1);
    await fixture.db
      .updateTable('archive_days')
      .set({ rows: '[[null,null,41]]' })
      .where('idsite', '=', 1)
      .where('report', '=', kept?.report ?? '')
      .execute();
    expect(uniquesOf(await analyticsMethods['VisitsSummary.get'].run(fixture.context(october)))).toBe(41);
    await fixture.db
      .deleteFrom('archive_days')
      .where('report', '=', kept?.report ?? '')
      .execute();
    expect(uniquesOf(await analyticsMethods['VisitsSummary.get'].run(fixture.context(october)))).toBe(2);
  });

  test('a visit written in an ended month removes its count, and the next report counts the new visitor', async () => {
    expect(await archivedUniques(1)).toHaveLength(1);
    await fixture.record({
      idsite: 1,
      visitor: 'c0c0c0c0c0c0c0c0',
      actions: [{ at: '2026-10-02T10:00:00Z', page: '/' }],
    });
    // October 2 is 29 days before the month's last day: its count goes all the same.
    expect(await archivedUniques(1)).toEqual([]);
    const counted = await analyticsMethods['VisitsSummary.get'].run(fixture.context(october));
    const fromLogs = await analyticsMethods['VisitsSummary.get'].run({
      ...fixture.context(october),
      archives: false,
    });
    expect(counted).toEqual(fromLogs);
    expect(uniquesOf(counted)).toBe(3);
  });

  test('a week is kept the same way, under its Sunday', async () => {
    const week = await analyticsMethods['VisitsSummary.get'].run(
      fixture.context('period=week&date=2026-10-05'),
    );
    expect(uniquesOf(week)).toBe(2);
    const kept = await archivedUniques(1);
    expect(kept.map((row) => [row.report.split('/')[1], row.day])).toEqual([
      ['week', day('2026-10-11')],
      ['month', day('2026-10-31')],
    ]);
  });

  test('a month kept between two that are not: each is counted over its own days (regression: the one before took the visitors of the one kept)', async () => {
    await fixture.db.deleteFrom('archive_days').execute();
    // October kept; September and November not.
    await analyticsMethods['VisitsSummary.get'].run(fixture.context(october));
    await fixture.record({
      idsite: 1,
      visitor: 'd0d0d0d0d0d0d0d0',
      actions: [{ at: '2026-09-10T10:00:00Z', page: '/' }],
    });
    const query = 'period=month&date=2026-09-01,2026-11-01';
    const counted = await analyticsMethods['VisitsSummary.get'].run(fixture.context(query));
    const fromLogs = await analyticsMethods['VisitsSummary.get'].run({
      ...fixture.context(query),
      archives: false,
    });
    expect(counted).toEqual(fromLogs);
    expect(counted).toMatchObject({ '2026-09': { nb_uniq_visitors: 1 }, '2026-10': { nb_uniq_visitors: 3 } });
  });
});
