// Referrers.getReferrerType and DevicesDetection.getType over HTTP, where the route matters: the
// access check before the one-site message, the generic filters on the zero rows, the formats.
// The hand-built dataset (test/analytics/hand-built-dataset.ts) on the server's database: in the
// week of Mon 2026-11-23 the UTC site has v1 (search, Desktop), v2 (direct, Desktop), v3
// (social, Smartphone), v4 (campaign, Tablet).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AnalyticsFixture } from './analytics/analytics-fixture';
import { buildHandBuiltDataset, type HandBuiltDataset } from './analytics/hand-built-dataset';
import { callApi, seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let superuser: string;
let viewer: string;
let dataset: HandBuiltDataset;

beforeAll(async () => {
  server = await startTestServer();
  await seedApiFixture(server);
  superuser = await tokenFor(server, 'superuser', 'matomo:read');
  viewer = await tokenFor(server, 'viewer', 'matomo:read');
  const onServer = AnalyticsFixture.on(server.db);
  dataset = await buildHandBuiltDataset(onServer);
});
afterAll(() => server.stop());

const week = { period: 'week', date: '2026-11-25' };

async function call(method: string, params: Record<string, string>, token = superuser) {
  return callApi(server, method, { idSite: String(dataset.sites.utc), ...params }, { token });
}

describe('Referrers.getReferrerType', () => {
  test("several sites: Matomo's checkSingleSite message, once every site passed the access check", async () => {
    const message = 'Referrers.getReferrerType with multiple sites is not supported (yet).';
    const { utc, plus2 } = dataset.sites;
    for (const idSite of [`${utc},${plus2}`, 'all']) {
      const result = await call('Referrers.getReferrerType', { ...week, idSite });
      expect(result.body, idSite).toEqual({ result: 'error', message });
    }
    // The viewer may read the demo's site 1 only, not the dataset's: Matomo's checkUserHasViewAccess answers first.
    const denied = await call('Referrers.getReferrerType', { ...week, idSite: `1,${utc}` }, viewer);
    expect(denied.body).toMatchObject({
      result: 'error',
      message: `You can't access this resource as it requires 'view' access for the website id = ${utc}.`,
    });
  });

  test('referrer_type is the type id in XML too (test_OneVisitorTwoVisits__Referrers.getReferrerType_day.xml)', async () => {
    const result = await call('Referrers.getReferrerType', { ...week, typeReferrer: '2', format: 'xml' });
    expect(result.text).toContain(
      '<segment>referrerType==search</segment>\n\t\t<referrer_type>2</referrer_type>',
    );
    expect(result.text.match(/<label>/g)).toHaveLength(1);
  });

  test('an idSubtable of no type with referrers gives the whole report', async () => {
    const whole = await call('Referrers.getReferrerType', week);
    const result = await call('Referrers.getReferrerType', { ...week, idSubtable: '1' });
    expect(result.body).toEqual(whole.body);
    expect((result.body as unknown[]).length).toBe(4);
  });
});

describe('DevicesDetection.getType', () => {
  type Row = { label: string; nb_visits: number };
  const labels = async (params: Record<string, string>) =>
    ((await call('DevicesDetection.getType', { ...week, ...params })).body as Row[]).map((row) => row.label);

  test('the generic filters see the zero rows, which Matomo adds before them', async () => {
    expect(await labels({ filter_limit: '4' })).toEqual(['Desktop', 'Smartphone', 'Tablet', 'Camera']);
    expect(
      await labels({ filter_sort_column: 'label', filter_sort_order: 'asc', filter_limit: '4' }),
    ).toEqual(['Camera', 'Car browser', 'Console', 'Desktop']);
    // Ascending by visits: ties by label descending, as Matomo's Sort filter.
    expect(await labels({ filter_sort_order: 'asc', filter_limit: '3' })).toEqual([
      'Wearable',
      'Tv',
      'Smart speaker',
    ]);
    expect(await labels({ filter_pattern: '^smart' })).toEqual([
      'Smartphone',
      'Smart display',
      'Smart speaker',
    ]);
  });
});
