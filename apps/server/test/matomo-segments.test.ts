// Matomo's `segment` over HTTP, on the hand-built dataset (see test/analytics/hand-built-dataset.ts)
// recorded into the server's database. In November 2026 its UTC site has v1 (de, new, / /pricing),
// v2 (de, returning), v3 (fr, new, Smartphone), v4 and v5 (us, new, Tablet; v4 saw /pricing).
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
  const onServer = AnalyticsFixture.on(server.db);
  dataset = await buildHandBuiltDataset(onServer);
});
afterAll(() => server.stop());

const month = { period: 'month', date: '2026-11-25' };

async function call(
  method: string,
  params: Record<string, string>,
  verb: 'GET' | 'POST' = 'POST',
): Promise<{ status: number; body: unknown }> {
  return callApi(server, method, { idSite: String(dataset.sites.utc), ...params }, { token, verb });
}

describe('segment over HTTP', () => {
  test.each(['GET', 'POST'] as const)('%s: AND and OR, as Matomo reads them', async (verb) => {
    const result = await call(
      'VisitsSummary.getVisits',
      { ...month, segment: 'countryCode==de,countryCode==fr;visitorType==new' },
      verb,
    );
    expect(result).toMatchObject({ status: 200, body: { value: 2 } });
  });

  test('a page URL segment as a report row gives it, through /index.php', async () => {
    const segment = `pageUrl==${encodeURIComponent('https://utc.example/pricing')}`;
    const result = await callApi(
      server,
      'UserCountry.getCountry',
      { idSite: String(dataset.sites.utc), ...month, segment },
      { token, form: 'index' },
    );
    expect(result.status).toBe(200);
    expect(
      (result.body as { label: string; nb_visits: number }[]).map((row) => [row.label, row.nb_visits]),
    ).toEqual([
      ['Germany', 1],
      ['United States', 1],
    ]);
  });

  test('browser codes and an IP range, encoded in the query string', async () => {
    // Every visit of the dataset has the address 198.51.100.0; v3 is Chrome Mobile (CM), the others Firefox (FF).
    const range = 'visitIp>=198.51.100.0;visitIp<=198.51.100.255';
    const firefox = await call(
      'VisitsSummary.getVisits',
      { ...month, segment: `browserCode==FF;${range}` },
      'GET',
    );
    expect(firefox).toMatchObject({ status: 200, body: { value: 4 } });
    const mobile = await call(
      'VisitsSummary.getVisits',
      { ...month, segment: 'browserName==Chrome%20Mobile' },
      'GET',
    );
    expect(mobile).toMatchObject({ status: 200, body: { value: 1 } });
    const outside = await call(
      'VisitsSummary.getVisits',
      { ...month, segment: 'visitIp>198.51.100.0' },
      'GET',
    );
    expect(outside).toMatchObject({ status: 200, body: { value: 0 } });
  });

  test.each([
    ['visitorColour==blue', "Segment 'visitorColour' is not a supported segment."],
    ['visitCount', "The segment condition 'visitCount' is not valid."],
    [
      'visitIp=@',
      "The segment 'visitIp=@' has no value specified. You can leave this value empty only when you use the operators: != (is not) or == (is)",
    ],
  ])('%s is an error, not unsegmented data', async (segment, message) => {
    const result = await call('VisitsSummary.get', { ...month, segment });
    expect(result).toMatchObject({ status: 200, body: { result: 'error', message } });
  });
});
