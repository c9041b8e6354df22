import { describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import { analyticsMethods } from './index';

/*
 * Site 1 of the hand-built dataset, week of Monday 2026-11-23 (time spent: until the next action):
 *   v1 A  / (30 s)  /pricing (60 s)  download        3 actions, 90 s   entry /        exit /pricing
 *   v2 A  /blog/2026/post-a                          bounce            entry post-a   exit post-a
 *   v3 B  /blog/ (20 s)  /blog/2026/post-a (40 s)  search   3 actions, 60 s   entry /blog/   exit post-a
 *   v4 C  /pricing                                   bounce            entry /pricing exit /pricing
 * (The exit page is the visit's last page view.)
 */
const { fixture } = useHandBuiltDataset();
const WEEK = 'period=week&date=2026-11-23';

function run(
  method: 'Actions.getEntryPageUrls' | 'Actions.getExitPageUrls',
  query: string,
  options?: ContextOptions,
) {
  return analyticsMethods[method].run(fixture.context(query, { ids: [1], ...options }));
}

async function folderId(path: string): Promise<number> {
  const row = await fixture.db
    .selectFrom('log_action')
    .select('idaction')
    .where('type', '=', 'folder')
    .where('name', '=', path)
    .executeTakeFirstOrThrow();
  return row.idaction;
}

const enc = (url: string) => encodeURIComponent(encodeURIComponent(url));

describe('Actions.getEntryPageUrls', () => {
  test('keeps the rows visits entered by, with the entry columns, folders summing their pages', async () => {
    const blog = await folderId('/blog/');
    const y2026 = await folderId('/blog/2026/');
    const result = await run('Actions.getEntryPageUrls', `${WEEK}&expanded=1`);
    expect(result).toEqual([
      {
        label: 'blog',
        nb_visits: 3,
        nb_hits: 3,
        sum_time_spent: 60,
        entry_nb_visits: 2,
        entry_nb_actions: 4,
        entry_sum_visit_length: 60,
        entry_bounce_count: 1,
        exit_nb_visits: 2,
        avg_time_on_page: 20,
        bounce_rate: '50%',
        exit_rate: '67%',
        segment: `pageUrl=^${enc('https://utc.example/blog/')}`,
        idsubdatatable: blog,
        subtable: [
          {
            label: '2026',
            nb_visits: 2,
            nb_hits: 2,
            sum_time_spent: 40,
            entry_nb_visits: 1,
            entry_nb_actions: 1,
            entry_sum_visit_length: 0,
            entry_bounce_count: 1,
            exit_nb_visits: 2,
            avg_time_on_page: 20,
            bounce_rate: '100%',
            exit_rate: '100%',
            segment: `pageUrl=^${enc('https://utc.example/blog/2026/')}`,
            idsubdatatable: y2026,
            subtable: [
              {
                label: '/post-a',
                nb_visits: 2,
                nb_hits: 2,
                sum_time_spent: 40,
                entry_nb_visits: 1,
                entry_nb_actions: 1,
                entry_sum_visit_length: 0,
                entry_bounce_count: 1,
                exit_nb_visits: 2,
                // A and B on Tuesday; A entered there; both left from it.
                sum_daily_nb_uniq_visitors: 2,
                sum_daily_entry_nb_uniq_visitors: 1,
                sum_daily_exit_nb_uniq_visitors: 2,
                avg_time_on_page: 20,
                bounce_rate: '100%',
                exit_rate: '100%',
                url: 'https://utc.example/blog/2026/post-a',
                segment: `entryPageUrl==${enc('https://utc.example/blog/2026/post-a')}`,
              },
            ],
          },
          {
            label: '/index',
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
            url: 'https://utc.example/blog/',
            segment: `entryPageUrl==${enc('https://utc.example/blog/')}`,
          },
        ],
      },
      {
        label: '/pricing',
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
        url: 'https://utc.example/pricing',
        segment: `entryPageUrl==${enc('https://utc.example/pricing')}`,
      },
      {
        label: '/index',
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
        url: 'https://utc.example/',
        segment: `entryPageUrl==${enc('https://utc.example/')}`,
      },
    ]);
  });

  test('with a segment, only the kept visits count', async () => {
    const result = await run(
      'Actions.getEntryPageUrls',
      `${WEEK}&segment=${encodeURIComponent('entryPageUrl==https%3A%2F%2Futc.example%2Fpricing')}`,
    );
    expect(result).toEqual([
      {
        label: '/pricing',
        nb_visits: 1,
        nb_hits: 1,
        sum_time_spent: 0,
        entry_nb_visits: 1,
        entry_nb_actions: 1,
        entry_sum_visit_length: 0,
        entry_bounce_count: 1,
        exit_nb_visits: 1,
        sum_daily_nb_uniq_visitors: 1,
        sum_daily_entry_nb_uniq_visitors: 1,
        sum_daily_exit_nb_uniq_visitors: 1,
        avg_time_on_page: 0,
        bounce_rate: '100%',
        exit_rate: '100%',
        url: 'https://utc.example/pricing',
        segment: `entryPageUrl==${enc('https://utc.example/pricing')}`,
      },
    ]);
  });

  test('several periods are keyed by label; a period without visits is an empty table', async () => {
    const result = (await run(
      'Actions.getEntryPageUrls',
      'period=day&date=2026-11-23,2026-11-26&flat=1',
    )) as Record<string, { label: string; entry_nb_visits: number }[]>;
    expect(Object.keys(result)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']);
    expect(result['2026-11-23']?.map((row) => [row.label, row.entry_nb_visits])).toEqual([['/', 1]]);
    // v2 and v3 on the 24th: post-a is viewed twice but entered once, /blog/ entered once.
    expect(result['2026-11-24']?.map((row) => [row.label, row.entry_nb_visits])).toEqual([
      ['/blog/2026/post-a', 1],
      ['/blog/', 1],
    ]);
    expect(result['2026-11-25']?.map((row) => row.label)).toEqual(['/pricing']);
    expect(result['2026-11-26']).toEqual([]);
  });

  test('idSubtable gives one folder rows; an unknown one is an error', async () => {
    const blog = await folderId('/blog/');
    const rows = (await run('Actions.getEntryPageUrls', `${WEEK}&idSubtable=${blog}`)) as { label: string }[];
    expect(rows.map((row) => row.label)).toEqual(['2026', '/index']);
    await expect(run('Actions.getEntryPageUrls', `${WEEK}&idSubtable=999999`)).rejects.toThrow(
      new MatomoApiError('The subtable idSubtable=999999 does not exist in Actions.getEntryPageUrls.'),
    );
  });
});

describe('Actions.getExitPageUrls', () => {
  test('keeps the rows visits left from, at every depth, with the exit columns', async () => {
    const result = (await run('Actions.getExitPageUrls', `${WEEK}&expanded=1`)) as {
      label: string;
      exit_nb_visits: number;
      subtable?: { label: string; subtable?: unknown[] }[];
    }[];
    // "/" and "/blog/" were entered but never left from: gone, and so is their place in "blog".
    expect(result.map((row) => [row.label, row.exit_nb_visits])).toEqual([
      ['blog', 2],
      ['/pricing', 2],
    ]);
    expect(result[0]?.subtable?.map((row) => row.label)).toEqual(['2026']);
    expect(result[1]).toEqual({
      label: '/pricing',
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
      url: 'https://utc.example/pricing',
      segment: `exitPageUrl==${enc('https://utc.example/pricing')}`,
    });
  });

  test('flat lists every exit page with its path', async () => {
    const result = (await run('Actions.getExitPageUrls', `${WEEK}&flat=1`)) as {
      label: string;
      segment: string;
    }[];
    expect(result.map((row) => [row.label, row.segment])).toEqual([
      ['/blog/2026/post-a', `exitPageUrl==${enc('https://utc.example/blog/2026/post-a')}`],
      ['/pricing', `exitPageUrl==${enc('https://utc.example/pricing')}`],
    ]);
  });
});
