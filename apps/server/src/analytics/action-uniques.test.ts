import { beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from '../../test/analytics/analytics-fixture';
import { analyticsMethods } from './index';

/*
 * One site in Africa/Johannesburg (UTC+2 all year), week of Monday 2026-11-23 (local days):
 *   x1  X  Mon 23 22:30 UTC (Tue 00:30)  /p "P" (60 s)  22:31 download dl.example/f.pdf   entry /p  exit /p
 *   x2  X  Tue 24 20:00 UTC (Tue 22:00)  /p                                 bounce        entry /p  exit /p
 *   y1  Y  Tue 24 10:00 UTC (Tue 12:00)  /p (20 s)  /q "Q"                  20 s          entry /p  exit /q
 *   x3  X  Wed 25 08:00 UTC (Wed 10:00)  /q (30 s)  /p (30 s)  download f.pdf   60 s      entry /q  exit /p
 *   z1  Z  Thu 26 08:00 UTC              /docs/r                            bounce
 * Matomo sums a week's unique visitors from its days: /p is seen by X on Tuesday (twice) and
 * Wednesday and by Y on Tuesday, so 3 (2 visitors over the week, 4 by UTC days).
 */
const fixture = AnalyticsFixture.forTests();
let site: number;
const X = '1010101010101010';
const Y = '2020202020202020';

beforeAll(async () => {
  site = await fixture.addSite('Africa/Johannesburg', 'https://days.example');
  await fixture.record(
    {
      idsite: site,
      visitor: X,
      actions: [
        { at: '2026-11-23T22:30:00Z', page: '/p', title: 'P' },
        { at: '2026-11-23T22:31:00Z', download: 'https://dl.example/f.pdf' },
      ],
    },
    { idsite: site, visitor: X, actions: [{ at: '2026-11-24T20:00:00Z', page: '/p', title: 'P' }] },
    {
      idsite: site,
      visitor: Y,
      actions: [
        { at: '2026-11-24T10:00:00Z', page: '/p', title: 'P' },
        { at: '2026-11-24T10:00:20Z', page: '/q', title: 'Q' },
      ],
    },
    {
      idsite: site,
      visitor: X,
      actions: [
        { at: '2026-11-25T08:00:00Z', page: '/q', title: 'Q' },
        { at: '2026-11-25T08:00:30Z', page: '/p', title: 'P' },
        { at: '2026-11-25T08:01:00Z', download: 'https://dl.example/f.pdf' },
      ],
    },
    {
      idsite: site,
      visitor: '3030303030303030',
      actions: [{ at: '2026-11-26T08:00:00Z', page: '/docs/r', title: 'R' }],
    },
  );
});

const WEEK = 'period=week&date=2026-11-23';
const TUESDAY = 'period=day&date=2026-11-24';
const enc = (url: string) => encodeURIComponent(encodeURIComponent(url));

type Method =
  | 'Actions.getPageUrls'
  | 'Actions.getEntryPageUrls'
  | 'Actions.getExitPageUrls'
  | 'Actions.getPageTitles'
  | 'Actions.getDownloads';

async function rows(method: Method, query: string): Promise<Record<string, unknown>[]> {
  return (await analyticsMethods[method].run(fixture.context(query, { ids: [site] }))) as Record<
    string,
    unknown
  >[];
}

const pWeek = {
  label: '/p',
  nb_visits: 4,
  nb_hits: 4,
  sum_time_spent: 110,
  entry_nb_visits: 3,
  entry_nb_actions: 5,
  entry_sum_visit_length: 80,
  entry_bounce_count: 1,
  exit_nb_visits: 3,
  // (X, Tue), (X, Wed), (Y, Tue); entries (X, Tue), (Y, Tue); exits (X, Tue), (X, Wed).
  sum_daily_nb_uniq_visitors: 3,
  sum_daily_entry_nb_uniq_visitors: 2,
  sum_daily_exit_nb_uniq_visitors: 2,
  avg_time_on_page: 28,
  bounce_rate: '33%',
  exit_rate: '75%',
  url: 'https://days.example/p',
  segment: `pageUrl==${enc('https://days.example/p')}`,
};

const pTuesday = {
  label: '/p',
  nb_visits: 3,
  nb_uniq_visitors: 2,
  nb_hits: 3,
  sum_time_spent: 80,
  entry_nb_uniq_visitors: 2,
  entry_nb_visits: 3,
  entry_nb_actions: 5,
  entry_sum_visit_length: 80,
  entry_bounce_count: 1,
  exit_nb_uniq_visitors: 1,
  exit_nb_visits: 2,
  avg_time_on_page: 27,
  bounce_rate: '33%',
  exit_rate: '67%',
  url: 'https://days.example/p',
  segment: `pageUrl==${enc('https://days.example/p')}`,
};

describe('unique visitors of the Actions reports', () => {
  test('getPageUrls, week: sum_daily_* after the summed columns, per (visitor, local day)', async () => {
    const week = await rows('Actions.getPageUrls', WEEK);
    expect(week[0]).toEqual(pWeek);
    // Matomo's order (tests/PHPUnit/System/expected/test_CustomEvents__Actions.getPageUrls_month.xml).
    expect(Object.keys(week[0] ?? {})).toEqual(Object.keys(pWeek));
    // /q: Y entered nowhere there but left from it; X entered there: each count only where it applies.
    expect(week.find((row) => row.label === '/q')).toMatchObject({
      sum_daily_nb_uniq_visitors: 2,
      sum_daily_entry_nb_uniq_visitors: 1,
      sum_daily_exit_nb_uniq_visitors: 1,
    });
  });

  test('getPageUrls, day: the day counts in Matomo order; no entry count where no visit entered', async () => {
    const tuesday = await rows('Actions.getPageUrls', TUESDAY);
    expect(tuesday[0]).toEqual(pTuesday);
    expect(Object.keys(tuesday[0] ?? {})).toEqual(Object.keys(pTuesday));
    const q = tuesday.find((row) => row.label === '/q');
    expect(q).toMatchObject({ nb_uniq_visitors: 1, exit_nb_uniq_visitors: 1, entry_nb_visits: 0 });
    expect(q).not.toHaveProperty('entry_nb_uniq_visitors');
  });

  test('folder rows have no unique visitor counts, on a day or a week', async () => {
    for (const query of ['period=day&date=2026-11-26', WEEK]) {
      const docs = (await rows('Actions.getPageUrls', `${query}&expanded=1`)).find(
        (row) => row.label === 'docs',
      );
      expect(docs).toBeDefined();
      for (const key of Object.keys(docs ?? {})) expect(key).not.toMatch(/uniq/);
      const [page] = (docs?.subtable ?? []) as Record<string, unknown>[];
      expect(page).toMatchObject({ label: '/r' });
      expect(page).toHaveProperty(query === WEEK ? 'sum_daily_nb_uniq_visitors' : 'nb_uniq_visitors', 1);
    }
  });

  test('getEntryPageUrls and getExitPageUrls have the page URL columns', async () => {
    const entries = await rows('Actions.getEntryPageUrls', `${WEEK}&flat=1`);
    expect(entries.find((row) => row.label === '/p')).toEqual({
      ...pWeek,
      segment: `entryPageUrl==${enc('https://days.example/p')}`,
    });
    const exits = await rows('Actions.getExitPageUrls', `${TUESDAY}&flat=1`);
    expect(exits.find((row) => row.label === '/p')).toEqual({
      ...pTuesday,
      segment: `exitPageUrl==${enc('https://days.example/p')}`,
    });
  });

  test('getPageTitles: a week sums daily uniques, a day counts them', async () => {
    const { url: _url, segment: _segment, label: _label, ...pWeekColumns } = pWeek;
    const [p] = await rows('Actions.getPageTitles', WEEK);
    expect(p).toEqual({ label: 'P', ...pWeekColumns, segment: 'pageTitle==P' });
    expect(Object.keys(p ?? {})).toEqual(['label', ...Object.keys(pWeekColumns), 'segment']);
    const [tuesday] = await rows('Actions.getPageTitles', TUESDAY);
    expect(tuesday).toMatchObject({
      label: 'P',
      nb_uniq_visitors: 2,
      entry_nb_uniq_visitors: 2,
      exit_nb_uniq_visitors: 1,
    });
    expect(Object.keys(tuesday ?? {}).some((key) => key.startsWith('sum_daily'))).toBe(false);
  });

  test('getDownloads: URL rows only, sum_daily_nb_uniq_visitors after the time spent', async () => {
    const [host] = await rows('Actions.getDownloads', `${WEEK}&expanded=1`);
    expect(host).toEqual({
      label: 'dl.example',
      nb_visits: 2,
      nb_hits: 2,
      sum_time_spent: 0,
      idsubdatatable: expect.any(Number),
      subtable: [
        {
          label: '/f.pdf',
          nb_visits: 2,
          nb_hits: 2,
          sum_time_spent: 0,
          // X on Tuesday and Wednesday: one visitor, two days.
          sum_daily_nb_uniq_visitors: 2,
          url: 'https://dl.example/f.pdf',
          segment: `downloadUrl==${enc('https://dl.example/f.pdf')}`,
        },
      ],
    });
    const subtable = (host?.subtable ?? []) as Record<string, unknown>[];
    expect(Object.keys(subtable[0] ?? {})).toEqual([
      'label',
      'nb_visits',
      'nb_hits',
      'sum_time_spent',
      'sum_daily_nb_uniq_visitors',
      'url',
      'segment',
    ]);
    const [tuesday] = await rows('Actions.getDownloads', `${TUESDAY}&flat=1`);
    expect(tuesday).toMatchObject({ label: 'dl.example/f.pdf', nb_visits: 1, nb_uniq_visitors: 1 });
  });
});
