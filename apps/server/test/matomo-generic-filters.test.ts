// Matomo's generic filters over HTTP, on real methods, with the hand-built dataset (see
// test/analytics/hand-built-dataset.ts) recorded into the server's database. Its UTC site has,
// in the week of Mon 2026-11-23: v1 (de, / and /pricing), v2 (de, /blog/2026/post-a),
// v3 (fr, /blog/ and /blog/2026/post-a), v4 (us, /pricing); v5 (us) on Nov 1, v6 (gb) in 2025.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from './analytics/analytics-fixture';
import { buildHandBuiltDataset, type HandBuiltDataset } from './analytics/hand-built-dataset';
import { callApi, seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let token: string;
let dataset: HandBuiltDataset;

beforeAll(async () => {
  server = await startTestServer();
  await seedApiFixture(server);
  token = await tokenFor(server, 'superuser', 'matomo:read');
  // The fixture's helpers, on the server's own database (they use nothing but `db`).
  const onServer = AnalyticsFixture.on(server.db);
  dataset = await buildHandBuiltDataset(onServer);
});
afterAll(() => server.stop());

type Row = { [column: string]: unknown };

type Query = Record<string, string | readonly string[]>;

async function call(method: string, query: Query): Promise<unknown> {
  const params: Record<string, string | string[]> = { idSite: String(dataset.sites.utc) };
  for (const [name, value] of Object.entries(query))
    params[name] = typeof value === 'string' ? value : [...value];
  const result = await callApi(server, method, params, { token });
  expect(result.status).toBe(200);
  return result.body;
}

async function rows(method: string, query: Query): Promise<Row[]> {
  const body = await call(method, query);
  if (!Array.isArray(body)) throw new Error(`expected rows, got ${JSON.stringify(body)}`);
  return body as Row[];
}

const labels = (list: readonly Row[]) => list.map((row) => row.label);
const week = { period: 'week', date: '2026-11-25' };

describe('UserCountry.getCountry', () => {
  test.each([
    ['default: visits descending, ties by label', {}, ['Germany', 'France', 'United States']],
    ['filter_limit', { filter_limit: '1' }, ['Germany']],
    ['filter_offset', { filter_limit: '1', filter_offset: '1' }, ['France']],
    ['filter_limit=-1', { filter_limit: '-1' }, ['Germany', 'France', 'United States']],
    [
      'filter_limit=abc: Matomo skips the limit',
      { filter_limit: 'abc' },
      ['Germany', 'France', 'United States'],
    ],
    [
      'sort by label',
      { filter_sort_column: 'label', filter_sort_order: 'asc' },
      ['France', 'Germany', 'United States'],
    ],
    [
      'sort by visits ascending: ties by label descending',
      { filter_sort_order: 'asc' },
      ['United States', 'France', 'Germany'],
    ],
    [
      'filter_pattern on the label, before the limit',
      { filter_pattern: 'AN', filter_limit: '1', filter_sort_order: 'asc' },
      ['France'],
    ],
    [
      'filter_pattern on the code',
      { filter_column: 'code', filter_pattern: '^(fr|us)$' },
      ['France', 'United States'],
    ],
    ['label', { label: 'United States' }, ['United States']],
    [
      'several labels, in the order asked',
      { 'label[]': ['France', 'Nowhere', 'Germany'] },
      ['France', 'Germany'],
    ],
  ] as const)('%s', async (_name, params, expected) => {
    expect(labels(await rows('UserCountry.getCountry', { ...week, ...params }))).toEqual(expected);
  });

  test('filter_truncate sums the rest into "Others"', async () => {
    const list = await rows('UserCountry.getCountry', { ...week, filter_truncate: '1' });
    // France (v3: 3 actions, 60 s) and the United States (v4: 1 action, a bounce).
    expect(list).toHaveLength(2);
    expect(list[1]).toEqual({
      label: 'Others',
      nb_visits: 2,
      nb_actions: 4,
      max_actions: 3,
      sum_visit_length: 60,
      bounce_count: 1,
      nb_visits_converted: 0,
      // A week's rows sum daily unique visitors (B on Tuesday, C on Wednesday).
      sum_daily_nb_uniq_visitors: 2,
      sum_daily_nb_users: 0,
    });
  });

  test('showColumns and hideColumns keep the label and metadata', async () => {
    const [germany] = await rows('UserCountry.getCountry', { ...week, showColumns: 'nb_visits' });
    expect(germany).toMatchObject({ label: 'Germany', nb_visits: 2, code: 'de', segment: 'countryCode==de' });
    expect(germany).not.toHaveProperty('nb_actions');
    const [hidden] = await rows('UserCountry.getCountry', {
      ...week,
      hideColumns: 'nb_visits,label,segment',
    });
    expect(hidden).not.toHaveProperty('nb_visits');
    expect(hidden).not.toHaveProperty('label');
    expect(hidden).toMatchObject({ nb_actions: 8, segment: 'countryCode==de' });
  });

  test('a multi-period result gets the filters on each period', async () => {
    const body = await call('UserCountry.getCountry', {
      period: 'day',
      date: '2026-11-23,2026-11-25',
      filter_limit: '1',
      showColumns: 'nb_visits',
    });
    expect(body).toEqual({
      '2026-11-23': [expect.objectContaining({ label: 'Germany', nb_visits: 1 })],
      '2026-11-24': [expect.objectContaining({ label: 'France', nb_visits: 1 })],
      '2026-11-25': [expect.objectContaining({ label: 'United States', nb_visits: 1 })],
    });
  });

  test('a multi-site result gets the filters on each site', async () => {
    const body = (await call('UserCountry.getCountry', {
      ...week,
      idSite: `${dataset.sites.utc},${dataset.sites.plus2}`,
      filter_sort_column: 'label',
      filter_sort_order: 'desc',
      filter_limit: '2',
    })) as Record<string, Row[]>;
    expect(labels(body[String(dataset.sites.utc)] ?? [])).toEqual(['United States', 'Germany']);
    expect(labels(body[String(dataset.sites.plus2)] ?? [])).toEqual(['South Africa']);
  });
});

describe('Actions.getPageUrls', () => {
  test('filter_limit limits the top table only; expanded subtables keep their rows', async () => {
    const list = await rows('Actions.getPageUrls', { ...week, expanded: '1', filter_limit: '1' });
    expect(labels(list)).toEqual(['blog']);
    expect(labels((list[0]?.subtable as Row[]) ?? [])).toEqual(['2026', '/index']);
  });

  test('sort by label: natural and case-insensitive, "/" before letters', async () => {
    const list = await rows('Actions.getPageUrls', {
      ...week,
      filter_sort_column: 'label',
      filter_sort_order: 'asc',
    });
    expect(labels(list)).toEqual(['/index', '/pricing', 'blog']);
  });

  test('label with ">" reaches into the subtables without showing them', async () => {
    const list = await rows('Actions.getPageUrls', { ...week, label: 'blog>2026>/post-a' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      label: '/post-a',
      nb_visits: 2,
      url: 'https://utc.example/blog/2026/post-a',
    });
    expect(list[0]).not.toHaveProperty('subtable');
    expect(await rows('Actions.getPageUrls', { ...week, label: 'blog>nothing' })).toEqual([]);
  });

  test('filter_pattern_recursive keeps the folders above a match', async () => {
    const list = await rows('Actions.getPageUrls', {
      ...week,
      expanded: '1',
      filter_pattern_recursive: 'post-a',
    });
    expect(labels(list)).toEqual(['blog']);
    const [year] = (list[0]?.subtable as Row[]) ?? [];
    expect(year?.label).toBe('2026');
    expect(labels((year?.subtable as Row[]) ?? [])).toEqual(['/post-a']);
  });

  test('filter_truncate: the Others row has its rates computed from its sums', async () => {
    const list = await rows('Actions.getPageUrls', { ...week, filter_truncate: '1' });
    expect(labels(list)).toEqual(['blog', 'Others']);
    // /pricing (v1: 60 s then exit; v4: entry, bounce, exit) and /index (v1: entry, 30 s):
    // 3 visits, 3 hits, 2 entries, 1 bounce, 2 exits, 90 s.
    expect(list[1]).toMatchObject({
      nb_visits: 3,
      nb_hits: 3,
      entry_nb_visits: 2,
      entry_bounce_count: 1,
      exit_nb_visits: 2,
      sum_time_spent: 90,
      avg_time_on_page: 30,
      bounce_rate: '50%',
      exit_rate: '67%',
    });
    expect(list[1]).not.toHaveProperty('url');
    expect(list[1]).not.toHaveProperty('segment');
    expect(list[1]).not.toHaveProperty('idsubdatatable');
  });
});

describe('Live.getLastVisitsDetails', () => {
  const ids = (list: readonly Row[]) => list.map((row) => row.idVisit);

  test('filter_limit and filter_offset are the visit log`s own', async () => {
    const { v1, v2, v3, v4 } = dataset.visits;
    expect(ids(await rows('Live.getLastVisitsDetails', { filter_limit: '2' }))).toEqual([v4, v3]);
    expect(ids(await rows('Live.getLastVisitsDetails', { filter_limit: '2', filter_offset: '2' }))).toEqual([
      v2,
      v1,
    ]);
  });

  test('filter_limit=abc: Matomo`s Live default of 10 visits, no error', async () => {
    expect(await rows('Live.getLastVisitsDetails', { filter_limit: 'abc' })).toHaveLength(6);
  });

  test('filter_pattern on a column; showColumns; hideColumns also inside actionDetails', async () => {
    const { v4, v5 } = dataset.visits;
    const us = await rows('Live.getLastVisitsDetails', {
      filter_column: 'countryCode',
      filter_pattern: '^us$',
      showColumns: 'idVisit,countryCode',
    });
    expect(us).toEqual([
      { idVisit: v4, countryCode: 'us' },
      { idVisit: v5, countryCode: 'us' },
    ]);
    const [latest] = await rows('Live.getLastVisitsDetails', { filter_limit: '1', hideColumns: 'timeSpent' });
    const actions = latest?.actionDetails as Row[];
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).not.toHaveProperty('timeSpent');
  });
});
