import { describe, expect, test, vi } from 'vitest';
import { CLIENT_SECRET, CONFIDENTIAL_CLIENT, createFakeServer } from '../test/fake-server';
import { type ClientCredentialsOptions, createClientCredentials } from './client-credentials';
import { type AuthorizationServer, matomoEndpoints } from './discovery';
import { OAuthResponseError, ProtocolError } from './errors';
import { createMatomoClient } from './matomo-client';

function setUp(
  options: {
    secret?: string;
    authMethod?: 'client_secret_post';
    expiresIn?: number | null;
    tokenParams?: ClientCredentialsOptions['tokenParams'];
  } = {},
) {
  const server = createFakeServer({
    expiresIn: options.expiresIn === undefined ? 3600 : options.expiresIn,
    echoSecrets: true,
  });
  let clock = 5_000_000;
  const auth = createClientCredentials({
    baseUrl: server.issuer,
    clientId: CONFIDENTIAL_CLIENT,
    clientSecret: options.secret ?? CLIENT_SECRET,
    scope: 'matomo:read',
    fetch: server.fetch,
    now: () => clock,
    ...(options.authMethod && { authMethod: options.authMethod }),
    ...(options.tokenParams && { tokenParams: options.tokenParams }),
  });
  return { server, auth, advance: (seconds: number) => (clock += seconds * 1000) };
}

const tokenRequests = (server: ReturnType<typeof createFakeServer>) =>
  server.requests.filter((r) => r.url === server.metadata.token_endpoint);

describe('client credentials', () => {
  test('authenticates with HTTP Basic (id and secret form-urlencoded) and asks for the scope', async () => {
    const { server, auth } = setUp();
    await auth.getAccessToken();
    const [request] = tokenRequests(server);
    expect(request?.headers.get('authorization')).toMatch(/^Basic /);
    expect(new URLSearchParams(request?.body).toString()).toBe(
      'grant_type=client_credentials&scope=matomo%3Aread',
    );
  });

  test('or with client_secret_post, never both', async () => {
    const { server, auth } = setUp({ authMethod: 'client_secret_post' });
    await auth.getAccessToken();
    const [request] = tokenRequests(server);
    expect(request?.headers.get('authorization')).toBeNull();
    expect(new URLSearchParams(request?.body).get('client_secret')).toBe(CLIENT_SECRET);
  });

  test('caches the token until shortly before it expires', async () => {
    const { server, auth, advance } = setUp({ expiresIn: 300 });
    const first = await auth.getAccessToken();
    advance(200);
    expect(await auth.getAccessToken()).toBe(first);
    expect(server.calls.clientCredentials).toBe(1);
    advance(80); // 280 s: inside the 30 s margin
    expect(await auth.getAccessToken()).not.toBe(first);
    expect(server.calls.clientCredentials).toBe(2);
  });

  test('de-duplicates concurrent fetches', async () => {
    const { server, auth } = setUp();
    const tokens = await Promise.all(Array.from({ length: 15 }, () => auth.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(server.calls.clientCredentials).toBe(1);
  });

  test('after a 401 fetches anew once, however many requests were rejected', async () => {
    const { server, auth } = setUp();
    const rejected = await auth.getAccessToken();
    const renewed = await Promise.all(Array.from({ length: 5 }, () => auth.renewAccessToken(rejected)));
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(rejected);
    expect(await auth.renewAccessToken(rejected)).toBe(renewed[0]); // a late 401 for the old token
    expect(server.calls.clientCredentials).toBe(2);
  });

  test('a wrong secret is a 401 invalid_client whose texts never show the secret', async () => {
    const secret = 'wrong-secret-value';
    const { auth } = setUp({ secret });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as OAuthResponseError;
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ status: 401, error: 'invalid_client', code: 'ERR_OAUTH_RESPONSE' });
    expect(error.response?.headers.get('www-authenticate')).toMatch(/^Basic/);
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? '']) {
      expect(text).not.toContain(secret);
    }
  });

  // Regression: with client_secret_post the secret travels form-encoded in the body, and a server
  // that echoes the body showed it (spaces as '+', which neither the secret nor encodeURIComponent has).
  test('with client_secret_post, an echoed body never shows the secret either', async () => {
    const secret = "wrong secret (it's) ~fine!";
    const { auth } = setUp({ secret, authMethod: 'client_secret_post' });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as OAuthResponseError;
    expect(error).toMatchObject({ status: 401, error: 'invalid_client', code: 'ERR_OAUTH_RESPONSE' });
    expect(error.error_description).toContain('client_secret=[redacted]');
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? '']) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
      expect(text).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2));
    }
  });
});

describe('extra token parameters (RFC 8707 resource, audience)', () => {
  test('are sent with every token request, a repeated resource once per value', async () => {
    const { server, auth } = setUp({
      tokenParams: { resource: ['https://matomo.example', 'https://reports.example'], audience: 'reports' },
    });
    const first = await auth.getAccessToken();
    await auth.renewAccessToken(first);
    const bodies = tokenRequests(server).map((r) => r.body);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(body).toBe(
        'grant_type=client_credentials&scope=matomo%3Aread&resource=https%3A%2F%2Fmatomo.example&resource=https%3A%2F%2Freports.example&audience=reports',
      );
    }
  });

  test.each([
    'grant_type',
    'scope',
    'client_id',
    'client_secret',
    'code',
    'code_verifier',
    'redirect_uri',
    'refresh_token',
  ])(
    'tokenParams.%s, which the SDK sets itself, is refused at construction (ERR_CONFIGURATION), before any request',
    (name) => {
      const fetch = vi.fn();
      const create = () =>
        createClientCredentials({
          baseUrl: 'https://auth.test',
          clientId: CONFIDENTIAL_CLIENT,
          clientSecret: CLIENT_SECRET,
          scope: 'matomo:read',
          fetch,
          tokenParams: { [name]: 'x' },
        });
      expect(create).toThrow(ProtocolError);
      expect(create).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIGURATION', message: expect.stringContaining(name) }),
      );
      expect(fetch).not.toHaveBeenCalled();
    },
  );
});

// Regression: `clientSecret: process.env.SECRET ?? ''` with the variable unset sent an empty secret to
// the server, which answered invalid_client only at the first API call.
describe('empty credentials are refused up front', () => {
  test.each([
    ['clientSecret', { clientSecret: '' }],
    ['clientId', { clientId: '' }],
    ['clientId', { clientId: '', clientSecret: '' }],
    ['scope', { scope: '' as 'matomo:read' }],
  ])('an empty %s: ERR_CONFIGURATION at construction, nothing sent', (name, credentials) => {
    const fetch = vi.fn();
    const create = () =>
      createClientCredentials({
        baseUrl: 'https://auth.test',
        clientId: CONFIDENTIAL_CLIENT,
        clientSecret: CLIENT_SECRET,
        scope: 'matomo:read',
        fetch,
        ...credentials,
      });
    expect(create).toThrow(ProtocolError);
    expect(create).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIGURATION',
        message: expect.stringMatching(new RegExp(`^${name} is empty`)),
      }),
    );
    expect(fetch).not.toHaveBeenCalled();
  });
});

// RFC 6749 §5.1 makes expires_in optional: the lifetime is then unknown.
describe('a server that leaves expires_in out', () => {
  test('the token is used until the API rejects it, then one new token and one retry', async () => {
    const { server, auth, advance } = setUp({ expiresIn: null });
    const matomo = createMatomoClient({ baseUrl: server.issuer, auth, fetch: server.fetch });
    await matomo.call('API.getMatomoVersion');
    advance(10 * 365 * 86_400); // ten years: never refreshed ahead of time
    await matomo.call('API.getMatomoVersion');
    expect(server.calls.clientCredentials).toBe(1);
    server.expireAccessTokens(); // the API now answers 401 invalid_token
    await expect(matomo.call('API.getMatomoVersion')).resolves.toEqual({ value: '5.2.0' });
    expect(server.calls.clientCredentials).toBe(2);
    const tokens = await auth.getTokens();
    expect(tokens).not.toHaveProperty('expires_at');
    expect(tokens).not.toHaveProperty('expires_in');
  });
});

/**
 * The token endpoint of league/oauth2-server 9 (the Matomo plugin's library), as far as client
 * authentication goes: HTTP Basic is base64-decoded and split at the first `:`, never form-decoded;
 * `client_secret` in the body works too. A request without `scope` gets a token without scope.
 */
function createLeagueTokenEndpoint(clientId: string, secret: string) {
  const requests: { basic: boolean; body: URLSearchParams }[] = [];
  const fetch = async (request: Request) => {
    const body = new URLSearchParams(await request.text());
    const header = request.headers.get('authorization');
    const decoded = header?.startsWith('Basic ') ? atob(header.slice(6)) : undefined;
    const [id, given] = decoded
      ? [decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)]
      : [body.get('client_id'), body.get('client_secret')];
    requests.push({ basic: !!decoded, body });
    if (id !== clientId || given !== secret) {
      return Response.json(
        { error: 'invalid_client', error_description: 'Client authentication failed', hint: '' },
        { status: 401 },
      );
    }
    const scope = body.get('scope');
    return Response.json({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: `at-${requests.length}`,
      ...(scope && { scope }),
    });
  };
  return { fetch, requests };
}

// Regression: against league/oauth2-server a secret with characters outside the unreserved set failed
// with HTTP Basic: the SDK form-encodes id and secret (RFC 6749 §2.3.1), league never decodes them.
describe('client authentication against league/oauth2-server (the Matomo plugin)', () => {
  const RESERVED_SECRET = 'p@ss w+rd%:é';
  const create = (league: ReturnType<typeof createLeagueTokenEndpoint>, server: AuthorizationServer) =>
    createClientCredentials({
      server,
      clientId: 'analytics_app',
      clientSecret: RESERVED_SECRET,
      scope: 'matomo:read',
      fetch: league.fetch,
    });

  test('matomoEndpoints(): the secret goes in the body at once, whatever it contains', async () => {
    const league = createLeagueTokenEndpoint('analytics_app', RESERVED_SECRET);
    const auth = create(league, matomoEndpoints('https://matomo.test'));
    await expect(auth.getAccessToken()).resolves.toBe('at-1');
    expect(league.requests.map((r) => r.basic)).toEqual([false]);
    expect(league.requests[0]?.body.get('client_secret')).toBe(RESERVED_SECRET);
  });

  test('endpoints without a list of methods: Basic, then once client_secret_post, which is kept', async () => {
    const league = createLeagueTokenEndpoint('analytics_app', RESERVED_SECRET);
    const auth = create(league, { token_endpoint: 'https://matomo.test/token' });
    await expect(auth.getAccessToken()).resolves.toBe('at-2');
    await auth.renewAccessToken('at-2');
    expect(league.requests.map((r) => r.basic)).toEqual([true, false, false]);
  });

  test('a form-safe secret stays with Basic, and a wrong one is not tried twice', async () => {
    const league = createLeagueTokenEndpoint('analytics_app', 'abc123');
    const good = createClientCredentials({
      server: { token_endpoint: 'https://matomo.test/token' },
      clientId: 'analytics_app',
      clientSecret: 'abc123',
      scope: 'matomo:read',
      fetch: league.fetch,
    });
    await good.getAccessToken();
    const wrong = createClientCredentials({
      server: { token_endpoint: 'https://matomo.test/token' },
      clientId: 'analytics_app',
      clientSecret: 'wrong',
      scope: 'matomo:read',
      fetch: league.fetch,
    });
    await expect(wrong.getAccessToken()).rejects.toMatchObject({ error: 'invalid_client' });
    expect(league.requests.map((r) => r.basic)).toEqual([true, true]);
  });

  test.each<[string, string[], string, boolean]>([
    ['Basic listed, a form-safe secret', ['client_secret_basic', 'client_secret_post'], 'abc123', true],
    [
      'both listed, a reserved character',
      ['client_secret_basic', 'client_secret_post'],
      RESERVED_SECRET,
      false,
    ],
    ['only Basic listed, a reserved character', ['client_secret_basic'], RESERVED_SECRET, true],
    ['only client_secret_post listed', ['client_secret_post'], 'abc123', false],
  ])('metadata: %s: Basic = %s', async (_, methods, secret, basic) => {
    const fetch = vi.fn(async (request: Request) => {
      expect(!!request.headers.get('authorization')).toBe(basic);
      return Response.json({ token_type: 'Bearer', access_token: 'at' });
    });
    const auth = createClientCredentials({
      server: { token_endpoint: 'https://auth.test/token', token_endpoint_auth_methods_supported: methods },
      clientId: 'c',
      clientSecret: secret,
      scope: 'matomo:read',
      fetch,
    });
    await auth.getAccessToken();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

// Regression: without `scope` league grants a token with no scope; the helper always sends its scope.
test('the configured scope is always sent, several space-separated', async () => {
  const league = createLeagueTokenEndpoint('analytics_app', 'abc123');
  const auth = createClientCredentials({
    server: matomoEndpoints('https://matomo.test'),
    clientId: 'analytics_app',
    clientSecret: 'abc123',
    scope: 'matomo:read matomo:write',
    fetch: league.fetch,
  });
  expect((await auth.getTokens()) ?? (await auth.refresh())).toMatchObject({
    scope: 'matomo:read matomo:write',
  });
  expect(league.requests[0]?.body.get('scope')).toBe('matomo:read matomo:write');
});
