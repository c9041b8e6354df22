import { describe, expect, test } from 'vitest';
import { createFakeServer } from '../test/fake-server';
import { discover, discoverOpenId, matomoEndpoints, serverResolver } from './discovery';

describe('discover', () => {
  test('reads RFC 8414 metadata from the well-known URL', async () => {
    const server = createFakeServer();
    const metadata = await discover('https://auth.test/', { fetch: server.fetch });
    expect(metadata.token_endpoint).toBe('https://auth.test/oauth2/token');
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(server.requests.map((r) => r.url)).toEqual([
      'https://auth.test/.well-known/oauth-authorization-server',
    ]);
  });

  test("falls back to the plugin's index.php?module=OAuth2&action=metadata", async () => {
    const server = createFakeServer({ matomoStyle: true });
    const metadata = await discover('https://auth.test', { fetch: server.fetch });
    expect(metadata.token_endpoint).toBe('https://auth.test/index.php?module=OAuth2&action=token');
    expect(metadata.revocation_endpoint).toBeUndefined();
  });

  test('refuses metadata whose issuer is another server', async () => {
    const server = createFakeServer({ issuer: 'https://auth.test' });
    const fetch = async (request: Request) => {
      const response = await server.fetch(request);
      return new Response(JSON.stringify({ ...(await response.json()), issuer: 'https://evil.test' }));
    };
    await expect(discover('https://auth.test', { fetch })).rejects.toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    });
  });

  test('says so when there is no metadata', async () => {
    const fetch = async () => new Response('Not found', { status: 404 });
    await expect(discover('https://nothing.test', { fetch })).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      status: 404,
    });
  });

  test('a failed discovery is retried, a successful one is not repeated', async () => {
    const server = createFakeServer();
    let down = true;
    const resolve = serverResolver({
      baseUrl: 'https://auth.test',
      fetch: (request) => (down ? Promise.reject(new TypeError('offline')) : server.fetch(request)),
    });
    await expect(resolve()).rejects.toThrow('offline');
    down = false;
    await resolve();
    await resolve();
    expect(server.calls.metadata).toBe(1);
  });
});

test('matomoEndpoints gives the Matomo-style routes and no revocation', () => {
  expect(matomoEndpoints('https://matomo.example.com/')).toEqual({
    authorization_endpoint: 'https://matomo.example.com/index.php?module=OAuth2&action=authorize',
    token_endpoint: 'https://matomo.example.com/index.php?module=OAuth2&action=token',
  });
});

describe('discovery rules', () => {
  const BASE = 'https://auth.test';
  const TOKEN = `${BASE}/oauth2/token`;
  /** A server that answers the well-known route and the plugin's route as given (undefined: 404). */
  const serving = (wellKnown?: [number, unknown], plugin?: [number, unknown]) => {
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      const answer = request.url.includes('/.well-known/') ? wellKnown : plugin;
      return answer
        ? new Response(JSON.stringify(answer[1]), { status: answer[0] })
        : new Response('Not found', { status: 404 });
    };
    return { fetch, urls };
  };

  test.each([
    ['the same issuer', BASE],
    ['the issuer with a trailing slash', `${BASE}/`],
    ['no issuer at all', undefined],
  ])('well-known metadata with %s is accepted', async (_, issuer) => {
    const { fetch } = serving([200, { issuer, token_endpoint: TOKEN }]);
    await expect(discover(BASE, { fetch })).resolves.toMatchObject({ token_endpoint: TOKEN });
  });

  test.each([
    ['another host', 'https://evil.test'],
    ['a path below', `${BASE}/tenant`],
    ['another scheme', 'http://auth.test'],
    ['a prefix of it', 'https://auth.tes'],
  ])('well-known metadata naming %s as issuer is ERR_ISSUER_MISMATCH', async (_, issuer) => {
    const { fetch } = serving([200, { issuer, token_endpoint: TOKEN }]);
    const error = await discover(BASE, { fetch }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_ISSUER_MISMATCH', message: expect.stringContaining(issuer) });
  });

  test("the plugin's route is not held to the issuer rule (its issuer is the plugin's own)", async () => {
    const { fetch, urls } = serving(undefined, [200, { issuer: `${BASE}/index.php`, token_endpoint: TOKEN }]);
    await expect(discover(BASE, { fetch })).resolves.toMatchObject({ issuer: `${BASE}/index.php` });
    expect(urls).toEqual([
      `${BASE}/.well-known/oauth-authorization-server`,
      `${BASE}/.well-known/openid-configuration`,
      `${BASE}/index.php?module=OAuth2&action=metadata`,
    ]);
  });

  test.each([
    ['a 200 without token_endpoint', [200, { issuer: BASE }]],
    ['a token_endpoint that is not a string', [200, { issuer: BASE, token_endpoint: 42 }]],
    ['an array', [200, [{ token_endpoint: TOKEN }]]],
    ['JSON null', [200, null]],
  ] as [string, [number, unknown]][])(
    'well-known %s is ERR_INVALID_RESPONSE (no fallback)',
    async (_, answer) => {
      const { fetch } = serving(answer);
      const error = await discover(BASE, { fetch }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'ERR_INVALID_RESPONSE',
        status: 200,
        message: expect.stringContaining(BASE),
      });
    },
  );

  test('an error page that looks like metadata is still an error', async () => {
    const { fetch } = serving(undefined, [500, { token_endpoint: TOKEN }]);
    await expect(discover(BASE, { fetch })).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
      status: 500,
    });
  });

  test('every trailing slash of the base URL is dropped', async () => {
    const { fetch, urls } = serving([200, { issuer: BASE, token_endpoint: TOKEN }]);
    await discover(`${BASE}///`, { fetch });
    expect(urls).toEqual([`${BASE}/.well-known/oauth-authorization-server`]);
    expect(matomoEndpoints(`${BASE}//`).token_endpoint).toBe(`${BASE}/index.php?module=OAuth2&action=token`);
  });

  test('neither baseUrl nor server is ERR_CONFIGURATION', async () => {
    await expect(serverResolver({})()).rejects.toMatchObject({
      code: 'ERR_CONFIGURATION',
      message: expect.stringMatching(/\S/),
    });
  });

  test('an explicit server is used as it is, without a request', async () => {
    const { fetch, urls } = serving();
    const server = { token_endpoint: TOKEN };
    await expect(serverResolver({ baseUrl: BASE, server, fetch })()).resolves.toBe(server);
    expect(urls).toEqual([]);
  });
});

describe('discoverOpenId (OpenID Connect Discovery 1.0)', () => {
  const BASE = 'https://auth.test';
  const TOKEN = `${BASE}/oauth2/token`;
  /** A server answering each route by its last path segment or query (undefined: 404). */
  const serving = (routes: Record<string, [number, unknown]>) => {
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      const route = Object.keys(routes).find((name) => request.url.endsWith(name));
      const answer = route === undefined ? undefined : routes[route];
      return answer
        ? new Response(JSON.stringify(answer[1]), { status: answer[0] })
        : new Response('Not found', { status: 404 });
    };
    return { fetch, urls };
  };

  test('reads /.well-known/openid-configuration, with the UserInfo and end-session endpoints', async () => {
    const server = createFakeServer();
    const metadata = await discoverOpenId(`${server.issuer}/`, { fetch: server.fetch });
    expect(metadata).toEqual(server.openidConfiguration);
    expect(metadata.end_session_endpoint).toBe('https://auth.test/oauth2/logout');
    expect(metadata.userinfo_endpoint).toBe('https://auth.test/oauth2/userinfo');
    expect(server.requests.map((r) => r.url)).toEqual(['https://auth.test/.well-known/openid-configuration']);
  });

  test('without it, RFC 8414, then the plugin: discover() as it is', async () => {
    const server = createFakeServer({ matomoStyle: true });
    const metadata = await discoverOpenId(server.issuer, { fetch: server.fetch });
    expect(metadata.token_endpoint).toBe('https://auth.test/index.php?module=OAuth2&action=token');
    expect(metadata.end_session_endpoint).toBeUndefined();
    expect(server.requests.map((r) => r.url)).toEqual([
      'https://auth.test/.well-known/openid-configuration',
      'https://auth.test/.well-known/oauth-authorization-server',
      'https://auth.test/index.php?module=OAuth2&action=metadata',
    ]);
  });

  test('an OAuth-only server: its RFC 8414 metadata', async () => {
    const { fetch, urls } = serving({
      'oauth-authorization-server': [200, { issuer: BASE, token_endpoint: TOKEN }],
    });
    await expect(discoverOpenId(BASE, { fetch })).resolves.toEqual({ issuer: BASE, token_endpoint: TOKEN });
    expect(urls).toHaveLength(2);
  });

  test.each([
    ['another issuer', { issuer: 'https://evil.test', token_endpoint: TOKEN }, 'ERR_ISSUER_MISMATCH'],
    ['no token endpoint', { issuer: BASE }, 'ERR_INVALID_RESPONSE'],
  ])('an OpenID configuration with %s is %s, without falling back', async (_, document, code) => {
    const { fetch, urls } = serving({
      'openid-configuration': [200, document],
      'oauth-authorization-server': [200, { issuer: BASE, token_endpoint: TOKEN }],
    });
    await expect(discoverOpenId(BASE, { fetch })).rejects.toMatchObject({ code });
    expect(urls).toEqual([`${BASE}/.well-known/openid-configuration`]);
  });

  test('the issuer may differ from the base URL by trailing slashes only', async () => {
    const { fetch } = serving({
      'openid-configuration': [200, { issuer: `${BASE}/`, token_endpoint: TOKEN }],
    });
    await expect(discoverOpenId(`${BASE}//`, { fetch })).resolves.toMatchObject({ token_endpoint: TOKEN });
  });

  test('serverResolver discovers with the function it is given, once', async () => {
    const server = createFakeServer();
    const resolve = serverResolver({ baseUrl: server.issuer, fetch: server.fetch }, discoverOpenId);
    await resolve();
    await expect(resolve()).resolves.toHaveProperty('end_session_endpoint');
    expect(server.requests.map((r) => r.url)).toEqual(['https://auth.test/.well-known/openid-configuration']);
  });
});

/** A fetch that serves `documents` by URL and answers 404 for anything else, recording every URL. */
function documents(byUrl: Record<string, object>) {
  const urls: string[] = [];
  const fetch = async (request: Request) => {
    urls.push(request.url);
    const body = byUrl[request.url];
    return body ? Response.json(body) : new Response('Not found', { status: 404 });
  };
  return { fetch, urls };
}

// Regression: discovery appended the well-known suffix after the issuer's path; RFC 8414 §3.1 inserts it
// between host and path. There was no OpenID fallback and no way to give the metadata URL.
describe('discovery per RFC 8414 §3.1, with fallbacks', () => {
  const issuer = 'https://auth.test/tenant-a';
  const metadata = { issuer, token_endpoint: `${issuer}/token` };

  test('an issuer with a path: the well-known segment goes before the path', async () => {
    const server = documents({
      'https://auth.test/.well-known/oauth-authorization-server/tenant-a': metadata,
    });
    await expect(discover(`${issuer}/`, { fetch: server.fetch })).resolves.toEqual(metadata);
    expect(server.urls).toEqual(['https://auth.test/.well-known/oauth-authorization-server/tenant-a']);
  });

  test('then OpenID Connect Discovery, after the path', async () => {
    const server = documents({ [`${issuer}/.well-known/openid-configuration`]: metadata });
    await expect(discover(issuer, { fetch: server.fetch })).resolves.toEqual(metadata);
    expect(server.urls).toEqual([
      'https://auth.test/.well-known/oauth-authorization-server/tenant-a',
      'https://auth.test/tenant-a/.well-known/openid-configuration',
    ]);
  });

  test("then the plugin's route; none answering is ERR_INVALID_RESPONSE", async () => {
    const server = documents({});
    await expect(discover(issuer, { fetch: server.fetch })).rejects.toMatchObject({
      code: 'ERR_INVALID_RESPONSE',
    });
    expect(server.urls.at(-1)).toBe('https://auth.test/tenant-a/index.php?module=OAuth2&action=metadata');
    expect(server.urls).toHaveLength(3);
  });

  test('the OpenID document is held to the issuer rule too', async () => {
    const server = documents({
      [`${issuer}/.well-known/openid-configuration`]: { ...metadata, issuer: 'https://evil.test' },
    });
    await expect(discover(issuer, { fetch: server.fetch })).rejects.toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    });
  });

  test('an explicit metadataUrl is the only request; with baseUrl, its issuer is checked', async () => {
    const metadataUrl = 'https://auth.test/config/tenant-a.json';
    const server = documents({ [metadataUrl]: metadata });
    const resolve = serverResolver({ metadataUrl, fetch: server.fetch });
    await expect(resolve()).resolves.toEqual(metadata);
    expect(server.urls).toEqual([metadataUrl]);
    await expect(
      serverResolver({ baseUrl: 'https://other.test', metadataUrl, fetch: server.fetch })(),
    ).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH' });
    await expect(discoverOpenId(issuer, { metadataUrl, fetch: server.fetch })).resolves.toEqual(metadata);
    expect(server.urls).toEqual([metadataUrl, metadataUrl, metadataUrl]);
  });

  test('a metadataUrl that does not answer is an error, without fallback', async () => {
    const server = documents({});
    await expect(
      discover(issuer, { metadataUrl: 'https://auth.test/missing.json', fetch: server.fetch }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 404 });
    expect(server.urls).toEqual(['https://auth.test/missing.json']);
  });
});
