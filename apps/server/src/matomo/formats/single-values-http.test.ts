// A single-value method (VisitsSummary.getVisits) on periods without visits, in every format, as
// Matomo answers: its archive fills a one-metric period with 0 (DataTableFactory::
// makeFromMetricsArray). JSON and CSV/TSV then show the 0; XML writes a map entry PHP's
// `empty()` holds as `<result date="…" />` (Renderer/Xml.php::renderDataTableMap, case 1,
// tests/PHPUnit/System/expected/test_noVisit_PeriodIsLast__VisitsSummary.getVisits_day.xml),
// but a lone 0 as `<result>0</result>` (test_noVisit__VisitsSummary.getVisits_day.xml).

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

async function text(date: string, format: string): Promise<string> {
  const params = { idSite: '1', period: 'day', date, format, convertToUnicode: '0' };
  const result = await callApi(server, 'VisitsSummary.getVisits', params, { token });
  expect(result.status).toBe(200);
  return result.text;
}

describe('VisitsSummary.getVisits without visits', () => {
  test('several periods: 0 in JSON, CSV and TSV; empty elements in XML', async () => {
    const days = JSON.parse(await text('last3', 'json')) as Record<string, unknown>;
    const labels = Object.keys(days);
    expect(labels).toHaveLength(3);
    expect(Object.values(days)).toEqual([0, 0, 0]);
    expect(await text('last3', 'xml')).toBe(
      [
        '<?xml version="1.0" encoding="utf-8" ?>',
        '<results>',
        ...labels.map((label) => `\t<result date="${label}" />`),
        '</results>',
      ].join('\n'),
    );
    expect(await text('last3', 'csv')).toBe(['date,value', ...labels.map((l) => `${l},0`)].join('\n'));
    expect(await text('last3', 'tsv')).toBe(['date\tvalue', ...labels.map((l) => `${l}\t0`)].join('\n'));
  });

  test('one period: {"value":0}, <result>0</result>, and value/0', async () => {
    expect(JSON.parse(await text('today', 'json'))).toEqual({ value: 0 });
    expect(await text('today', 'xml')).toBe('<?xml version="1.0" encoding="utf-8" ?>\n<result>0</result>');
    expect(await text('today', 'csv')).toBe('value\n0');
    expect(await text('today', 'tsv')).toBe('value\n0');
  });
});
