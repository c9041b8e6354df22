// The middleware's rules, driven directly (the flows through createMatomoClient are in matomo-client.test.ts).
import { describe, expect, test } from 'vitest';
import type { AccessTokenProvider } from './access-token-provider';
import { MatomoApiError } from './errors';
import { createMatomoMiddleware, parseBearerChallenge } from './matomo-middleware';

type Params = Parameters<NonNullable<ReturnType<typeof createMatomoMiddleware>['onRequest']>>[0];

const BASE = 'https://matomo.test';
const INVALID_TOKEN = 'Bearer realm="matomo", error="invalid_token"';
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers });

/** One request through the middleware: onRequest, then `answer`; a retry gets `{"value":"5.2.0"}`. */
async function through(
  auth: AccessTokenProvider | undefined,
  answer: Response,
  options: { schemaPath?: string; body?: string } = {},
) {
  const middleware = createMatomoMiddleware(auth);
  const schemaPath = options.schemaPath ?? '/api/API.getMatomoVersion';
  const request = new Request(`${BASE}${schemaPath}`, { method: 'POST', body: options.body ?? '' });
  const retries: Request[] = [];
  const fetch = async (retried: Request) => {
    retries.push(retried);
    return json({ value: '5.2.0' });
  };
  const params = { request, schemaPath, id: 'r1', params: {}, options: { fetch } } as unknown as Params;
  const sent = (await middleware.onRequest?.(params)) as Request | undefined;
  let response: Response | undefined;
  let error: MatomoApiError | undefined;
  try {
    response =
      (await middleware.onResponse?.({ ...params, request: sent ?? request, response: answer })) ?? undefined;
  } catch (thrown) {
    error = thrown as MatomoApiError;
  }
  return { sent, retries, response, error };
}

const provider = (token = 'at-1'): AccessTokenProvider => ({
  getAccessToken: async () => token,
  renewAccessToken: async () => 'at-2',
});

describe('the wire form', () => {
  test('the caller cannot choose module, method or format: the path decides', async () => {
    const { sent } = await through(provider(), json({ value: '5.2.0' }), {
      schemaPath: '/api/VisitsSummary.get',
      body: 'module=Other&method=UsersManager.deleteUser&format=xml&idSite=1',
    });
    expect(await sent?.text()).toBe('module=API&method=VisitsSummary.get&format=json&idSite=1');
    expect(sent?.url).toBe(`${BASE}/index.php`);
  });

  test.each(['/other', '/api/VisitsSummary', '/x/api/VisitsSummary.get', '/api/VisitsSummary.get/extra'])(
    '%s is not a Matomo method: the request and its response pass untouched',
    async (schemaPath) => {
      const answer = json({ result: 'error', message: 'not ours' }, 500);
      const { sent, response, error } = await through(provider(), answer, { schemaPath });
      expect(sent).toBeUndefined();
      expect(response).toBeUndefined();
      expect(error).toBeUndefined();
    },
  );

  test('a response to a request that failed (onError) is not handled again', async () => {
    const middleware = createMatomoMiddleware(provider());
    const request = new Request(`${BASE}/api/API.getMatomoVersion`, { method: 'POST' });
    const params = { request, schemaPath: '/api/API.getMatomoVersion', id: 'r1', params: {}, options: {} };
    await middleware.onRequest?.(params as unknown as Params);
    middleware.onError?.({ ...(params as unknown as Params), error: new TypeError('fetch failed') });
    const answer = json({ result: 'error', message: 'x' }, 500);
    await expect(
      middleware.onResponse?.({ ...(params as unknown as Params), response: answer }),
    ).resolves.toBeUndefined();
  });
});

describe('one retry after a refresh, only for a rejected token', () => {
  test.each<[string, number, string | undefined, AccessTokenProvider | undefined, boolean]>([
    ['401 invalid_token with a token and a renewer', 401, INVALID_TOKEN, provider(), true],
    [
      '401 without error="invalid_token" (no access to the site)',
      401,
      'Bearer realm="matomo"',
      provider(),
      false,
    ],
    ['401 with another error', 401, 'Bearer error="insufficient_scope"', provider(), false],
    ['401 invalid_token in a Basic challenge', 401, 'Basic error="invalid_token"', provider(), false],
    ['403 with an invalid_token challenge', 403, INVALID_TOKEN, provider(), false],
    ['400 with an invalid_token challenge', 400, INVALID_TOKEN, provider(), false],
    ['401 invalid_token for an anonymous call', 401, INVALID_TOKEN, undefined, false],
    ['401 invalid_token when the provider gave no token', 401, INVALID_TOKEN, provider(''), false],
    [
      '401 invalid_token with a provider that cannot renew',
      401,
      INVALID_TOKEN,
      { getAccessToken: async () => 'static' },
      false,
    ],
  ])('%s: retried = %s', async (_, status, challenge, auth, retried) => {
    const answer = json(
      { result: 'error', message: 'no' },
      status,
      challenge ? { 'www-authenticate': challenge } : {},
    );
    const { retries, error } = await through(auth, answer);
    expect(retries).toHaveLength(retried ? 1 : 0);
    if (retried) {
      expect(retries[0]?.headers.get('authorization')).toBe('Bearer at-2');
      expect(error).toBeUndefined();
    } else {
      expect(error).toBeInstanceOf(MatomoApiError);
      expect(error?.status).toBe(status);
    }
  });
});

describe('Matomo answers', () => {
  test('{"result":"success"} is data, not an error', async () => {
    const answer = json({ result: 'success', message: 'ok' });
    const { response, error } = await through(provider(), answer);
    expect(error).toBeUndefined();
    expect(await response?.json()).toEqual({ result: 'success', message: 'ok' });
  });

  test.each<[string, Response, string]>([
    [
      'a JSON error without "result" gives its message',
      json({ message: 'Database down' }, 500),
      'Database down',
    ],
    [
      'a message that is not a string is not used',
      json({ result: 'error', message: { a: 1 } }, 500),
      'HTTP 500',
    ],
    ['an array body', json([{ message: 'x' }], 400), 'HTTP 400'],
  ])('%s', async (_, answer, message) => {
    const { error } = await through(provider(), answer);
    expect(error).toBeInstanceOf(MatomoApiError);
    expect(error).toMatchObject({ code: 'ERR_MATOMO_API', message });
  });
});

describe('parseBearerChallenge', () => {
  test.each([
    ['Bearer error="invalid_token"', { error: 'invalid_token' }],
    ['  bearer error="invalid_token"', { error: 'invalid_token' }],
    ['Bearer error=""', { error: '' }],
    ['Basic realm="bearer" error="invalid_token"', {}],
    ['NotBearer error="invalid_token"', {}],
    ['xBearer error="invalid_token"', {}],
    ['Bearererror="invalid_token"', {}],
    ['', {}],
  ])('%j', (header, params) => {
    expect(parseBearerChallenge(header)).toEqual(params);
  });
});

// Regression: a Matomo with the OAuth2 plugin (league/oauth2-server) answers a revoked or expired token
// with a 401 and no `WWW-Authenticate: Bearer error="invalid_token"`, so the SDK neither refreshed nor
// retried, and the app stayed stuck until the token expired.
describe('the 401s a real Matomo sends for a dead token', () => {
  const MATOMO_ACCESS_ERROR = {
    result: 'error',
    message: "You can't access this resource as it requires 'view' access for the website id = 1.",
  };
  const LEAGUE_REVOKED = {
    error: 'access_denied',
    error_description: 'The resource owner or authorization server denied the request.',
    hint: 'Access token has been revoked',
  };

  test.each([
    ["Matomo's access error", MATOMO_ACCESS_ERROR],
    ["league's access_denied", LEAGUE_REVOKED],
  ])('%s without a challenge: one refresh and one retry', async (_, body) => {
    const { retries, error, response } = await through(provider(), json(body, 401));
    expect(retries).toHaveLength(1);
    expect(retries[0]?.headers.get('authorization')).toBe('Bearer at-2');
    expect(error).toBeUndefined();
    expect(await response?.json()).toEqual({ value: '5.2.0' });
  });

  test("still 401 after the retry: the error, with league's hint as its message", async () => {
    const middleware = createMatomoMiddleware(provider());
    const schemaPath = '/api/API.getMatomoVersion';
    const request = new Request(`${BASE}${schemaPath}`, { method: 'POST', body: '' });
    const retries: Request[] = [];
    const fetch = async (retried: Request) => {
      retries.push(retried);
      return json(LEAGUE_REVOKED, 401);
    };
    const params = { request, schemaPath, id: 'r1', params: {}, options: { fetch } } as unknown as Params;
    const sent = (await middleware.onRequest?.(params)) as Request;
    const error = await Promise.resolve(
      middleware.onResponse?.({ ...params, request: sent, response: json(LEAGUE_REVOKED, 401) }),
    ).catch((e: unknown) => e);
    expect(retries).toHaveLength(1);
    expect(error).toBeInstanceOf(MatomoApiError);
    expect(error).toMatchObject({
      code: 'ERR_MATOMO_API',
      status: 401,
      message: 'Access token has been revoked',
    });
  });

  test('a Basic challenge, or an anonymous call, is still not retried', async () => {
    for (const [auth, headers] of [
      [provider(), { 'www-authenticate': 'Basic realm="OAuth"' }],
      [undefined, {}],
    ] as const) {
      const { retries, error } = await through(auth, json(MATOMO_ACCESS_ERROR, 401, headers));
      expect(retries).toHaveLength(0);
      expect(error?.message).toBe(MATOMO_ACCESS_ERROR.message);
    }
  });
});
