// API.getBulkRequest over HTTP: each inner call answered in order, and checked as a direct call.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callApi, passwordOf, seedApiFixture, tokenFor } from './api-fixture';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let superuserRead: string;
let superuserAll: string;
let viewerRead: string;
let viewerAll: string;
beforeAll(async () => {
  server = await startTestServer();
  await seedApiFixture(server);
  superuserRead = await tokenFor(server, 'superuser', 'matomo:read');
  superuserAll = await tokenFor(server, 'superuser', 'matomo:superuser');
  viewerRead = await tokenFor(server, 'viewer', 'matomo:read');
  viewerAll = await tokenFor(server, 'viewer', 'matomo:superuser');
});
afterAll(() => server.stop());

const bulk = (token: string, urls: string[], params: Record<string, string> = {}, verb?: 'GET' | 'POST') =>
  callApi(server, 'API.getBulkRequest', { ...params, 'urls[]': urls }, { token, verb });

const error = (message: string) => ({ result: 'error', message });

describe('API.getBulkRequest', () => {
  test('answers each call in order, as each answers alone', async () => {
    const report = { idSite: '1', period: 'day', date: '2026-11-02' };
    const alone = await callApi(server, 'Actions.get', report, { token: superuserRead });
    const result = await bulk(superuserRead, [
      'method=API.getMatomoVersion',
      `method=Actions.get&${new URLSearchParams(report)}`,
      'method=API.getMatomoVersion&format=xml',
    ]);
    expect(result.status).toBe(200);
    expect(result.body).toEqual([{ value: '5.4.0' }, alone.body, { value: '5.4.0' }]);
  });

  test('GET and the index.php form answer the same', async () => {
    const urls = ['method=API.getMatomoVersion'];
    expect((await bulk(superuserRead, urls, {}, 'GET')).body).toEqual([{ value: '5.4.0' }]);
    const index = await callApi(
      server,
      'API.getBulkRequest',
      { 'urls[0]': 'method=API.getMatomoVersion' },
      { token: superuserRead, form: 'index' },
    );
    expect(index.body).toEqual([{ value: '5.4.0' }]);
  });

  test('an inner call takes the outer parameters it does not name; its own come first', async () => {
    const outer = { idSite: '1', period: 'day', date: '2026-11-02' };
    const direct = await callApi(server, 'VisitsSummary.get', outer, { token: superuserRead });
    const other = await callApi(
      server,
      'VisitsSummary.get',
      { ...outer, idSite: '2' },
      { token: superuserRead },
    );
    const result = await bulk(
      superuserRead,
      ['method=VisitsSummary.get', 'method=VisitsSummary.get&idSite=2'],
      outer,
    );
    expect(result.body).toEqual([direct.body, other.body]);
  });

  test('a failing call gives its Matomo error in its slot, the others still answer', async () => {
    const result = await bulk(superuserRead, [
      'method=VisitsSummary.get&idSite=1&period=day&date=nope',
      'method=Nope.nope',
      'method=API.getMatomoVersion',
    ]);
    expect(result.status).toBe(200);
    const badDate = await callApi(
      server,
      'VisitsSummary.get',
      { idSite: '1', period: 'day', date: 'nope' },
      { token: superuserRead },
    );
    expect(result.body).toEqual([
      badDate.body,
      error(
        'The plugin Nope is not enabled. You can activate the plugin on Settings &gt; Plugins page in Matomo.',
      ),
      { value: '5.4.0' },
    ]);
  });

  test('a call above the token scope is refused in its slot', async () => {
    const result = await bulk(viewerRead, [
      'method=Annotations.delete&idSite=1&idNote=0',
      'method=API.getMatomoVersion',
    ]);
    expect(result.status).toBe(200);
    expect(result.body).toEqual([
      error("The access token's scope (matomo:read) does not allow this method, which needs matomo:write."),
      { value: '5.4.0' },
    ]);
  });

  test("a site the user cannot view is refused in its slot, as Matomo's NoAccessException", async () => {
    const result = await bulk(viewerAll, ['method=VisitsSummary.getVisits&idSite=2&period=day&date=today']);
    expect(result.body).toEqual([
      error("You can't access this resource as it requires 'view' access for the website id = 2."),
    ]);
  });

  test('a super-user method is refused to a user who is not one, whatever the scope', async () => {
    const result = await bulk(viewerAll, ['method=OAuth2.getClients']);
    expect(result.body).toEqual([error("You can't access this resource as it requires 'superuser' access.")]);
    const allowed = await bulk(superuserAll, ['method=OAuth2.getClients']);
    expect(Array.isArray((allowed.body as unknown[])[0])).toBe(true);
  });

  test('a POST-only method is refused, even with its password in the URL or the outer body', async () => {
    const before = await callApi(server, 'OAuth2.getClients', {}, { token: superuserAll });
    const create = `method=OAuth2.createClient&name=Sneaky&redirectUris=https%3A%2F%2Fa.example%2Fcb&passwordConfirmation=${passwordOf('superuser')}`;
    const result = await bulk(superuserAll, [create], { passwordConfirmation: passwordOf('superuser') });
    expect(result.body).toEqual([error("The method 'OAuth2.createClient' only accepts POST requests.")]);
    const after = await callApi(server, 'OAuth2.getClients', {}, { token: superuserAll });
    expect(after.body).toEqual(before.body);
  });

  test('an access token inside a call is refused: the Authorization header is the only place', async () => {
    const result = await bulk(superuserRead, ['method=API.getMatomoVersion&access_token=abc']);
    expect(result.body).toEqual([
      error('Send the access token in one place only: the Authorization header.'),
    ]);
  });

  test('a nested API.getBulkRequest, or a call naming no method, is skipped as Matomo skips it', async () => {
    const nested = `method=API.getBulkRequest&${new URLSearchParams({ 'urls[]': 'method=API.getMatomoVersion' })}`;
    const result = await bulk(superuserRead, [nested, 'idSite=1', 'method=API.getMatomoVersion']);
    expect(result.body).toEqual([{ value: '5.4.0' }]);
  });

  test('no urls is an error; urls that is no list answers []', async () => {
    const missing = await callApi(server, 'API.getBulkRequest', {}, { token: superuserRead });
    expect(missing.body).toEqual(error("Please specify a value for 'urls'."));
    const notAList = await callApi(
      server,
      'API.getBulkRequest',
      { urls: 'method=API.getMatomoVersion' },
      { token: superuserRead },
    );
    expect(notAList.body).toEqual([]);
  });

  test('the outer request still needs a valid token', async () => {
    const result = await callApi(server, 'API.getBulkRequest', { 'urls[]': 'method=API.getMatomoVersion' });
    expect(result.status).toBe(401);
  });
});
