// Matomo's filters on plain arrays (ResponseBuilder::handleArray: the site lists,
// Annotations.getAll), hideColumns/showColumns on records, flat=1 on a report without subtables,
// and format_metrics=1/all, over HTTP. Numbers come from the hand-built dataset (see
// test/analytics/hand-built-dataset.ts): on the UTC site v1 (Mon 23, 90 s), v2 (Tue 24, a
// returning bounce, 0 s), v3 (Tue 24, new, 60 s), v4 (Wed 25, a bounce); on the +2 site w1
// (bounce) and w3 (600 s) on its Wed 25.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from './analytics/analytics-fixture';
import { buildHandBuiltDataset, type HandBuiltDataset } from './analytics/hand-built-dataset';
import { callApi, seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let token: string;
let dataset: HandBuiltDataset;
/** Every site id, ascending, read from the database: what the superuser sees. */
let allIds: number[];

beforeAll(async () => {
  server = await startTestServer();
  await seedApiFixture(server);
  token = await tokenFor(server, 'superuser', 'matomo:read');
  const onServer = AnalyticsFixture.on(server.db);
  dataset = await buildHandBuiltDataset(onServer);
  const { utc, plus2 } = dataset.sites;
  const note = { starred: 0 as const, user_login: 'superuser', created_at: 0 };
  await server.db
    .insertInto('annotations')
    .values([
      { ...note, idsite: utc, idnote: 0, date: '2026-11-23', note: 'Launch' },
      { ...note, idsite: utc, idnote: 1, date: '2026-11-24', note: 'Newsletter' },
      { ...note, idsite: plus2, idnote: 0, date: '2026-11-24', note: 'Outage' },
    ])
    .execute();
  const sites = await server.db.selectFrom('sites').select('idsite').orderBy('idsite').execute();
  allIds = sites.map((site) => site.idsite);
});
afterAll(() => server.stop());

type Row = { [column: string]: unknown };

async function call(method: string, query: Record<string, string | string[]>): Promise<unknown> {
  const result = await callApi(server, method, query, { token });
  expect(result.status).toBe(200);
  return result.body;
}

const idsOf = (list: unknown) => (list as Row[]).map((site) => site.idsite);

describe('SitesManager lists: the filters Matomo applies to a plain array', () => {
  const method = 'SitesManager.getSitesWithAtLeastViewAccess';

  test('filter_limit and filter_offset slice the list', async () => {
    expect(idsOf(await call(method, { filter_limit: '2' }))).toEqual(allIds.slice(0, 2));
    expect(idsOf(await call(method, { filter_limit: '2', filter_offset: '1' }))).toEqual(allIds.slice(1, 3));
    expect(idsOf(await call(method, { filter_offset: '4' }))).toEqual(allIds.slice(4));
    expect(idsOf(await call(method, { filter_limit: '0' }))).toEqual([]);
  });

  test('a negative offset counts from the end (array_slice); a bad limit is no limit', async () => {
    expect(idsOf(await call(method, { filter_limit: '1', filter_offset: '-1' }))).toEqual(allIds.slice(-1));
    expect(idsOf(await call(method, { filter_limit: 'abc' }))).toEqual(allIds);
  });

  test('no sort, no truncate: the order stays the site ids', async () => {
    const body = await call(method, {
      filter_sort_column: 'name',
      filter_sort_order: 'desc',
      filter_truncate: '1',
    });
    expect(idsOf(body)).toEqual(allIds);
  });

  test('filter_pattern needs filter_column as an array; the kept entries keep their keys', async () => {
    const { utc, berlin } = dataset.sites;
    // A plain filter_column is no array to Matomo: nothing is filtered.
    expect(idsOf(await call(method, { filter_column: 'main_url', filter_pattern: 'EXAMPLE$' }))).toEqual(
      allIds,
    );
    // utc.example and berlin.example match (plus2.example/ ends with a slash), case-insensitively.
    const body = (await call(method, {
      'filter_column[]': 'main_url',
      filter_pattern: 'EXAMPLE$',
    })) as Record<string, Row>;
    expect(body).toEqual({
      [String(allIds.indexOf(utc))]: expect.objectContaining({ idsite: utc }),
      [String(allIds.indexOf(berlin))]: expect.objectContaining({ idsite: berlin }),
    });
    // With a limit, array_slice renumbers them: a list again.
    const sliced = await call(method, {
      'filter_column[]': 'main_url',
      filter_pattern: 'example$',
      filter_limit: '5',
    });
    expect(idsOf(sliced)).toEqual([utc, berlin]);
  });

  test('showColumns and hideColumns on each site', async () => {
    const [first] = (await call(method, { showColumns: 'idsite,name', filter_limit: '1' })) as Row[];
    expect(Object.keys(first ?? {})).toEqual(['idsite', 'name']);
    const [hidden] = (await call(method, { hideColumns: 'ts_created,main_url', filter_limit: '1' })) as Row[];
    expect(hidden).not.toHaveProperty('ts_created');
    expect(hidden).not.toHaveProperty('main_url');
    expect(hidden).toHaveProperty('timezone');
  });

  test('getSitesIdWithAtLeastViewAccess: limit and offset, no columns to show', async () => {
    const ids = 'SitesManager.getSitesIdWithAtLeastViewAccess';
    expect(await call(ids, { filter_limit: '2', filter_offset: '1', showColumns: 'x' })).toEqual(
      allIds.slice(1, 3),
    );
    // Matomo's array_key_exists on an id fails: PHP's own message.
    expect(await call(ids, { 'filter_column[]': 'idsite', filter_pattern: '1' })).toEqual({
      result: 'error',
      message: 'array_key_exists(): Argument #2 ($array) must be of type array, int given',
    });
  });
});

describe('Annotations.getAll: a map keyed by site id is a plain array too', () => {
  const idSite = () => `${dataset.sites.utc},${dataset.sites.plus2}`;

  test('without filters, keyed by site', async () => {
    const body = (await call('Annotations.getAll', { idSite: idSite() })) as Record<string, Row[]>;
    expect(Object.keys(body)).toEqual([String(dataset.sites.utc), String(dataset.sites.plus2)]);
  });

  test('filter_limit slices the sites and renumbers them: a list of note lists', async () => {
    const body = await call('Annotations.getAll', {
      idSite: idSite(),
      filter_limit: '1',
      filter_offset: '1',
    });
    expect(body).toEqual([[expect.objectContaining({ note: 'Outage', idNote: 0 })]]);
  });

  test('showColumns does not reach the notes (the first entry is a list, not a record)', async () => {
    const body = (await call('Annotations.getAll', { idSite: idSite(), showColumns: 'note' })) as Record<
      string,
      Row[]
    >;
    expect(body[String(dataset.sites.utc)]?.[0]).toHaveProperty('date', '2026-11-23');
  });
});

describe('records: hideColumns and showColumns', () => {
  const day = { idSite: '', period: 'day', date: '2026-11-24' };

  test('VisitsSummary.get&showColumns keeps only those', async () => {
    const body = await call('VisitsSummary.get', {
      ...day,
      idSite: String(dataset.sites.utc),
      showColumns: 'nb_visits,bounce_rate',
    });
    expect(body).toEqual({ nb_visits: 2, bounce_rate: '50%' });
  });

  test('on each record of a multi-period map; an empty period stays []', async () => {
    const body = await call('VisitsSummary.get', {
      idSite: String(dataset.sites.utc),
      period: 'day',
      date: '2026-11-24,2026-11-26',
      hideColumns:
        'nb_uniq_visitors,nb_users,nb_actions,nb_visits_converted,bounce_count,sum_visit_length,max_actions,nb_actions_per_visit',
    });
    expect(body).toEqual({
      '2026-11-24': { nb_visits: 2, bounce_rate: '50%', avg_time_on_site: 30 },
      '2026-11-25': { nb_visits: 1, bounce_rate: '100%', avg_time_on_site: 0 },
      '2026-11-26': [],
    });
  });
});

describe('flat=1 on a report without subtables', () => {
  test('UserCountry.getCountry: the same rows', async () => {
    const query = { idSite: String(dataset.sites.utc), period: 'week', date: '2026-11-25' };
    const flat = await call('UserCountry.getCountry', { ...query, flat: '1' });
    expect(flat).toEqual(await call('UserCountry.getCountry', query));
    expect((flat as Row[]).map((row) => row.label)).toEqual(['Germany', 'France', 'United States']);
  });
});

describe('format_metrics', () => {
  const utcDays = () => ({ idSite: String(dataset.sites.utc), period: 'day', date: '2026-11-23,2026-11-25' });
  const shown = { showColumns: 'bounce_rate,nb_actions_per_visit,avg_time_on_site' };

  test('1: avg_time_on_site as a sentence, rates as percentages, nb_actions_per_visit a number', async () => {
    const body = (await call('VisitsSummary.get', { ...utcDays(), ...shown, format_metrics: '1' })) as Record<
      string,
      Row
    >;
    // Mon 23: v1, 90 s. Tue 24: (0 + 60) / 2 = 30 s. Wed 25: v4, a bounce.
    expect(body['2026-11-23']).toMatchObject({ bounce_rate: '0%', avg_time_on_site: '1 min 30s' });
    expect(body['2026-11-24']).toMatchObject({ bounce_rate: '50%', avg_time_on_site: '30s' });
    expect(body['2026-11-25']).toEqual({
      bounce_rate: '100%',
      nb_actions_per_visit: 1,
      avg_time_on_site: '0s',
    });
  });

  test('all formats the same metrics; bc (the default) and 0 leave the time a number', async () => {
    const query = { idSite: String(dataset.sites.plus2), period: 'day', date: '2026-11-25', ...shown };
    // w1 (bounce, 0 s) and w3 (600 s): 300 s, "5 min 0s".
    expect(await call('VisitsSummary.get', { ...query, format_metrics: 'all' })).toEqual({
      bounce_rate: '50%',
      nb_actions_per_visit: 1.5,
      avg_time_on_site: '5 min 0s',
    });
    expect(await call('VisitsSummary.get', query)).toEqual({
      bounce_rate: '50%',
      nb_actions_per_visit: 1.5,
      avg_time_on_site: 300,
    });
    expect(await call('VisitsSummary.get', { ...query, format_metrics: '0' })).toEqual({
      bounce_rate: 0.5,
      nb_actions_per_visit: 1.5,
      avg_time_on_site: 300,
    });
  });

  test('VisitFrequency.get: the returning and new visits times', async () => {
    const body = await call('VisitFrequency.get', {
      idSite: String(dataset.sites.utc),
      period: 'day',
      date: '2026-11-24',
      showColumns: 'avg_time_on_site_returning,avg_time_on_site_new',
      format_metrics: '1',
    });
    // v2 returns (a bounce, 0 s); v3 is new (60 s).
    expect(body).toEqual({ avg_time_on_site_returning: '0s', avg_time_on_site_new: '1 min 0s' });
  });

  test('Actions.getPageUrls: avg_time_on_page as a clock, after the filters', async () => {
    const [pricing] = (await call('Actions.getPageUrls', {
      idSite: String(dataset.sites.utc),
      period: 'week',
      date: '2026-11-25',
      label: '/pricing',
      showColumns: 'avg_time_on_page',
      format_metrics: '1',
    })) as Row[];
    // /pricing: v1 stayed 60 s, v4 bounced: 60 / 2 visits.
    expect(pricing).toMatchObject({ label: '/pricing', avg_time_on_page: '00:00:30' });
    expect(pricing).not.toHaveProperty('nb_visits');
  });
});
