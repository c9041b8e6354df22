// A record of one column is rendered as its value, as Matomo's renderers read a one-column
// DataTable\Simple (Renderer::convertDataTableToArray; JSON wraps a lone value as {"value": …}):
// `VisitsSummary.get&columns=nb_visits` answers as `VisitsSummary.getVisits` does. hideColumns
// and showColumns reach the same renderer
// (tests/PHPUnit/System/expected/test_OneVisitorTwoVisits_hideAllColumns___VisitsSummary.get_day.xml
// keeps only nb_users: `<result>0</result>`). On a site without visits.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callApi, seedApiFixture, tokenFor } from '../../../test/api-fixture';
import { startTestServer, type TestServer } from '../../../test/test-server';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 0 });
  await seedApiFixture(server);
  token = await tokenFor(server, 'superuser', 'matomo:read');
});
afterAll(() => server.stop());

async function text(method: string, query: Record<string, string>, format = 'json'): Promise<string> {
  const params = { idSite: '1', period: 'day', format, convertToUnicode: '0', ...query };
  const result = await callApi(server, method, params, { token });
  expect(result.status).toBe(200);
  return result.text;
}
const json = async (method: string, query: Record<string, string>) => JSON.parse(await text(method, query));

describe('VisitsSummary.get with one column', () => {
  test('one period: {"value":0}, <result>0</result>, value/0', async () => {
    const query = { date: 'today', columns: 'nb_visits' };
    expect(await json('VisitsSummary.get', query)).toEqual({ value: 0 });
    expect(await text('VisitsSummary.get', query, 'xml')).toBe(
      '<?xml version="1.0" encoding="utf-8" ?>\n<result>0</result>',
    );
    expect(await text('VisitsSummary.get', query, 'csv')).toBe('value\n0');
  });

  test('keyed by period: the values, [] where a processed column has no visits', async () => {
    const visits = await json('VisitsSummary.get', { date: 'last3', columns: 'nb_visits' });
    expect(Object.values(visits)).toEqual([0, 0, 0]);
    const bounces = await json('VisitsSummary.get', { date: 'last2', columns: 'bounce_rate' });
    expect(Object.values(bounces)).toEqual([[], []]);
  });

  test('several columns stay a record; no known column is []', async () => {
    expect(await json('VisitsSummary.get', { date: 'today', columns: 'nb_visits,nb_actions' })).toEqual({
      nb_visits: 0,
      nb_actions: 0,
    });
    expect(await json('VisitsSummary.get', { date: 'today', columns: 'nb_hits' })).toEqual([]);
  });

  test('showColumns and hideColumns leaving one column: the same bare value', async () => {
    expect(await json('VisitsSummary.get', { date: 'today', showColumns: 'nb_visits' })).toEqual({
      value: 0,
    });
    const hidden =
      'nb_visits_converted,max_actions,bounce_count,nb_hits,nb_visits,nb_actions,sum_visit_length,' +
      'avg_time_on_site,bounce_rate,nb_uniq_visitors,nb_actions_per_visit,';
    expect(await text('VisitsSummary.get', { date: 'today', hideColumns: hidden }, 'xml')).toBe(
      '<?xml version="1.0" encoding="utf-8" ?>\n<result>0</result>',
    );
  });

  test('VisitFrequency.get with one suffixed column', async () => {
    expect(await json('VisitFrequency.get', { date: 'today', columns: 'nb_visits_returning' })).toEqual({
      value: 0,
    });
  });
});
