import { beforeAll, describe, expect, test } from 'vitest';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import { analyticsMethods } from './index';

/*
 * Site 1 of the hand-built dataset, week of Monday 2026-11-23 (time spent: until the next action):
 *   v1 A  Home (30 s)  Pricing (60 s)  download   3 actions, 90 s   entry Home      exit Pricing
 *   v2 A  Post A                                bounce            entry Post A    exit Post A
 *   v3 B  Blog (20 s)  Post A (40 s)  search    3 actions, 60 s   entry Blog      exit Post A
 *   v4 C  Pricing                               bounce            entry Pricing   exit Pricing
 * A site of its own, Monday 2026-11-23, pages without a title (titles belong to the shared
 * `log_action` rows, so these paths are used nowhere else), one visitor:
 *   x1  /no-title-1 (10 s)  /no-title-2     2 actions, 10 s
 *   x2  /no-title-1                         bounce
 */
const { fixture } = useHandBuiltDataset();
let untitled: number;

beforeAll(async () => {
  untitled = await fixture.addSite('UTC', 'https://untitled.example');
  await fixture.record(
    {
      idsite: untitled,
      visitor: '4444444444444444',
      actions: [
        { at: '2026-11-23T08:00:00Z', page: '/no-title-1' },
        { at: '2026-11-23T08:00:10Z', page: '/no-title-2' },
      ],
    },
    {
      idsite: untitled,
      visitor: '4444444444444444',
      actions: [{ at: '2026-11-23T09:00:00Z', page: '/no-title-1' }],
    },
  );
});
const WEEK = 'period=week&date=2026-11-23';

function run(query: string, ids = [1]) {
  return analyticsMethods['Actions.getPageTitles'].run(fixture.context(query, { ids }));
}

describe('Actions.getPageTitles', () => {
  test('one flat row per title (no category delimiter by default), with entries and exits by title; a week sums daily uniques', async () => {
    expect(await run(WEEK)).toEqual([
      {
        label: 'Post A',
        nb_visits: 2,
        nb_hits: 2,
        sum_time_spent: 40,
        entry_nb_visits: 1,
        entry_nb_actions: 1,
        entry_sum_visit_length: 0,
        entry_bounce_count: 1,
        exit_nb_visits: 2,
        sum_daily_nb_uniq_visitors: 2,
        sum_daily_entry_nb_uniq_visitors: 1,
        sum_daily_exit_nb_uniq_visitors: 2,
        avg_time_on_page: 20,
        bounce_rate: '100%',
        exit_rate: '100%',
        segment: 'pageTitle==Post%2BA',
      },
      {
        label: 'Pricing',
        nb_visits: 2,
        nb_hits: 2,
        sum_time_spent: 60,
        entry_nb_visits: 1,
        entry_nb_actions: 1,
        entry_sum_visit_length: 0,
        entry_bounce_count: 1,
        exit_nb_visits: 2,
        sum_daily_nb_uniq_visitors: 2,
        sum_daily_entry_nb_uniq_visitors: 1,
        sum_daily_exit_nb_uniq_visitors: 2,
        avg_time_on_page: 30,
        bounce_rate: '100%',
        exit_rate: '100%',
        segment: 'pageTitle==Pricing',
      },
      {
        label: 'Blog',
        nb_visits: 1,
        nb_hits: 1,
        sum_time_spent: 20,
        entry_nb_visits: 1,
        entry_nb_actions: 3,
        entry_sum_visit_length: 60,
        entry_bounce_count: 0,
        exit_nb_visits: 0,
        sum_daily_nb_uniq_visitors: 1,
        sum_daily_entry_nb_uniq_visitors: 1,
        avg_time_on_page: 20,
        bounce_rate: '0%',
        exit_rate: '0%',
        segment: 'pageTitle==Blog',
      },
      {
        label: 'Home',
        nb_visits: 1,
        nb_hits: 1,
        sum_time_spent: 30,
        entry_nb_visits: 1,
        entry_nb_actions: 7,
        entry_sum_visit_length: 90,
        entry_bounce_count: 0,
        exit_nb_visits: 0,
        sum_daily_nb_uniq_visitors: 1,
        sum_daily_entry_nb_uniq_visitors: 1,
        avg_time_on_page: 30,
        bounce_rate: '0%',
        exit_rate: '0%',
        segment: 'pageTitle==Home',
      },
    ]);
  });

  test('pages without a title share the row "Page Name not defined"', async () => {
    expect(await run('period=day&date=2026-11-23', [untitled])).toEqual([
      {
        label: 'Page Name not defined',
        nb_visits: 2,
        nb_uniq_visitors: 1,
        nb_hits: 3,
        sum_time_spent: 10,
        entry_nb_uniq_visitors: 1,
        entry_nb_visits: 2,
        entry_nb_actions: 3,
        entry_sum_visit_length: 10,
        entry_bounce_count: 1,
        exit_nb_uniq_visitors: 1,
        exit_nb_visits: 2,
        avg_time_on_page: 5,
        bounce_rate: '50%',
        exit_rate: '100%',
        segment: 'pageTitle==',
      },
    ]);
  });

  test('with a segment, only the kept visits count', async () => {
    const rows = (await run(`${WEEK}&segment=pageTitle%3D%3DHome`)) as { label: string; nb_visits: number }[];
    expect(rows.map((row) => [row.label, row.nb_visits])).toEqual([
      ['Home', 1],
      ['Pricing', 1],
    ]);
  });

  test('several periods and sites are keyed; a period without visits is an empty table', async () => {
    const result = (await run('period=day&date=2026-11-23,2026-11-24', [1, untitled])) as Record<
      string,
      Record<string, { label: string }[]>
    >;
    expect(Object.keys(result)).toEqual(['1', String(untitled)]);
    expect(result['1']?.['2026-11-23']?.map((row) => row.label)).toEqual(['Home', 'Pricing']);
    expect(result['1']?.['2026-11-24']?.map((row) => row.label)).toEqual(['Post A', 'Blog']);
    expect(result[String(untitled)]?.['2026-11-23']?.map((row) => row.label)).toEqual([
      'Page Name not defined',
    ]);
    expect(result[String(untitled)]?.['2026-11-24']).toEqual([]);
  });

  test('there is no subtable to ask for', async () => {
    await expect(run(`${WEEK}&idSubtable=1`)).rejects.toThrow(
      new MatomoApiError('The subtable idSubtable=1 does not exist in Actions.getPageTitles.'),
    );
  });
});
