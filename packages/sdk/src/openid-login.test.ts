import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createFakeServer,
  createFakeStorage,
  type FakeServer,
  type FakeServerOptions,
  PUBLIC_CLIENT,
  REDIRECT_URI,
  USER,
} from '../test/fake-server';
import type { BrowserLoginOptions } from './browser-login';
import { matomoEndpoints } from './discovery';
import { LoginRequiredError, OAuthResponseError, ProtocolError } from './errors';
import { decodeIdToken } from './id-token';
import { createMatomoClient } from './matomo-client';
import { createOpenIdLogin, type OpenIdLogin, type OpenIdLoginOptions } from './openid-login';
import { createWebStorageStore } from './storage';
import type { TokenSet } from './token-set';

const logins: OpenIdLogin[] = [];
afterEach(() => {
  for (const login of logins.splice(0)) login.close();
  vi.unstubAllGlobals();
});

const SCOPE = 'matomo:read openid profile';
const LOGOUT_URI = 'https://app.test/signed-out';

function setUp(server: FakeServer = createFakeServer(), options: Partial<BrowserLoginOptions> = {}) {
  const navigations: string[] = [];
  const transientStorage = createFakeStorage();
  const storage = createFakeStorage();
  const login = createOpenIdLogin({
    baseUrl: server.issuer,
    clientId: PUBLIC_CLIENT,
    redirectUri: REDIRECT_URI,
    scope: SCOPE,
    fetch: server.fetch,
    storage: createWebStorageStore(storage),
    transientStorage,
    crossTab: false,
    navigate: (url) => void navigations.push(url),
    replaceUrl: () => undefined,
    ...options,
  });
  logins.push(login);
  /** login(), the user allows, the browser comes back: the callback URL. */
  const redirect = async (loginOptions: OpenIdLoginOptions = {}, extra: Record<string, string> = {}) => {
    await login.login({ returnTo: '/reports', ...loginOptions });
    return server.authorize(navigations.at(-1) ?? '', extra);
  };
  const signIn = async (loginOptions: OpenIdLoginOptions = {}) =>
    (await login.handleRedirectCallback(await redirect(loginOptions))).tokens;
  const query = () => Object.fromEntries(new URL(navigations.at(-1) ?? '').searchParams);
  return { server, login, navigations, transientStorage, storage, redirect, signIn, query };
}

/** A fake server whose ID tokens are changed by `tamper`, which a test may replace at any time. */
function tampering() {
  const state = { tamper: (claims: Record<string, unknown>) => claims };
  const options: FakeServerOptions = { idTokenClaims: (claims) => state.tamper(claims) };
  return { state, server: createFakeServer(options) };
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** The server's fetch, with the ID token taken out of the token responses of the given grants. */
const withoutIdToken =
  (server: FakeServer, grants: string[]) =>
  async (request: Request): Promise<Response> => {
    const grant = new URLSearchParams(await request.clone().text()).get('grant_type') ?? '';
    const response = await server.fetch(request);
    if (!grants.includes(grant)) return response;
    const { id_token: _, ...body } = await response.json();
    return new Response(JSON.stringify(body), { status: response.status });
  };

describe('discovery', () => {
  test('finds the endpoints in /.well-known/openid-configuration, once for the whole session', async () => {
    const { server, login, signIn } = setUp();
    await signIn();
    await login.getUser();
    await login.logout({ endSession: true });
    const metadata = server.requests.filter((r) => r.url.includes('/.well-known/'));
    expect(metadata.map((r) => r.url)).toEqual(['https://auth.test/.well-known/openid-configuration']);
  });
});

describe('the nonce', () => {
  test('with openid in the scope, a fresh nonce goes to the authorization request and is kept with the verifier', async () => {
    const { login, query, transientStorage } = setUp();
    await login.login();
    const first = query();
    expect(first.nonce).toMatch(/^[\w-]{43}$/);
    expect(first.scope).toBe(SCOPE);
    const saved = JSON.parse(
      transientStorage.getItem(`matomo-oauth2:${PUBLIC_CLIENT}:login:${first.state}`) ?? '{}',
    );
    expect(saved.params.nonce).toBe(first.nonce);
    expect(saved.verifier).toMatch(/^[\w-]{43}$/);
    await login.login();
    expect(query().nonce).not.toBe(first.nonce);
  });

  test.each([
    ['no openid', 'matomo:read'],
    ['a scope that only contains the letters', 'matomo:read openidx'],
    ['profile without openid', 'matomo:read profile'],
  ])('%s in the scope: no nonce', async (_, scope) => {
    const { login, query } = setUp(undefined, { scope });
    await login.login();
    expect(query()).not.toHaveProperty('nonce');
  });

  test('no scope at all (the client’s own): no nonce', async () => {
    const { login, query } = setUp(undefined, { scope: undefined });
    await login.login();
    expect(query()).not.toHaveProperty('nonce');
    expect(query()).not.toHaveProperty('scope');
  });

  test("one login's scope decides, over the default one", async () => {
    const { login, query } = setUp(undefined, { scope: 'matomo:read' });
    await login.login({ scope: 'matomo:write openid' });
    expect(query()).toMatchObject({
      scope: 'matomo:write openid',
      nonce: expect.stringMatching(/^[\w-]{43}$/),
    });
    const { login: other, query: otherQuery } = setUp();
    await other.login({ scope: 'matomo:write' });
    expect(otherQuery()).not.toHaveProperty('nonce');
  });

  test('a nonce of the caller: replaced by the SDK’s with openid, sent as it is without', async () => {
    const { login, query } = setUp();
    await login.login({ params: { nonce: 'mine' } });
    expect(query().nonce).not.toBe('mine');
    await login.login({ scope: 'matomo:read', params: { nonce: 'mine' } });
    expect(query().nonce).toBe('mine');
  });

  test('the ID token carrying the nonce sent is accepted and kept with the tokens', async () => {
    const { login, query, redirect, storage } = setUp();
    const callback = await redirect();
    const { tokens } = await login.handleRedirectCallback(callback);
    const claims = decodeIdToken(tokens.id_token ?? '');
    expect(claims).toMatchObject({
      iss: 'https://auth.test',
      sub: USER,
      aud: PUBLIC_CLIENT,
      nonce: query().nonce,
    });
    expect(tokens.scope).toBe(SCOPE);
    const stored = JSON.parse(storage.getItem(`matomo-oauth2:${PUBLIC_CLIENT}:tokens`) ?? '{}');
    expect(stored.id_token).toBe(tokens.id_token);
  });

  test.each([
    ['another nonce', (claims: Record<string, unknown>) => ({ ...claims, nonce: 'forged' })],
    ['no nonce', ({ nonce: _, ...claims }: Record<string, unknown>) => claims],
  ])('an ID token with %s is refused: ERR_INVALID_ID_TOKEN, and no token is stored', async (_, tamper) => {
    const { server, state } = tampering();
    state.tamper = tamper;
    const { login, redirect, storage } = setUp(server);
    const error = await errorOf(login.handleRedirectCallback(await redirect()));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ID_TOKEN', claim: 'nonce' });
    expect(await login.tokens.getTokens()).toBeUndefined();
    expect(storage.map.size).toBe(0);
    expect(server.calls.code).toBe(1);
  });
});

describe('the checks of the login’s ID token (OpenID Connect Core §3.1.3.7)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  test.each([
    ['another issuer', { iss: 'https://evil.test' }, 'iss'],
    ['another audience', { aud: 'someone-else' }, 'aud'],
    ['several audiences and no azp', { aud: [PUBLIC_CLIENT, 'reports'] }, 'azp'],
    ['several audiences and azp another client', { aud: [PUBLIC_CLIENT, 'reports'], azp: 'reports' }, 'azp'],
    ['an azp that is another client', { azp: 'reports' }, 'azp'],
    ['expired', { exp: now() - 3600 }, 'exp'],
    ['no subject', { sub: undefined }, 'sub'],
  ])('%s: refused, no token stored', async (_, changes, claim) => {
    const { server, state } = tampering();
    state.tamper = (claims) => ({ ...claims, ...changes });
    const { login, redirect, storage } = setUp(server);
    const error = await errorOf(login.handleRedirectCallback(await redirect()));
    expect(error).toMatchObject({ code: 'ERR_INVALID_ID_TOKEN', claim });
    expect(storage.map.size).toBe(0);
    await expect(login.isAuthenticated()).resolves.toBe(false);
  });

  test('several audiences with azp this client: accepted', async () => {
    const { server, state } = tampering();
    state.tamper = (claims) => ({ ...claims, aud: ['reports', PUBLIC_CLIENT], azp: PUBLIC_CLIENT });
    const { signIn } = setUp(server);
    await expect(signIn()).resolves.toHaveProperty('id_token');
  });

  test('an explicit server without issuer cannot have its ID tokens checked: refused', async () => {
    const server = createFakeServer();
    // Neither the ID token's iss nor (RFC 9207) the redirect's can be checked against anything.
    const endpoints = {
      ...server.openidConfiguration,
      issuer: undefined,
      authorization_response_iss_parameter_supported: false,
    };
    const { login, redirect } = setUp(server, { baseUrl: undefined, server: endpoints });
    await expect(login.handleRedirectCallback(await redirect())).rejects.toMatchObject({ claim: 'iss' });
  });
});

describe('a refreshed ID token (OpenID Connect Core §12.2)', () => {
  const refreshedSession = async () => {
    const { server, state } = tampering();
    let serial = 0;
    state.tamper = (claims) => ({ ...claims, jti: `id-${++serial}` });
    const setup = setUp(server);
    const first = await setup.signIn();
    return { ...setup, state, first };
  };

  test('one with the same iss, sub and aud and no nonce replaces the old one', async () => {
    const { login, first } = await refreshedSession();
    const refreshed = await login.tokens.refresh();
    expect(refreshed.id_token).not.toBe(first.id_token);
    const claims = decodeIdToken(refreshed.id_token ?? '');
    expect(claims).toMatchObject({ jti: 'id-2', sub: USER });
    expect(claims).not.toHaveProperty('nonce');
    expect(await login.getUser()).toEqual(claims);
  });

  test.each([
    ['another sub', { sub: 'someone-else' }, 'sub'],
    ['another aud', { aud: 'reports' }, 'aud'],
    ['another issuer', { iss: 'https://evil.test' }, 'iss'],
  ])('one with %s is refused and the tokens before it are kept', async (_, changes, claim) => {
    const { login, state, first } = await refreshedSession();
    state.tamper = (claims) => ({ ...claims, ...changes });
    await expect(login.tokens.refresh()).rejects.toMatchObject({ code: 'ERR_INVALID_ID_TOKEN', claim });
    expect(await login.tokens.getTokens()).toEqual(first);
  });

  test('one that repeats the nonce is accepted: the nonce is checked on the login only', async () => {
    const { login, state, first } = await refreshedSession();
    const { nonce } = decodeIdToken(first.id_token ?? '');
    state.tamper = (claims) => ({ ...claims, nonce });
    await expect(login.tokens.refresh()).resolves.toHaveProperty('id_token');
  });

  test('a refresh without an ID token keeps the old one, and its claims', async () => {
    const server = createFakeServer();
    const { login, signIn } = setUp(server, { fetch: withoutIdToken(server, ['refresh_token']) });
    const first = await signIn();
    const refreshed = await login.tokens.refresh();
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.id_token).toBe(first.id_token);
    expect((await login.getUser()).sub).toBe(USER);
  });

  test('a session that had no ID token takes the first one a refresh brings, without a nonce', async () => {
    const server = createFakeServer();
    const { login, signIn } = setUp(server, { fetch: withoutIdToken(server, ['authorization_code']) });
    expect((await signIn()).id_token).toBeUndefined();
    const refreshed = await login.tokens.refresh();
    expect(decodeIdToken(refreshed.id_token ?? '')).not.toHaveProperty('nonce');
  });
});

describe('getUser()', () => {
  test('gives the claims of the ID token, without a request', async () => {
    const { login, server, signIn } = setUp();
    const { id_token } = await signIn();
    const before = server.requests.length;
    const user = await login.getUser();
    expect(user).toEqual(decodeIdToken(id_token ?? ''));
    expect(user.sub).toBe(USER);
    expect(server.requests.length).toBe(before);
  });

  test('without an ID token, asks UserInfo with the access token', async () => {
    const server = createFakeServer();
    const { login, signIn } = setUp(server, { fetch: withoutIdToken(server, ['authorization_code']) });
    const { access_token, id_token } = await signIn();
    expect(id_token).toBeUndefined();
    expect(await login.getUser()).toEqual({ sub: USER, preferred_username: USER, name: USER });
    const [request] = server.requests.filter((r) => r.url === 'https://auth.test/oauth2/userinfo');
    expect(request?.method).toBe('GET');
    expect(request?.headers.get('authorization')).toBe(`Bearer ${access_token}`);
  });

  test('UserInfo rejecting the access token (invalid_token): one refresh, one more try', async () => {
    const server = createFakeServer();
    const { login, signIn } = setUp(server, {
      fetch: withoutIdToken(server, ['authorization_code', 'refresh_token']),
    });
    await signIn();
    server.expireAccessTokens();
    await expect(login.getUser()).resolves.toMatchObject({ sub: USER });
    expect(server.calls.userinfo).toBe(2);
    expect(server.calls.refresh).toBe(1);
  });

  test('a token without openid: UserInfo answers insufficient_scope, no retry', async () => {
    const { login, server, signIn } = setUp(undefined, { scope: 'matomo:read' });
    await signIn();
    const error = await errorOf(login.getUser());
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', status: 403, error: 'insufficient_scope' });
    expect(server.calls.userinfo).toBe(1);
    expect(server.calls.refresh).toBe(0);
  });

  test('a Matomo with the OAuth2 plugin (no ID token, no UserInfo): ERR_NOT_SUPPORTED', async () => {
    const server = createFakeServer({ matomoStyle: true });
    const { login, signIn } = setUp(server);
    await signIn();
    const before = server.requests.length;
    const error = await errorOf(login.getUser());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: 'ERR_NOT_SUPPORTED',
      message: 'The server has no UserInfo endpoint',
    });
    expect(server.requests.length).toBe(before);
  });

  test('the same with the plugin given explicitly', async () => {
    const server = createFakeServer({ matomoStyle: true });
    const { login, signIn } = setUp(server, { baseUrl: undefined, server: matomoEndpoints(server.issuer) });
    await signIn();
    await expect(login.getUser()).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED' });
  });

  test('nobody signed in, a server with UserInfo: LoginRequiredError', async () => {
    const { login, server } = setUp();
    await expect(login.getUser()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(server.calls.userinfo).toBe(0);
  });
});

describe('getUserInfo()', () => {
  test('asks UserInfo even with an ID token: the profile and email claims are only there', async () => {
    const { login, server, signIn } = setUp(undefined, { scope: 'matomo:read openid profile email' });
    const { id_token } = await signIn();
    expect(decodeIdToken(id_token ?? '')).not.toHaveProperty('email');
    expect(await login.getUserInfo()).toEqual({
      sub: USER,
      preferred_username: USER,
      name: USER,
      email: `${USER}@example.org`,
      email_verified: false,
    });
    expect(server.calls.userinfo).toBe(1);
  });

  test('an access token the server echoes in its error is cut out of it', async () => {
    const server = createFakeServer();
    const fetch = async (request: Request) =>
      request.url.endsWith('/oauth2/userinfo')
        ? new Response(null, {
            status: 403,
            headers: {
              'www-authenticate': `Bearer error="insufficient_scope", error_description="${request.headers.get('authorization')}"`,
            },
          })
        : server.fetch(request);
    const { login, signIn } = setUp(server, { fetch });
    const { access_token } = await signIn();
    const error = (await errorOf(login.getUserInfo())) as OAuthResponseError;
    expect(error.error_description).toBe('Bearer [redacted]');
    expect(JSON.stringify(error)).not.toContain(access_token);
  });

  test('an answer about another user than the ID token’s is refused (Core §5.3.4)', async () => {
    const server = createFakeServer();
    const fetch = async (request: Request) =>
      request.url.endsWith('/oauth2/userinfo')
        ? Response.json({ sub: 'someone-else', email: 'x@example.org' })
        : server.fetch(request);
    const { login, signIn } = setUp(server, { fetch, scope: 'matomo:read openid email' });
    await signIn();
    await expect(login.getUserInfo()).rejects.toMatchObject({ code: 'ERR_INVALID_RESPONSE' });
    // Without an ID token there is nothing to compare with.
    await login.tokens.setTokens({ ...((await login.tokens.getTokens()) as TokenSet), id_token: undefined });
    expect(await login.getUserInfo()).toEqual({ sub: 'someone-else', email: 'x@example.org' });
  });

  test('a Matomo with the OAuth2 plugin: ERR_NOT_SUPPORTED, nothing sent', async () => {
    const server = createFakeServer({ matomoStyle: true });
    const { login, signIn } = setUp(server);
    await signIn();
    const before = server.requests.length;
    await expect(login.getUserInfo()).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED' });
    expect(server.requests.length).toBe(before);
  });

  test('a rejected token after the refresh too: the second OAuthResponseError is thrown', async () => {
    const server = createFakeServer();
    const fetch = async (request: Request) =>
      request.url.endsWith('/oauth2/userinfo')
        ? new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
        : server.fetch(request);
    const { login, signIn } = setUp(server, { fetch });
    await signIn();
    await expect(login.getUserInfo()).rejects.toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'invalid_token',
    });
    expect(server.calls.refresh).toBe(1);
  });
});

describe('isAuthenticated(), without any request', () => {
  const NOW = Date.now();
  const set = (expiresIn: number | undefined, refresh_token?: string, obtainedAgo = 0): TokenSet => ({
    access_token: 'at',
    token_type: 'Bearer',
    obtained_at: NOW - obtainedAgo,
    ...(expiresIn !== undefined && {
      expires_in: expiresIn,
      expires_at: NOW - obtainedAgo + expiresIn * 1000,
    }),
    ...(refresh_token && { refresh_token }),
  });

  // The names carry no time: a test's name must be the same on every run (Stryker finds tests by name).
  test.each([
    ['no tokens', false, undefined, {}],
    ['fresh tokens', true, set(3600), {}],
    ['expired, with a refresh token', true, set(60, 'rt', 3_600_000), {}],
    ['expired, without a refresh token', false, set(60, undefined, 3_600_000), {}],
    ['10 s left and 30 s of skew (the default): expired', false, set(3600, undefined, 3_590_000), {}],
    ['10 s left and 5 s of skew: fresh', true, set(3600, undefined, 3_590_000), { skew: 5 }],
    ['of unknown lifetime', true, set(undefined, undefined, 3_600_000), {}],
  ])('%s: authenticated = %s', async (_, authenticated, tokens, options) => {
    const fetch = vi.fn(async () => new Response(null, { status: 500 }));
    const { login } = setUp(undefined, { fetch, ...options });
    if (tokens) await login.tokens.setTokens(tokens);
    await expect(login.isAuthenticated()).resolves.toBe(authenticated);
    expect(fetch).not.toHaveBeenCalled();
  });

  test('after a reload: the stored tokens count, still without a request', async () => {
    const server = createFakeServer();
    const shared = createFakeStorage();
    const first = setUp(server, { storage: createWebStorageStore(shared) });
    await first.signIn();
    const fetch = vi.fn(server.fetch);
    const { login } = setUp(server, { storage: createWebStorageStore(shared), fetch });
    await expect(login.isAuthenticated()).resolves.toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('login({ prompt, maxAge, loginHint })', () => {
  test('go to the authorization request as prompt, max_age and login_hint', async () => {
    const { login, query } = setUp();
    await login.login({ prompt: 'none', maxAge: 300, loginHint: 'alice' });
    expect(query()).toMatchObject({ prompt: 'none', max_age: '300', login_hint: 'alice' });
  });

  test('several prompt values are space-separated; max_age 0 is sent', async () => {
    const { login, query } = setUp();
    await login.login({ prompt: ['login', 'consent'], maxAge: 0 });
    expect(query()).toMatchObject({ prompt: 'login consent', max_age: '0' });
  });

  test('none given: no such parameter at all', async () => {
    const { login, query } = setUp();
    await login.login({ returnTo: '/x' });
    expect(Object.keys(query()).sort()).toEqual([
      'client_id',
      'code_challenge',
      'code_challenge_method',
      'nonce',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ]);
  });

  test('they win over params; other params still go', async () => {
    const { login } = setUp();
    const url = new URL(
      await login.createAuthorizationUrl({
        prompt: 'login',
        params: { prompt: 'consent', ui_locales: 'fr' },
      }),
    );
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('ui_locales')).toBe('fr');
  });

  test('params alone still reach the request, and the SDK’s own parameters cannot be replaced', async () => {
    const { login } = setUp();
    const url = new URL(await login.createAuthorizationUrl({ params: { prompt: 'consent', state: 'x' } }));
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('state')).not.toBe('x');
  });

  test('returnTo comes back from the callback', async () => {
    const { login, redirect } = setUp();
    const callback = await redirect({ returnTo: '/dashboard', prompt: 'login' });
    await expect(login.handleRedirectCallback(callback)).resolves.toMatchObject({ returnTo: '/dashboard' });
  });

  test('outside a browser (no location) and no navigate: login() has nowhere to go, and says nothing', async () => {
    vi.stubGlobal('location', undefined);
    const { login, server } = setUp(undefined, { navigate: undefined });
    await expect(login.login()).resolves.toBeUndefined();
    expect(server.calls.metadata).toBe(1);
  });

  test('by default, login() goes there with location.assign()', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: 'https://app.test/', assign });
    const { login } = setUp(undefined, { navigate: undefined });
    await login.login({ prompt: 'none' });
    expect(new URL(assign.mock.calls[0]?.[0] as string).searchParams.get('prompt')).toBe('none');
  });
});

describe('prompt=none answered with an error that needs the user', () => {
  /** The server answers the login with `error=` (state and iss as it sends them). */
  const answered = async (error: string, description?: string) => {
    const setup = setUp();
    await setup.login.login({ prompt: 'none' });
    const { state } = setup.query();
    const callback = new URL(REDIRECT_URI);
    callback.search = new URLSearchParams({
      error,
      ...(description && { error_description: description }),
      state: state ?? '',
      iss: setup.server.issuer,
    }).toString();
    return { ...setup, callback: callback.href };
  };

  test.each(['login_required', 'consent_required', 'interaction_required'])(
    '%s is ERR_INTERACTION_REQUIRED: log in again without prompt=none',
    async (code) => {
      const { login, server, callback } = await answered(code, 'Sign in first');
      const error = await errorOf(login.handleRedirectCallback(callback));
      expect(error).toBeInstanceOf(OAuthResponseError);
      expect(error).toMatchObject({
        code: 'ERR_INTERACTION_REQUIRED',
        error: code,
        error_description: 'Sign in first',
        message: `The server answered ${code}: Sign in first`,
      });
      expect((error as Error).cause).toMatchObject({ code: 'ERR_AUTHORIZATION_RESPONSE', error: code });
      expect(server.calls.token).toBe(0);
    },
  );

  test.each(['access_denied', 'account_selection_required', 'xlogin_required', 'login_required_x'])(
    '%s stays ERR_AUTHORIZATION_RESPONSE',
    async (code) => {
      const { login, callback } = await answered(code);
      await expect(login.handleRedirectCallback(callback)).rejects.toMatchObject({
        code: 'ERR_AUTHORIZATION_RESPONSE',
        error: code,
      });
    },
  );

  test('without a description, none is made up', async () => {
    const { login, callback } = await answered('login_required');
    const error = (await errorOf(login.handleRedirectCallback(callback))) as OAuthResponseError;
    expect(error.error_description).toBeUndefined();
    expect(error.message).toBe('The server answered login_required');
  });

  test('other errors pass unchanged: a token endpoint answering login_required, a state mismatch', async () => {
    const server = createFakeServer();
    const fetch = async (request: Request) =>
      request.url === server.metadata.token_endpoint
        ? new Response(JSON.stringify({ error: 'login_required' }), { status: 400 })
        : server.fetch(request);
    const { login, redirect } = setUp(server, { fetch });
    const callback = await redirect();
    await expect(login.handleRedirectCallback(callback)).rejects.toMatchObject({
      code: 'ERR_OAUTH_RESPONSE',
      error: 'login_required',
    });
    await expect(login.handleRedirectCallback(callback)).rejects.toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    });
  });

  test('React StrictMode: a second call for the same redirect gets the same promise, failed or not', async () => {
    const { login, callback } = await answered('login_required');
    const failed = login.handleRedirectCallback(callback);
    expect(login.handleRedirectCallback(callback)).toBe(failed);
    await expect(failed).rejects.toMatchObject({ code: 'ERR_INTERACTION_REQUIRED' });
    const { login: other, server, redirect } = setUp();
    const succeeded = other.handleRedirectCallback(await redirect());
    expect(other.handleRedirectCallback(REDIRECT_URI)).toBe(succeeded); // the address bar already cleaned
    await succeeded;
    expect(server.calls.code).toBe(1);
  });
});

describe('logout()', () => {
  const revocations = (server: FakeServer) => server.requests.filter((r) => r.url.endsWith('/oauth2/revoke'));

  test('without endSession: revokes and forgets, and stays on the page', async () => {
    const { login, server, signIn, navigations, storage } = setUp();
    const { refresh_token } = await signIn();
    const before = navigations.length;
    await login.logout();
    expect(revocations(server)).toHaveLength(1);
    expect(server.isAlive(refresh_token ?? '')).toBe(false);
    expect(storage.map.size).toBe(0);
    expect(navigations.length).toBe(before);
  });

  test('with endSession: revokes, forgets, then goes to the end-session endpoint', async () => {
    const server = createFakeServer();
    const storage = createFakeStorage();
    const seen: { url: string; stored: number; revoked: number }[] = [];
    const { login } = setUp(server, {
      storage: createWebStorageStore(storage),
      navigate: (url) =>
        void seen.push({ url, stored: storage.map.size, revoked: revocations(server).length }),
    });
    await login.login();
    const { tokens } = await login.handleRedirectCallback(await server.authorize(seen[0]?.url ?? ''));
    const { id_token } = tokens;
    seen.length = 0;
    await login.logout({ endSession: true, postLogoutRedirectUri: LOGOUT_URI, state: 'back-to-reports' });
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0]?.url ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.test/oauth2/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: id_token,
      client_id: PUBLIC_CLIENT,
      post_logout_redirect_uri: LOGOUT_URI,
      state: 'back-to-reports',
    });
    expect(seen[0]).toMatchObject({ stored: 0, revoked: 1 });
  });

  test('the state is a random one by default; no post_logout_redirect_uri unless given', async () => {
    const { login, signIn, navigations } = setUp();
    await signIn();
    await login.logout({ endSession: true });
    const query = Object.fromEntries(new URL(navigations.at(-1) ?? '').searchParams);
    expect(Object.keys(query).sort()).toEqual(['client_id', 'id_token_hint', 'state']);
    expect(query.state).toMatch(/^[\w-]{43}$/);
  });

  test('without an ID token (no openid), no id_token_hint: the server asks the user to confirm', async () => {
    const { login, signIn, navigations } = setUp(undefined, { scope: 'matomo:read' });
    await signIn();
    await login.logout({ endSession: true, postLogoutRedirectUri: LOGOUT_URI });
    const query = Object.fromEntries(new URL(navigations.at(-1) ?? '').searchParams);
    expect(query).not.toHaveProperty('id_token_hint');
    expect(query).toMatchObject({ client_id: PUBLIC_CLIENT, post_logout_redirect_uri: LOGOUT_URI });
  });

  test.each([
    ['a Matomo with the OAuth2 plugin', createFakeServer({ matomoStyle: true }), {}],
    [
      'a server given without end_session_endpoint',
      createFakeServer(),
      { baseUrl: undefined, server: createFakeServer().metadata },
    ],
  ])('%s: ERR_NOT_SUPPORTED, after forgetting the tokens', async (_, server, options) => {
    const { login, signIn, navigations, storage } = setUp(server, options);
    await signIn();
    const before = navigations.length;
    const error = await errorOf(login.logout({ endSession: true, postLogoutRedirectUri: LOGOUT_URI }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: 'ERR_NOT_SUPPORTED',
      message: 'The server has no end_session_endpoint',
    });
    expect(storage.map.size).toBe(0);
    expect(navigations.length).toBe(before);
  });

  test('a failed revocation: the tokens are forgotten, the error thrown, and the page stays', async () => {
    const server = createFakeServer();
    let offline = false;
    const { login, signIn, navigations, storage } = setUp(server, {
      fetch: (request) => (offline ? Promise.reject(new TypeError('fetch failed')) : server.fetch(request)),
    });
    await signIn();
    offline = true;
    const before = navigations.length;
    await expect(login.logout({ endSession: true })).rejects.toThrow('fetch failed');
    expect(storage.map.size).toBe(0);
    expect(navigations.length).toBe(before);
  });

  test('nobody signed in: nothing to revoke, and the end-session request has no id_token_hint', async () => {
    const { login, server, navigations } = setUp();
    await login.logout({ endSession: true, state: 's' });
    expect(revocations(server)).toEqual([]);
    expect(Object.fromEntries(new URL(navigations.at(-1) ?? '').searchParams)).toEqual({
      client_id: PUBLIC_CLIENT,
      state: 's',
    });
  });

  test('by default, the browser goes there with location.assign()', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { href: 'https://app.test/', assign });
    const { login } = setUp(undefined, { navigate: undefined });
    await login.tokens.setTokens({ token_type: 'Bearer', access_token: 'at', expires_in: 60 });
    await login.logout({ endSession: true });
    expect(assign).toHaveBeenCalledTimes(1);
    expect(String(assign.mock.calls[0]?.[0])).toMatch(
      /^https:\/\/auth\.test\/oauth2\/logout\?client_id=dashboard&state=/,
    );
  });
});

test('an OpenID login is the access token provider of a Matomo client', async () => {
  const { login, server, signIn } = setUp();
  await signIn();
  const matomo = createMatomoClient({ baseUrl: server.issuer, auth: login, fetch: server.fetch });
  await expect(matomo.call('API.getMatomoVersion')).resolves.toEqual({ value: '5.2.0' });
});
