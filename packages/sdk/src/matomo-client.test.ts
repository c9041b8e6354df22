import { describe, expect, test } from 'vitest';
import { CLIENT_SECRET, CONFIDENTIAL_CLIENT, createFakeServer, type FakeServer } from '../test/fake-server';
import type { AccessTokenProvider } from './access-token-provider';
import { createClientCredentials } from './client-credentials';
import { MatomoApiError } from './errors';
import { createMatomoClient } from './matomo-client';
import { parseBearerChallenge } from './matomo-middleware';
import { processTokenResponse, tokenRequest } from './token-endpoint';
import { createTokenManager } from './token-manager';

/** A Matomo client on a session whose tokens the fake server issued, with a controllable clock. */
async function session(server: FakeServer = createFakeServer()) {
  let clock = 7_000_000;
  const tokens = createTokenManager({
    now: () => clock,
    refresh: async (refresh_token) =>
      processTokenResponse(
        await server.fetch(
          tokenRequest(
            server.metadata.token_endpoint,
            { clientId: 'dashboard' },
            { grant_type: 'refresh_token', refresh_token },
          ),
        ),
      ),
  });
  await tokens.setTokens(await server.login());
  const matomo = createMatomoClient({ baseUrl: server.issuer, auth: tokens, fetch: server.fetch });
  return { server, tokens, matomo, advance: (seconds: number) => (clock += seconds * 1000) };
}

const apiRequests = (server: FakeServer) => server.requests.filter((r) => r.url.endsWith('/index.php'));
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as MatomoApiError,
  );

describe('the wire form', () => {
  test('POSTs index.php with module, method and format first, parameters in the body, never in the URL', async () => {
    const { server, matomo, tokens } = await session();
    const summary = await matomo.call('VisitsSummary.get', {
      idSite: 1,
      period: 'day',
      date: 'today',
      segment: undefined,
    } as never);
    expect(summary).toEqual({ nb_visits: 3, nb_uniq_visitors: 2 });
    const [request] = apiRequests(server);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://auth.test/index.php');
    expect(request?.body).toBe(
      'module=API&method=VisitsSummary.get&format=json&idSite=1&period=day&date=today',
    );
    expect(request?.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request?.headers.get('authorization')).toBe(`Bearer ${(await tokens.getTokens())?.access_token}`);
  });

  test("moves a GET's query parameters into the POST body, and forces format=json", async () => {
    const { server, matomo } = await session();
    const { data } = await matomo.GET('/api/VisitsSummary.get', {
      params: { query: { idSite: '1,2', period: 'week', date: 'last2', format: 'JSON' } },
    });
    expect(data).toEqual({ '2026-11-27': { nb_visits: 3, nb_uniq_visitors: 2 }, '2026-11-28': [] });
    const [request] = apiRequests(server);
    expect(request?.url).toBe('https://auth.test/index.php');
    expect(request?.body).toBe(
      'module=API&method=VisitsSummary.get&format=json&idSite=1%2C2&period=week&date=last2',
    );
  });

  test('sends arrays PHP-style and booleans as 1/0; keeps a base path', async () => {
    const server = createFakeServer();
    const { matomo } = await session(server);
    const echoed = await matomo.call('Echo.params' as never, { grantTypes: ['a', 'b'], flat: true } as never);
    expect(echoed).toMatchObject({ module: 'API', 'grantTypes[]': 'b', flat: '1' });
    expect(apiRequests(server)[0]?.body).toContain('grantTypes%5B%5D=a&grantTypes%5B%5D=b&flat=1');
    const calls: string[] = [];
    const based = createMatomoClient({
      baseUrl: 'https://auth.test/matomo/',
      fetch: async (r) => {
        calls.push(r.url);
        return server.fetch(r);
      },
    });
    await based.call('API.getMatomoVersion').catch(() => undefined);
    expect(calls).toEqual(['https://auth.test/matomo/index.php']);
  });

  test('anonymous calls send no Authorization header', async () => {
    const server = createFakeServer();
    const matomo = createMatomoClient({ baseUrl: server.issuer, fetch: server.fetch });
    const error = await errorOf(matomo.call('API.getMatomoVersion'));
    expect(error).toMatchObject({ code: 'ERR_MATOMO_API', status: 401 });
    expect(apiRequests(server)[0]?.headers.has('authorization')).toBe(false);
  });
});

describe('Matomo errors', () => {
  test('{"result":"error"} with status 200 is a MatomoApiError', async () => {
    const { matomo } = await session();
    const error = await errorOf(
      matomo.call('VisitsSummary.get', { idSite: '', period: 'day', date: 'today' }),
    );
    expect(error).toBeInstanceOf(MatomoApiError);
    expect(error).toMatchObject({
      code: 'ERR_MATOMO_API',
      status: 200,
      message: "Please specify a value for 'idSite'.",
    });
  });

  test('the raw openapi-fetch client throws the same way (no MatomoError ever in data)', async () => {
    const { matomo } = await session();
    await expect(
      matomo.POST('/api/VisitsSummary.get', { body: { idSite: '', period: 'day', date: 'today' } }),
    ).rejects.toMatchObject({ code: 'ERR_MATOMO_API', status: 200 });
  });

  test('an unknown method (400) and a non-JSON 502 are MatomoApiErrors with their status', async () => {
    const { matomo } = await session();
    expect(await errorOf(matomo.call('Nope.nope' as never))).toMatchObject({
      status: 400,
      code: 'ERR_MATOMO_API',
    });
    expect(await errorOf(matomo.call('Down.page' as never))).toMatchObject({
      status: 502,
      message: 'HTTP 502',
    });
  });

  test('403 insufficient_scope names the scope the method needs', async () => {
    const { matomo, server } = await session();
    const error = await errorOf(matomo.call('SitesManager.addSite', { siteName: 'Shop' }));
    expect(error).toMatchObject({
      code: 'ERR_INSUFFICIENT_SCOPE',
      status: 403,
      error: 'insufficient_scope',
      scope: 'matomo:write',
    });
    expect(server.calls.refresh).toBe(0);
  });

  test('a 401 without error="invalid_token" (no access to the site) is not retried', async () => {
    const server = createFakeServer();
    const provider: AccessTokenProvider = {
      getAccessToken: async () => '',
      renewAccessToken: async () => {
        throw new Error('must not be called');
      },
    };
    const matomo = createMatomoClient({ baseUrl: server.issuer, auth: provider, fetch: server.fetch });
    expect(await errorOf(matomo.call('API.getMatomoVersion'))).toMatchObject({
      status: 401,
      code: 'ERR_MATOMO_API',
    });
    expect(apiRequests(server)).toHaveLength(1);
  });

  test('an echoed token or password never shows in the error', async () => {
    const { matomo, tokens } = await session();
    const token = (await tokens.getTokens())?.access_token ?? '';
    const error = await errorOf(
      matomo.call('Echo.secret' as never, { passwordConfirmation: 'hunter2-pass' } as never),
    );
    expect(error?.message).toContain('[redacted]');
    for (const text of [error?.message, String(error), JSON.stringify(error), error?.stack]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('hunter2-pass');
    }
  });
});

describe('refresh and retry', () => {
  test('20 concurrent calls with an expired access token cause exactly one refresh and all succeed', async () => {
    const { matomo, server, advance } = await session();
    advance(3600);
    server.expireAccessTokens();
    const results = await Promise.all(Array.from({ length: 20 }, () => matomo.call('API.getMatomoVersion')));
    expect(results).toEqual(Array.from({ length: 20 }, () => ({ value: '5.2.0' })));
    expect(server.calls.refresh).toBe(1);
    expect(server.grantsAlive()).toBe(1);
  });

  test('20 concurrent calls rejected with 401 invalid_token refresh once and are each retried once', async () => {
    const { matomo, server } = await session();
    server.expireAccessTokens(); // the client still thinks its token is fresh
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => matomo.call('Echo.params' as never, { n: i } as never)),
    );
    expect(results.map((r) => (r as { n: string }).n)).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i)),
    );
    expect(server.calls.refresh).toBe(1);
    expect(apiRequests(server)).toHaveLength(40); // each request once, then its retry with the body intact
    expect(server.grantsAlive()).toBe(1);
  });

  test('a request rejected with a token that was replaced meanwhile is retried with the new one, no second refresh', async () => {
    const { matomo, server, tokens } = await session();
    const old = await tokens.getAccessToken();
    server.expireAccessTokens();
    await tokens.renewAccessToken(old); // another caller already refreshed
    expect(server.calls.refresh).toBe(1);
    const stale: AccessTokenProvider = {
      getAccessToken: async () => old, // a request that was prepared with the old token
      renewAccessToken: (rejected) => tokens.renewAccessToken(rejected),
    };
    const client = createMatomoClient({ baseUrl: server.issuer, auth: stale, fetch: server.fetch });
    await expect(client.call('API.getMatomoVersion')).resolves.toEqual({ value: '5.2.0' });
    expect(server.calls.refresh).toBe(1);
    void matomo;
  });

  test('retries only once: a second invalid_token is ERR_INVALID_TOKEN', async () => {
    const server = createFakeServer();
    let renewals = 0;
    const provider: AccessTokenProvider = {
      getAccessToken: async () => 'revoked-token',
      renewAccessToken: async () => `still-bad-${++renewals}`,
    };
    const matomo = createMatomoClient({ baseUrl: server.issuer, auth: provider, fetch: server.fetch });
    const error = await errorOf(matomo.call('API.getMatomoVersion'));
    expect(error).toMatchObject({ code: 'ERR_INVALID_TOKEN', status: 401, error: 'invalid_token' });
    expect(error?.error_description).toBe('The access token has expired');
    expect(renewals).toBe(1);
    expect(apiRequests(server)).toHaveLength(2);
  });

  test('a backend with client credentials gets a new token once after a 401 and exports its report', async () => {
    const server = createFakeServer();
    const auth = createClientCredentials({
      baseUrl: server.issuer,
      clientId: CONFIDENTIAL_CLIENT,
      clientSecret: CLIENT_SECRET,
      scope: 'matomo:read',
      fetch: server.fetch,
    });
    const matomo = createMatomoClient({ baseUrl: server.issuer, auth, fetch: server.fetch });
    await matomo.call('API.getMatomoVersion');
    server.expireAccessTokens();
    await expect(
      matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'last2' }),
    ).resolves.toHaveProperty('2026-11-28');
    expect(server.calls.clientCredentials).toBe(2);
  });
});

test('parseBearerChallenge reads RFC 6750 challenges and ignores others', () => {
  expect(
    parseBearerChallenge(
      'Bearer realm="matomo", error="insufficient_scope", scope="matomo:write", error_description="a b"',
    ),
  ).toEqual({
    realm: 'matomo',
    error: 'insufficient_scope',
    scope: 'matomo:write',
    error_description: 'a b',
  });
  expect(parseBearerChallenge('Basic realm="x", error="invalid_token"')).toEqual({});
  expect(parseBearerChallenge(null)).toEqual({});
});
