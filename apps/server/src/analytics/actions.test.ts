import type { components } from '@matomo-oauth2/sdk/openapi';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ContextOptions } from '../../test/analytics/analytics-fixture';
import { expectShape, PERCENT, SHAPES } from '../../test/analytics/contract-keys';
import { useHandBuiltDataset } from '../../test/analytics/hand-built-dataset';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { ResultOf } from './context';
import { analyticsMethods } from './index';

type PageUrlRow = components['schemas']['PageUrlRow'];

const { fixture } = useHandBuiltDataset();
let blogId: number;
let blog2026Id: number;

beforeAll(async () => {
  blogId = await fixture.actionId('folder', '/blog/');
  blog2026Id = await fixture.actionId('folder', '/blog/2026/');
});

function pageUrls(query: string, options?: ContextOptions): Promise<ResultOf<'Actions.getPageUrls'>> {
  return analyticsMethods['Actions.getPageUrls'].run(fixture.context(query, options));
}

async function rows(query: string, options?: ContextOptions): Promise<PageUrlRow[]> {
  const result = await pageUrls(query, options);
  if (!Array.isArray(result)) throw new Error('expected rows');
  return result;
}

function expectRowsShape(list: readonly PageUrlRow[]): void {
  for (const row of list) {
    expectShape(row, SHAPES.PageUrlRow);
    expect(row.bounce_rate).toMatch(PERCENT);
    expect(row.exit_rate).toMatch(PERCENT);
    if (row.subtable) expectRowsShape(row.subtable);
  }
}

describe('Actions.get', () => {
  test('page views, unique page views, downloads, outlinks and site searches of a week', async () => {
    const result = await analyticsMethods['Actions.get'].run(fixture.context('period=week&date=today'));
    expect(result).toEqual({
      nb_pageviews: 6,
      nb_uniq_pageviews: 6,
      nb_downloads: 1,
      nb_uniq_downloads: 1,
      nb_outlinks: 0,
      nb_uniq_outlinks: 0,
      nb_searches: 1,
      nb_keywords: 1,
    });
    expectShape(result, SHAPES.ActionsSummary);
  });

  test('a page seen twice in one visit is one unique page view', async () => {
    await fixture.record({
      idsite: 1,
      visitor: '0123456789abcdef',
      actions: [
        { at: '2026-09-10T10:00:00Z', page: '/docs/a' },
        { at: '2026-09-10T10:01:00Z', page: '/docs/a' },
        { at: '2026-09-10T10:02:00Z', search: 'x' },
        { at: '2026-09-10T10:03:00Z', search: 'y' },
        { at: '2026-09-10T10:04:00Z', search: 'x' },
      ],
    });
    expect(
      await analyticsMethods['Actions.get'].run(fixture.context('period=day&date=2026-09-10')),
    ).toMatchObject({
      nb_pageviews: 2,
      nb_uniq_pageviews: 1,
      nb_searches: 3,
      nb_keywords: 2,
    });
  });

  test('keyed by period and site; [] without actions', async () => {
    const result = await analyticsMethods['Actions.get'].run(
      fixture.context('period=month&date=last2', { ids: [1, 2] }),
    );
    expect(result).toMatchObject({
      '1': { '2026-10': [], '2026-11': { nb_pageviews: 7, nb_outlinks: 1, nb_uniq_outlinks: 1 } },
      '2': { '2026-10': [], '2026-11': { nb_pageviews: 4, nb_downloads: 0 } },
    });
  });
});

describe('Actions.getPageUrls', () => {
  test('the top level: folders with idsubdatatable and pages with url, by visits', async () => {
    const top = await rows('period=week&date=today');
    expect(top).toEqual([
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
        idsubdatatable: blogId,
        segment: 'pageUrl=^https%253A%252F%252Futc.example%252Fblog%252F',
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
        // A on Monday and C on Wednesday; C entered; both left from it.
        sum_daily_nb_uniq_visitors: 2,
        sum_daily_entry_nb_uniq_visitors: 1,
        sum_daily_exit_nb_uniq_visitors: 2,
        avg_time_on_page: 30,
        bounce_rate: '100%',
        exit_rate: '100%',
        url: 'https://utc.example/pricing',
        segment: 'pageUrl==https%253A%252F%252Futc.example%252Fpricing',
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
        // No visit left from it: no exit count, as in Matomo.
        sum_daily_nb_uniq_visitors: 1,
        sum_daily_entry_nb_uniq_visitors: 1,
        avg_time_on_page: 30,
        bounce_rate: '0%',
        exit_rate: '0%',
        url: 'https://utc.example/',
        segment: 'pageUrl==https%253A%252F%252Futc.example%252F',
      },
    ]);
    expectRowsShape(top);
  });

  test("idSubtable returns a folder's rows: its subfolders and its own page as /index", async () => {
    const blog = await rows(`period=week&date=today&idSubtable=${blogId}`);
    expect(blog.map((row) => [row.label, row.nb_visits, row.idsubdatatable, row.url])).toEqual([
      ['2026', 2, blog2026Id, undefined],
      ['/index', 1, undefined, 'https://utc.example/blog/'],
    ]);
    const posts = await rows(`period=week&date=today&idSubtable=${blog2026Id}`);
    expect(posts).toEqual([
      expect.objectContaining({
        label: '/post-a',
        nb_visits: 2,
        nb_hits: 2,
        sum_time_spent: 40,
        entry_nb_visits: 1,
        entry_bounce_count: 1,
        exit_nb_visits: 2,
        sum_daily_nb_uniq_visitors: 2,
        sum_daily_entry_nb_uniq_visitors: 1,
        sum_daily_exit_nb_uniq_visitors: 2,
        url: 'https://utc.example/blog/2026/post-a',
      }),
    ]);
  });

  test('idsubdatatable is the same across requests, periods and sites', async () => {
    const day = await rows('period=day&date=2026-11-24');
    const otherSite = await rows('period=day&date=2026-11-25', { ids: [2] });
    expect(day.find((row) => row.label === 'blog')?.idsubdatatable).toBe(blogId);
    expect(otherSite.find((row) => row.label === 'blog')?.idsubdatatable).toBe(blogId);
    expect((await rows('period=week&date=today')).find((row) => row.label === 'blog')?.idsubdatatable).toBe(
      blogId,
    );
  });

  test('expanded=1 nests subtables recursively', async () => {
    const top = await rows('period=week&date=today&expanded=1');
    const blog = top[0];
    expect(blog?.label).toBe('blog');
    expect(blog?.subtable?.map((row) => row.label)).toEqual(['2026', '/index']);
    expect(blog?.subtable?.[0]?.subtable?.map((row) => row.label)).toEqual(['/post-a']);
    expect(top[1]?.subtable).toBeUndefined();
    expectRowsShape(top);
  });

  test('flat=1 lists every page once with its full path, a folder page as the folder (Matomo drops /index)', async () => {
    const flat = await rows('period=week&date=today&flat=1');
    expect(flat.map((row) => [row.label, row.nb_visits, row.url, row.segment])).toEqual([
      // Equal visits and hits: the label decides.
      [
        '/blog/2026/post-a',
        2,
        'https://utc.example/blog/2026/post-a',
        'pageUrl==https%253A%252F%252Futc.example%252Fblog%252F2026%252Fpost-a',
      ],
      ['/pricing', 2, 'https://utc.example/pricing', 'pageUrl==https%253A%252F%252Futc.example%252Fpricing'],
      ['/', 1, 'https://utc.example/', 'pageUrl==https%253A%252F%252Futc.example%252F'],
      ['/blog/', 1, 'https://utc.example/blog/', 'pageUrl==https%253A%252F%252Futc.example%252Fblog%252F'],
    ]);
    expect(flat.every((row) => row.idsubdatatable === undefined)).toBe(true);
    expectRowsShape(flat);
  });

  test('filter_limit and filter_offset apply after sorting, to nested tables too', async () => {
    expect((await rows('period=week&date=today&filter_limit=1')).map((row) => row.label)).toEqual(['blog']);
    expect(
      (await rows('period=week&date=today&filter_limit=1&filter_offset=1')).map((row) => row.label),
    ).toEqual(['/pricing']);
    expect((await rows('period=week&date=today&filter_offset=2')).map((row) => row.label)).toEqual([
      '/index',
    ]);
    expect(await rows('period=week&date=today&filter_offset=5')).toEqual([]);
    expect(await rows('period=week&date=today&filter_limit=0')).toEqual([]);
    expect(await rows('period=week&date=today&filter_limit=-1')).toHaveLength(3);
    const expanded = await rows('period=week&date=today&expanded=1&filter_limit=1');
    expect(expanded.map((row) => row.label)).toEqual(['blog']);
    expect(expanded[0]?.subtable?.map((row) => row.label)).toEqual(['2026']);
  });

  test('keyed by period; a folder without visits in a period is []', async () => {
    const result = await pageUrls(`period=day&date=2026-11-23,2026-11-24&idSubtable=${blogId}`);
    expect(Object.keys(result)).toEqual(['2026-11-23', '2026-11-24']);
    expect(result).toMatchObject({
      '2026-11-23': [],
      '2026-11-24': [
        { label: '2026', nb_visits: 2 },
        { label: '/index', nb_visits: 1 },
      ],
    });
  });

  test('an idSubtable that is not a folder is an error', async () => {
    const pricing = await fixture.actionId('page', '/pricing');
    await expect(pageUrls(`period=week&date=today&idSubtable=${pricing}`)).rejects.toBeInstanceOf(
      MatomoApiError,
    );
    await expect(pageUrls('period=week&date=today&idSubtable=999999')).rejects.toThrow(/does not exist/);
  });
});
