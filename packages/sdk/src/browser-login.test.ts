import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createFakeServer,
  createFakeStorage,
  type FakeServer,
  PUBLIC_CLIENT,
  REDIRECT_URI,
} from '../test/fake-server';
import { type BrowserLogin, type BrowserLoginOptions, createBrowserLogin } from './browser-login';
import { matomoEndpoints } from './discovery';
import { OAuthResponseError, ProtocolError } from './errors';
import { computeCodeChallenge } from './pkce';
import { createWebStorageStore } from './storage';
import type { RefreshCoordinator, TabMessage } from './tab-coordinator';

const logins: BrowserLogin[] = [];
afterEach(() => {
  for (const login of logins.splice(0)) login.close();
});

function setUp(server: FakeServer = createFakeServer(), options: Partial<BrowserLoginOptions> = {}) {
  const navigations: string[] = [];
  const addressBar: string[] = [];
  const transientStorage = createFakeStorage();
  const login = createBrowserLogin({
    baseUrl: server.issuer,
    clientId: PUBLIC_CLIENT,
    redirectUri: REDIRECT_URI,
    scope: 'matomo:read',
    fetch: server.fetch,
    transientStorage,
    crossTab: false,
    navigate: (url) => void navigations.push(url),
    replaceUrl: (url) => void addressBar.push(url),
    ...options,
  });
  logins.push(login);
  /** login(), the user allows, the browser comes back: the callback URL. */
  const redirect = async (extra: Record<string, string> = {}) => {
    await login.login({ returnTo: '/reports' });
    return server.authorize(navigations.at(-1) ?? '', extra);
  };
  return { server, login, navigations, addressBar, transientStorage, redirect };
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('login()', () => {
  test('navigates to the authorization endpoint with PKCE S256 and a state', async () => {
    const { login, navigations, transientStorage } = setUp();
    await login.login();
    const url = new URL(navigations[0] ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.test/oauth2/authorize');
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(PUBLIC_CLIENT);
    expect(q.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(q.get('scope')).toBe('matomo:read');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('state')).toMatch(/^[\w-]{43}$/);
    const saved = JSON.parse(
      transientStorage.getItem(`matomo-oauth2:${PUBLIC_CLIENT}:login:${q.get('state')}`) ?? '{}',
    );
    expect(await computeCodeChallenge(saved.verifier)).toBe(q.get('code_challenge'));
  });

  test('keeps the extra params with the verifier and the returnTo, for an extension to check the response against', async () => {
    const { login, navigations, transientStorage } = setUp();
    await login.login({ returnTo: '/r', params: { prompt: 'login' } });
    await login.login();
    const saved = navigations.map((url) => {
      const state = new URL(url).searchParams.get('state');
      return JSON.parse(transientStorage.getItem(`matomo-oauth2:${PUBLIC_CLIENT}:login:${state}`) ?? '{}');
    });
    expect(saved[0]).toEqual({
      verifier: expect.stringMatching(/^[\w-]{43}$/),
      returnTo: '/r',
      params: { prompt: 'login' },
    });
    expect(Object.keys(saved[1]).sort()).toEqual(['verifier']);
  });

  test('keeps the query of a Matomo-style endpoint (index.php?module=OAuth2&action=authorize)', async () => {
    const server = createFakeServer({ matomoStyle: true });
    const { login } = setUp(server, { baseUrl: undefined, server: matomoEndpoints(server.issuer) });
    const url = new URL(await login.createAuthorizationUrl());
    expect(url.searchParams.get('module')).toBe('OAuth2');
    expect(url.searchParams.get('action')).toBe('authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(server.calls.metadata).toBe(0);
  });
});

describe('handleRedirectCallback()', () => {
  test('exchanges the code, stores the tokens, cleans the address bar and returns returnTo', async () => {
    const { login, server, addressBar, redirect } = setUp();
    const callback = await redirect({ session_state: 'x' });
    const result = await login.handleRedirectCallback(`${callback}#section`);
    expect(result.returnTo).toBe('/reports');
    expect(result.tokens.access_token).toMatch(/^at_/);
    expect(await login.getAccessToken()).toBe(result.tokens.access_token);
    expect(addressBar).toEqual([`${REDIRECT_URI}#section`]);
    const exchange = server.requests.find((r) => r.body.includes('grant_type=authorization_code'));
    const body = new URLSearchParams(exchange?.body);
    expect(body.get('client_id')).toBe(PUBLIC_CLIENT);
    expect(body.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(body.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    expect(exchange?.headers.get('authorization')).toBeNull();
  });

  test('state is single use: the same redirect a second time is refused without a token request', async () => {
    const { login, server, redirect } = setUp();
    const callback = await redirect();
    await login.handleRedirectCallback(callback);
    const error = await errorOf(login.handleRedirectCallback(callback));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_STATE_MISMATCH' });
    expect(server.calls.code).toBe(1);
  });

  test('an unknown state (a forged or foreign redirect) is refused and the code never sent', async () => {
    const { login, server, redirect } = setUp();
    const callback = new URL(await redirect());
    callback.searchParams.set('state', 'forged');
    await expect(login.handleRedirectCallback(callback.href)).rejects.toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    });
    expect(server.calls.token).toBe(0);
  });

  test('React StrictMode: a second call after the address bar was cleaned gets the same result', async () => {
    const { login, server, redirect, addressBar } = setUp();
    const callback = await redirect();
    const first = login.handleRedirectCallback(callback);
    const second = login.handleRedirectCallback(addressBar[0]);
    expect(second).toBe(first);
    await first;
    expect(server.calls.code).toBe(1);
  });

  test('two calls with the same redirect URL while the first is in flight exchange the code once', async () => {
    const { login, server, redirect } = setUp();
    const callback = await redirect();
    const [first, second] = await Promise.all([
      login.handleRedirectCallback(callback),
      login.handleRedirectCallback(callback),
    ]);
    expect(second).toBe(first);
    expect(server.calls.code).toBe(1);
  });

  test('checks iss when the server supports RFC 9207: another issuer, or none, is refused', async () => {
    for (const iss of ['https://evil.test', undefined]) {
      const { login, server, redirect } = setUp();
      const callback = new URL(await redirect());
      if (iss) callback.searchParams.set('iss', iss);
      else callback.searchParams.delete('iss');
      await expect(login.handleRedirectCallback(callback.href)).rejects.toMatchObject({
        code: 'ERR_ISSUER_MISMATCH',
      });
      expect(server.calls.token).toBe(0);
    }
  });

  test('works with the Matomo plugin: no iss, no scope in the token response', async () => {
    const server = createFakeServer({ matomoStyle: true });
    const { login, redirect } = setUp(server);
    const callback = await redirect();
    expect(new URL(callback).searchParams.has('iss')).toBe(false);
    const { tokens } = await login.handleRedirectCallback(callback);
    expect(tokens.scope).toBeUndefined();
    expect(tokens.refresh_token).toMatch(/^rt_/);
  });

  test('turns error= into an OAuthResponseError and still cleans the address bar', async () => {
    const { login, server, addressBar, navigations } = setUp();
    await login.login();
    const state = new URL(navigations[0] ?? '').searchParams.get('state') ?? '';
    const denied = `${REDIRECT_URI}?error=access_denied&error_description=The+user+said+no&state=${state}&iss=${encodeURIComponent(server.issuer)}`;
    const error = await errorOf(login.handleRedirectCallback(denied));
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({
      code: 'ERR_AUTHORIZATION_RESPONSE',
      error: 'access_denied',
      error_description: 'The user said no',
    });
    expect(addressBar).toEqual([REDIRECT_URI]);
    expect(server.calls.token).toBe(0);
  });

  test('a failed code exchange shows neither the code nor the verifier, even when the server echoes them', async () => {
    const server = createFakeServer({ echoSecrets: true });
    const { login, redirect, transientStorage } = setUp(server);
    const callback = await redirect();
    const code = new URL(callback).searchParams.get('code') ?? '';
    const verifier = JSON.parse([...transientStorage.map.values()][0] ?? '{}').verifier;
    // spend the code so that the exchange fails with invalid_grant
    await server.fetch(
      new Request(server.metadata.token_endpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          client_id: PUBLIC_CLIENT,
          redirect_uri: REDIRECT_URI,
          code_verifier: verifier,
        }),
      }),
    );
    const error = (await errorOf(login.handleRedirectCallback(callback))) as OAuthResponseError;
    expect(error.error).toBe('invalid_grant');
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? '']) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(verifier);
    }
  });
});

describe('logout()', () => {
  test('revokes the refresh token (RFC 7009), which ends the grant on the server, and forgets the tokens', async () => {
    const { login, server, redirect } = setUp();
    const { tokens } = await login.handleRedirectCallback(await redirect());
    await login.logout();
    const revocation = server.requests.find((r) => r.url.endsWith('/oauth2/revoke'));
    expect(new URLSearchParams(revocation?.body).get('token_type_hint')).toBe('refresh_token');
    expect(new URLSearchParams(revocation?.body).get('client_id')).toBe(PUBLIC_CLIENT);
    expect(server.isAlive(tokens.refresh_token ?? '')).toBe(false);
    expect(await login.tokens.getTokens()).toBeUndefined();
    await expect(login.getAccessToken()).rejects.toMatchObject({ code: 'ERR_LOGIN_REQUIRED' });
  });

  test('without a revocation endpoint (Matomo plugin) only forgets the tokens', async () => {
    const server = createFakeServer({ matomoStyle: true });
    const { login, redirect } = setUp(server);
    await login.handleRedirectCallback(await redirect());
    const before = server.requests.length;
    await login.logout();
    expect(server.requests.length).toBe(before);
    expect(await login.tokens.getTokens()).toBeUndefined();
  });

  test('forgets the tokens even when the revocation fails', async () => {
    const server = createFakeServer();
    let offline = false;
    const { login, redirect } = setUp(server, {
      fetch: (request) => (offline ? Promise.reject(new TypeError('fetch failed')) : server.fetch(request)),
    });
    await login.handleRedirectCallback(await redirect());
    offline = true;
    await expect(login.logout()).rejects.toThrow('fetch failed');
    expect(await login.tokens.getTokens()).toBeUndefined();
  });
});

test('the login refreshes through the token endpoint as a public client and keeps the session alive', async () => {
  const { login, server, redirect } = setUp();
  await login.handleRedirectCallback(await redirect());
  const first = await login.getAccessToken();
  server.expireAccessTokens();
  const renewed = await login.renewAccessToken(first);
  expect(renewed).not.toBe(first);
  expect(server.calls.refresh).toBe(1);
  expect(server.grantsAlive()).toBe(1);
});

describe('the iss check (RFC 9207) on every branch', () => {
  const ISSUER = 'https://auth.test';
  // [server advertises RFC 9207, metadata issuer, iss in the redirect (null: absent), accepted]
  const cases: [string, boolean | undefined, string | undefined, string | null, boolean][] = [
    ['advertised: the right iss', true, ISSUER, ISSUER, true],
    ['advertised: another issuer', true, ISSUER, 'https://evil.test', false],
    ['advertised: iss missing', true, ISSUER, null, false],
    ['advertised: iss empty', true, ISSUER, '', false],
    ['advertised: iss with a trailing slash (exact comparison)', true, ISSUER, `${ISSUER}/`, false],
    ['advertised: iss in other case', true, ISSUER, ISSUER.toUpperCase(), false],
    ['advertised but no issuer in the metadata: any iss', true, undefined, ISSUER, false],
    ['not advertised: the right iss', false, ISSUER, ISSUER, true],
    ['not advertised: another issuer', false, ISSUER, 'https://evil.test', false],
    ['not advertised (field absent): another issuer', undefined, ISSUER, 'https://evil.test', false],
    ['not advertised: iss with a trailing slash', false, ISSUER, `${ISSUER}/`, false],
    ['not advertised: no iss (the Matomo plugin)', false, ISSUER, null, true],
    [
      'not advertised, no issuer known: an iss cannot be checked',
      false,
      undefined,
      'https://other.test',
      true,
    ],
  ];

  test.each(cases)('%s', async (_, supported, issuer, iss, accepted) => {
    const server = createFakeServer();
    const metadata = {
      ...server.metadata,
      issuer,
      authorization_response_iss_parameter_supported: supported,
    };
    const { login, redirect } = setUp(server, { baseUrl: undefined, server: metadata });
    const callback = new URL(await redirect());
    if (iss === null) callback.searchParams.delete('iss');
    else callback.searchParams.set('iss', iss);
    const error = await errorOf(login.handleRedirectCallback(callback.href));
    if (accepted) {
      expect(error).toBeUndefined();
      expect(server.calls.code).toBe(1);
    } else {
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: 'ERR_ISSUER_MISMATCH', message: expect.stringMatching(/\S/) });
      expect(server.calls.token).toBe(0);
    }
  });

  test('an error= redirect from another issuer is an issuer mismatch, not the error it claims', async () => {
    const { login, server, navigations } = setUp();
    await login.login();
    const state = new URL(navigations[0] ?? '').searchParams.get('state') ?? '';
    const forged = `${REDIRECT_URI}?error=access_denied&state=${state}&iss=${encodeURIComponent('https://evil.test')}`;
    await expect(login.handleRedirectCallback(forged)).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH' });
    expect(server.calls.token).toBe(0);
  });
});

describe('the state check', () => {
  test.each([
    ['no state', (url: URL) => url.searchParams.delete('state')],
    ['an empty state', (url: URL) => url.searchParams.set('state', '')],
    [
      'a known state behind a prefix',
      (url: URL) => url.searchParams.set('state', `x:${url.searchParams.get('state')}`),
    ],
  ])('%s: ERR_STATE_MISMATCH and the code is never sent', async (_, tamper) => {
    const { login, server, redirect } = setUp();
    const callback = new URL(await redirect());
    tamper(callback);
    const error = await errorOf(login.handleRedirectCallback(callback.href));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_STATE_MISMATCH', message: expect.stringMatching(/\S/) });
    expect(server.calls.token).toBe(0);
  });

  test('a state is used up even when the callback fails, so it cannot be replayed', async () => {
    const { login, server, redirect } = setUp();
    const callback = new URL(await redirect());
    const forged = new URL(callback);
    forged.searchParams.set('iss', 'https://evil.test');
    await expect(login.handleRedirectCallback(forged.href)).rejects.toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    });
    await expect(login.handleRedirectCallback(callback.href)).rejects.toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    });
    expect(server.calls.token).toBe(0);
  });

  test('a redirect with a state but neither code nor error is ERR_INVALID_RESPONSE, no token request', async () => {
    const { login, server, redirect } = setUp();
    const callback = new URL(await redirect());
    callback.searchParams.delete('code');
    const error = await errorOf(login.handleRedirectCallback(callback.href));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_RESPONSE', message: expect.stringMatching(/\S/) });
    expect(server.calls.token).toBe(0);
  });

  test('two logins one after the other: the second redirect gets its own tokens, not the first ones', async () => {
    const { login, redirect } = setUp();
    const first = await login.handleRedirectCallback(await redirect());
    const second = await login.handleRedirectCallback(await redirect());
    expect(second.tokens.access_token).not.toBe(first.tokens.access_token);
  });
});

describe('the authorization request', () => {
  test('params cannot override what the SDK sets (state, PKCE, client, redirect URI, response type)', async () => {
    const { login } = setUp();
    const url = new URL(
      await login.createAuthorizationUrl({
        params: {
          state: 'attacker',
          code_challenge: 'attacker',
          code_challenge_method: 'plain',
          client_id: 'attacker',
          redirect_uri: 'https://evil.test/cb',
          response_type: 'token',
          prompt: 'login',
        },
      }),
    );
    const q = url.searchParams;
    expect(q.get('state')).not.toBe('attacker');
    expect(q.get('code_challenge')).not.toBe('attacker');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('client_id')).toBe(PUBLIC_CLIENT);
    expect(q.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('prompt')).toBe('login');
  });

  test('a server without an authorization endpoint is ERR_CONFIGURATION', async () => {
    const server = createFakeServer();
    const { login } = setUp(server, {
      baseUrl: undefined,
      server: { token_endpoint: server.metadata.token_endpoint },
    });
    const error = await errorOf(login.login());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', message: expect.stringMatching(/\S/) });
  });
});

describe('browser defaults (sessionStorage, location, history)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('login() keeps the verifier in sessionStorage and goes there with location.assign()', async () => {
    const sessionStorage = createFakeStorage();
    const assign = vi.fn();
    vi.stubGlobal('sessionStorage', sessionStorage);
    vi.stubGlobal('location', { href: 'https://app.test/', assign });
    const { login } = setUp(undefined, { transientStorage: undefined, navigate: undefined });
    await login.login();
    const url = new URL(assign.mock.calls[0]?.[0] as string);
    expect([...sessionStorage.map.keys()]).toEqual([
      `matomo-oauth2:${PUBLIC_CLIENT}:login:${url.searchParams.get('state')}`,
    ]);
  });

  test('handleRedirectCallback() reads location.href and cleans the address bar with history.replaceState()', async () => {
    const { login, redirect } = setUp(undefined, { replaceUrl: undefined });
    const callback = await redirect();
    const replaceState = vi.fn();
    vi.stubGlobal('location', { href: `${callback}#top` });
    vi.stubGlobal('history', { state: { page: 1 }, replaceState });
    await login.handleRedirectCallback();
    expect(replaceState).toHaveBeenCalledExactlyOnceWith({ page: 1 }, '', `${REDIRECT_URI}#top`);
  });

  test('outside a browser (no location, no history) the callback needs its URL and cleans nothing', async () => {
    vi.stubGlobal('location', undefined);
    vi.stubGlobal('history', undefined);
    const { login, server } = setUp(undefined, { replaceUrl: undefined, navigate: undefined });
    await expect(login.login()).resolves.toBeUndefined();
    const callback = await server.authorize(await login.createAuthorizationUrl());
    await expect(login.handleRedirectCallback(callback)).resolves.toHaveProperty('tokens');
    // Without a URL there is nothing to read: the empty URL is refused (Node's error names its input).
    expect(() => login.handleRedirectCallback()).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_URL', input: '' }),
    );
  });
});

describe('where the session lives', () => {
  test('the tokens are stored per client, under matomo-oauth2:<clientId>:tokens', async () => {
    const storage = createFakeStorage();
    const { login, redirect } = setUp(undefined, { storage: createWebStorageStore(storage) });
    await login.handleRedirectCallback(await redirect());
    expect([...storage.map.keys()]).toEqual([`matomo-oauth2:${PUBLIC_CLIENT}:tokens`]);
  });

  test('a coordinator of your own is used, and left open on close()', async () => {
    const published: TabMessage[] = [];
    const unsubscribe = vi.fn();
    const coordinator: RefreshCoordinator = {
      exclusive: (fn) => fn(),
      publish: (message) => void published.push(message),
      subscribe: () => unsubscribe,
      close: vi.fn(),
    };
    const { login, redirect } = setUp(undefined, { crossTab: coordinator });
    await login.handleRedirectCallback(await redirect());
    expect(published.map((m) => m.type)).toEqual(['tokens']);
    login.close();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(coordinator.close).not.toHaveBeenCalled();
  });

  describe('with a BroadcastChannel', () => {
    const channels: { name: string; close: () => void }[] = [];
    class FakeChannel {
      onmessage = null;
      close = vi.fn();
      postMessage = vi.fn();
      constructor(readonly name: string) {
        channels.push(this);
      }
    }
    afterEach(() => {
      channels.length = 0;
      vi.unstubAllGlobals();
    });

    test('in a browser, by default the tabs of one client share a channel, which close() closes', () => {
      vi.stubGlobal('BroadcastChannel', FakeChannel);
      vi.stubGlobal('location', { href: 'https://app.test/', assign() {} });
      const { login } = setUp(undefined, { crossTab: undefined });
      expect(channels.map((c) => c.name)).toEqual([`matomo-oauth2:${PUBLIC_CLIENT}`]);
      login.close();
      expect(channels[0]?.close).toHaveBeenCalledTimes(1);
    });

    test('crossTab: false opens no channel', () => {
      vi.stubGlobal('BroadcastChannel', FakeChannel);
      setUp(undefined, { crossTab: false });
      expect(channels).toEqual([]);
    });
  });
});

describe('secrets in the errors of a session', () => {
  test('a rejected refresh shows not the refresh token, even when the server echoes it', async () => {
    const server = createFakeServer({ echoSecrets: true });
    const { login, redirect } = setUp(server);
    const { tokens } = await login.handleRedirectCallback(await redirect());
    const refreshToken = tokens.refresh_token ?? '';
    // another client spends the refresh token, so that ours is a reuse (invalid_grant)
    await server.fetch(
      new Request(server.metadata.token_endpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: PUBLIC_CLIENT,
        }),
      }),
    );
    const error = await errorOf(login.tokens.refresh());
    expect(error).toMatchObject({ code: 'ERR_LOGIN_REQUIRED' });
    const cause = (error as Error).cause as OAuthResponseError;
    expect(cause.error_description).toContain('[redacted]');
    for (const text of [cause.message, String(cause), JSON.stringify(cause), cause.error_description]) {
      expect(text).not.toContain(refreshToken);
    }
  });

  test('a failed revocation shows not the token it revoked', async () => {
    const server = createFakeServer();
    const { login, redirect } = setUp(server, {
      fetch: async (request) =>
        request.url.endsWith('/oauth2/revoke')
          ? new Response(
              JSON.stringify({ error: 'invalid_request', error_description: `bad ${await request.text()}` }),
              { status: 400 },
            )
          : server.fetch(request),
    });
    const { tokens } = await login.handleRedirectCallback(await redirect());
    const error = (await errorOf(login.logout())) as OAuthResponseError;
    expect(error).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', error: 'invalid_request' });
    expect(error.error_description).toContain('[redacted]');
    expect(error.error_description).not.toContain(tokens.refresh_token);
    expect(await login.tokens.getTokens()).toBeUndefined();
  });
});

describe('logout() revokes the token that names the session', () => {
  const revocations = (server: FakeServer) =>
    server.requests
      .filter((r) => r.url.endsWith('/oauth2/revoke'))
      .map((r) => Object.fromEntries(new URLSearchParams(r.body)));

  test('the refresh token when there is one', async () => {
    const { login, server, redirect } = setUp();
    const { tokens } = await login.handleRedirectCallback(await redirect());
    await login.logout();
    expect(revocations(server)).toEqual([
      { token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: PUBLIC_CLIENT },
    ]);
  });

  test('otherwise the access token, hinted as such', async () => {
    const { login, server } = setUp();
    await login.tokens.setTokens({ token_type: 'Bearer', access_token: 'at-only', expires_in: 60 });
    await login.logout();
    expect(revocations(server)).toEqual([
      { token: 'at-only', token_type_hint: 'access_token', client_id: PUBLIC_CLIENT },
    ]);
  });

  test('when logged out, nothing to revoke', async () => {
    const { login, server } = setUp();
    await expect(login.logout()).resolves.toEqual({ revoked: false });
    expect(revocations(server)).toEqual([]);
  });
});

// Regression: opening the redirect URI without parameters (typed in, bookmarked, or reloaded after the
// callback cleaned the address bar) reported "state mismatch".
describe('an address without an authorization response', () => {
  test.each([
    ['the bare redirect URI', REDIRECT_URI],
    ['the redirect URI with a fragment', `${REDIRECT_URI}#top`],
    ['unrelated parameters', `${REDIRECT_URI}?tab=2`],
    ['only iss', `${REDIRECT_URI}?iss=https%3A%2F%2Fauth.test`],
    ['only error_description', `${REDIRECT_URI}?error_description=x`],
  ])('%s: ERR_NO_AUTHORIZATION_RESPONSE, nothing sent', async (_, address) => {
    const { login, server } = setUp();
    await login.login(); // even with a login pending
    const error = await errorOf(login.handleRedirectCallback(address));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: 'ERR_NO_AUTHORIZATION_RESPONSE',
      message: 'No authorization response in the address',
    });
    expect(server.calls.token).toBe(0);
  });

  test('reloading the redirect URI after a completed login (a new page, the same storage)', async () => {
    const server = createFakeServer();
    const transientStorage = createFakeStorage();
    const first = setUp(server, { transientStorage });
    await first.login.handleRedirectCallback(await first.redirect());
    const reloaded = setUp(server, { transientStorage });
    await expect(reloaded.login.handleRedirectCallback(first.addressBar[0])).rejects.toMatchObject({
      code: 'ERR_NO_AUTHORIZATION_RESPONSE',
    });
    expect(server.calls.code).toBe(1);
  });

  test.each([
    ['an error without state', `${REDIRECT_URI}?error=access_denied`],
    ['a code without state', `${REDIRECT_URI}?code=abc`],
    ['a state alone', `${REDIRECT_URI}?state=abc`],
    ['an empty state alone', `${REDIRECT_URI}?state=`],
  ])('%s is a response, and a state mismatch', async (_, address) => {
    const { login, server } = setUp();
    await expect(login.handleRedirectCallback(address)).rejects.toMatchObject({ code: 'ERR_STATE_MISMATCH' });
    expect(server.calls.token).toBe(0);
  });
});

// Regression: starting on http://localhost:5173 and coming back to http://127.0.0.1:5173 (the registered
// redirect URI) gave a bare "state mismatch": the login was kept in the other origin's storage.
describe('Web Storage is per origin: a callback with no login pending here says so', () => {
  const redirectUri = 'http://127.0.0.1:5173/callback';
  const perOrigin =
    'Unknown or already used state; no login is pending in http://127.0.0.1:5173, whose storage is per origin';

  /** A login started with `started` (another origin's storage), the callback handled with `here`. */
  async function acrossOrigins(here: BrowserLoginOptions['transientStorage']) {
    const server = createFakeServer();
    const started = setUp(server, { redirectUri });
    const callback = await started.redirect();
    const back = setUp(server, { redirectUri, transientStorage: here });
    const error = await errorOf(back.login.handleRedirectCallback(callback));
    return { error, server, state: new URL(callback).searchParams.get('state') ?? '', back };
  }

  test('nothing pending in this origin: the message names the origin and says storage is per origin', async () => {
    const { error, server, state } = await acrossOrigins(createFakeStorage());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_STATE_MISMATCH', message: perOrigin });
    expect(JSON.stringify(error)).not.toContain(state);
    expect(server.calls.token).toBe(0);
  });

  test('a login of another client pending here does not count', async () => {
    const storage = createFakeStorage();
    storage.setItem('matomo-oauth2:other-client:login:abc', '{}');
    storage.setItem('unrelated', 'x');
    const { error } = await acrossOrigins(storage);
    expect(error).toMatchObject({ message: perOrigin });
  });

  test('with a login of this client pending here, the state is only unknown', async () => {
    const storage = createFakeStorage();
    storage.setItem('unrelated', 'x');
    storage.setItem(`matomo-oauth2:${PUBLIC_CLIENT}:login:another-state`, '{}');
    storage.setItem('unrelated-too', 'x');
    const { error } = await acrossOrigins(storage);
    expect(error).toMatchObject({ code: 'ERR_STATE_MISMATCH', message: 'Unknown or already used state' });
  });

  test('a storage that cannot list its keys gives no hint', async () => {
    const storage = createFakeStorage();
    const { error } = await acrossOrigins({
      getItem: (key) => storage.getItem(key),
      setItem: (key, value) => storage.setItem(key, value),
      removeItem: (key) => storage.removeItem(key),
    });
    expect(error).toMatchObject({ code: 'ERR_STATE_MISMATCH', message: 'Unknown or already used state' });
  });

  test('a replayed redirect after the login completed: nothing is pending either', async () => {
    const { login, redirect } = setUp(undefined, { redirectUri });
    const callback = await redirect();
    await login.handleRedirectCallback(callback);
    await expect(login.handleRedirectCallback(callback)).rejects.toMatchObject({ message: perOrigin });
  });

  describe('with the default sessionStorage', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    test.each([
      ['empty', [], perOrigin],
      [
        'with a login of this client',
        [`matomo-oauth2:${PUBLIC_CLIENT}:login:x`],
        'Unknown or already used state',
      ],
    ])('%s', async (_, keys, message) => {
      const sessionStorage = createFakeStorage();
      for (const key of keys) sessionStorage.setItem(key, '{}');
      vi.stubGlobal('sessionStorage', sessionStorage);
      const { error } = await acrossOrigins(undefined);
      expect(error).toMatchObject({ code: 'ERR_STATE_MISMATCH', message });
    });

    test('without any Web Storage, a code without state is a plain state mismatch', async () => {
      vi.stubGlobal('sessionStorage', undefined);
      const { login } = setUp(undefined, { redirectUri, transientStorage: undefined });
      await expect(login.handleRedirectCallback(`${redirectUri}?code=abc`)).rejects.toMatchObject({
        code: 'ERR_STATE_MISMATCH',
        message: 'Unknown or already used state',
      });
    });
  });
});

// Regression: logout() against a server without a revocation endpoint (the Matomo plugin) skipped the
// revocation silently: the tokens stayed valid at the server and nothing said so.
describe('logout() says whether the server revoked the tokens', () => {
  test.each([
    ['with a revocation endpoint', {}, true],
    ['without one (the Matomo plugin)', { matomoStyle: true }, false],
  ])('%s: revoked = %s, in the result and in sessionEnded', async (_, serverOptions, revoked) => {
    const { login, redirect } = setUp(createFakeServer(serverOptions));
    await login.handleRedirectCallback(await redirect());
    const ended = vi.fn();
    login.tokens.on('sessionEnded', ended);
    await expect(login.logout()).resolves.toEqual({ revoked });
    expect(ended).toHaveBeenCalledExactlyOnceWith('logout', undefined, { revoked });
  });
});

// Regression: the code exchange and the refreshes could not send extra token parameters, so an app
// could not ask for a token for its API (RFC 8707 `resource`, `audience`) on a server serving several.
describe('tokenParams', () => {
  test('go with the code exchange and every refresh, a repeated resource once per value', async () => {
    const { login, server, redirect } = setUp(undefined, {
      tokenParams: { resource: ['https://matomo.test', 'https://reports.test'], audience: 'matomo' },
    });
    await login.handleRedirectCallback(await redirect());
    await login.tokens.refresh();
    const bodies = server.requests
      .filter((r) => r.url === server.metadata.token_endpoint)
      .map((r) => new URLSearchParams(r.body));
    expect(bodies.map((body) => body.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
    for (const body of bodies) {
      expect(body.getAll('resource')).toEqual(['https://matomo.test', 'https://reports.test']);
      expect(body.get('audience')).toBe('matomo');
    }
  });

  test('a name the SDK sets itself is refused at creation (ERR_CONFIGURATION)', () => {
    expect(() => setUp(undefined, { tokenParams: { code_verifier: 'x' } })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIGURATION' }),
    );
  });
});

// Regression: in Node, two logins of one client id shared their tokens over BroadcastChannel, because
// cross-tab coordination was on by default outside browsers too.
describe('crossTab by default', () => {
  const opened: string[] = [];
  class RecordingChannel {
    onmessage = null;
    close() {}
    postMessage() {}
    constructor(name: string) {
      opened.push(name);
    }
  }
  afterEach(() => {
    opened.length = 0;
    vi.unstubAllGlobals();
  });

  test('is off outside a browser (no location): no channel is opened', () => {
    vi.stubGlobal('BroadcastChannel', RecordingChannel);
    vi.stubGlobal('location', undefined);
    setUp(undefined, { crossTab: undefined });
    expect(opened).toEqual([]);
  });

  test('is on in a browser', () => {
    vi.stubGlobal('BroadcastChannel', RecordingChannel);
    vi.stubGlobal('location', { href: 'https://app.test/', assign() {} });
    setUp(undefined, { crossTab: undefined });
    expect(opened).toEqual([`matomo-oauth2:${PUBLIC_CLIENT}`]);
  });
});

// Regression: there was no documented "am I signed in?" before calling the API: only call, catch
// LoginRequiredError, redirect (isAuthenticated() was on the OpenID login only).
describe('isAuthenticated(): "am I signed in?" from storage, without a request', () => {
  test.each([
    ['before the login', false, false],
    ['after the callback', true, true],
  ])('%s: %s', async (_, signIn, expected) => {
    const server = createFakeServer();
    const { login, redirect } = setUp(server);
    if (signIn) await login.handleRedirectCallback(await redirect());
    const before = server.requests.length;
    await expect(login.isAuthenticated()).resolves.toBe(expected);
    expect(server.requests.length).toBe(before);
  });

  test('expired without a refresh token: false; with one: true (it can be renewed)', async () => {
    const { login } = setUp();
    const expired = {
      access_token: 'at',
      token_type: 'Bearer' as const,
      obtained_at: 0,
      expires_in: 60,
      expires_at: 60_000,
    };
    await login.tokens.setTokens(expired);
    await expect(login.isAuthenticated()).resolves.toBe(false);
    await login.tokens.setTokens({ ...expired, refresh_token: 'rt' });
    await expect(login.isAuthenticated()).resolves.toBe(true);
  });

  test('after logout(): false', async () => {
    const { login, redirect } = setUp();
    await login.handleRedirectCallback(await redirect());
    await login.logout();
    await expect(login.isAuthenticated()).resolves.toBe(false);
  });
});
