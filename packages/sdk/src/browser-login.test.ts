import { afterEach, describe, expect, test } from 'vitest';
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
