// MultiSites.getAll over HTTP: it takes no idSite and covers exactly the sites the caller can view.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callApi, seedApiFixture, tokenFor } from '../../test/api-fixture';
import { startTestServer, type TestServer } from '../../test/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 40 });
  await seedApiFixture(server);
});
afterAll(() => server.stop());

const sitesOf = (body: unknown): unknown[] => (body as { idsite: unknown }[]).map((row) => row.idsite);

describe('MultiSites.getAll', () => {
  test('a super user sees every site with visits; a viewer of site 1 only site 1, whatever idSite says', async () => {
    const params = { period: 'year', date: 'today', format: 'json' };
    const all = await callApi(server, 'MultiSites.getAll', params, {
      token: await tokenFor(server, 'superuser', 'matomo:read'),
    });
    expect(all.status).toBe(200);
    expect([...sitesOf(all.body)].sort()).toEqual([1, 2, 3]);
    const viewerToken = await tokenFor(server, 'viewer', 'matomo:read');
    const viewer = await callApi(server, 'MultiSites.getAll', params, { token: viewerToken, verb: 'GET' });
    expect(viewer.status).toBe(200);
    expect(sitesOf(viewer.body)).toEqual([1]);
    const named = await callApi(
      server,
      'MultiSites.getAll',
      { ...params, idSite: '2' },
      { token: viewerToken },
    );
    expect(sitesOf(named.body)).toEqual([1]);
  });

  test("a caller without access to any site gets Matomo's NoAccess error", async () => {
    const result = await callApi(
      server,
      'MultiSites.getAll',
      { period: 'day', date: 'today', format: 'json' },
      { token: await tokenFor(server, 'noaccess', 'matomo:read') },
    );
    expect(result.status).toBe(401);
    expect(result.body).toEqual({
      result: 'error',
      message: "You can't access this resource as it requires 'view' access for at least one website.",
    });
  });
});

describe('MultiSites.getOne', () => {
  test('needs view access to the site named', async () => {
    const token = await tokenFor(server, 'viewer', 'matomo:read');
    const params = { period: 'day', date: 'today', format: 'json' };
    expect((await callApi(server, 'MultiSites.getOne', { ...params, idSite: '1' }, { token })).status).toBe(
      200,
    );
    const refused = await callApi(server, 'MultiSites.getOne', { ...params, idSite: '2' }, { token });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      result: 'error',
      message: "You can't access this resource as it requires 'view' access for the website id = 2.",
    });
  });
});
