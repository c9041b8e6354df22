// The SDK's OpenID Connect login against the real reference server, over real HTTP: nonce and ID
// token, getUser(), isAuthenticated(), prompt=none, and logout({ endSession: true }).

import { createMemoryStore, ProtocolError } from '@matomo-oauth2/sdk';
import { createOpenIdLogin, type OpenIdLogin } from '@matomo-oauth2/sdk/openid';
import { type Agent, authorizeThroughPages, createAgent } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { memoryWebStorage, spaRedirectUri } from '../support/sdk-login';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const postLogoutRedirectUri = 'http://127.0.0.1:47011/';

/** Token requests the server has answered so far (the audit log's issued tokens). */
async function tokenRequests(): Promise<number> {
  await server.flushAuditLog();
  const rows = await server.db
    .selectFrom('audit_log')
    .select('id')
    .where('event', '=', 'token.issued')
    .execute();
  return rows.length;
}

/** An OpenID login of the demo SPA in Node: where it navigates is recorded, not followed. */
function openIdLogin(scope = 'matomo:read openid profile email') {
  const navigations: string[] = [];
  const login = createOpenIdLogin({
    baseUrl: server.url,
    clientId: 'matomo_demo_spa',
    redirectUri: spaRedirectUri,
    scope,
    storage: createMemoryStore(),
    transientStorage: memoryWebStorage(),
    navigate: (url) => void navigations.push(url),
    replaceUrl: () => {},
    crossTab: false,
  });
  return { login, navigations };
}

/** Signs demo in through the real pages with `agent`, and completes the login. */
async function signIn(login: OpenIdLogin, navigations: string[], agent: Agent) {
  await login.login();
  const authorizationUrl = navigations.at(-1) ?? '';
  const redirect = await authorizeThroughPages(agent, authorizationUrl, { login: 'demo', password: 'demo' });
  const result = await login.handleRedirectCallback(redirect.href);
  return { authorizationUrl: new URL(authorizationUrl), tokens: result.tokens };
}

describe('createOpenIdLogin against the server', () => {
  test('sends a nonce, checks the ID token, and knows who signed in', async () => {
    const { login, navigations } = openIdLogin();
    expect(await login.isAuthenticated()).toBe(false);
    const { authorizationUrl, tokens } = await signIn(login, navigations, createAgent(server.url));
    expect(authorizationUrl.searchParams.get('nonce')).toMatch(/^[\w-]{22,}$/);
    expect(tokens.scope).toBe('matomo:read openid profile email');
    expect(tokens.id_token).toMatch(/^eyJ/);
    expect(await login.isAuthenticated()).toBe(true);
    expect(await login.getUser()).toMatchObject({
      iss: server.issuer,
      sub: 'demo',
      aud: 'matomo_demo_spa',
      nonce: authorizationUrl.searchParams.get('nonce'),
    });
    expect(await login.getUserInfo()).toEqual({
      sub: 'demo',
      preferred_username: 'demo',
      name: 'demo',
      email: 'demo@example.org',
      email_verified: false,
    });
    login.close();
  });

  test('isAuthenticated(): an expired token with a refresh token still counts, without a request', async () => {
    const { login, navigations } = openIdLogin();
    await signIn(login, navigations, createAgent(server.url));
    const stored = await login.tokens.getTokens();
    expect(stored?.refresh_token).toBeTruthy();
    const { refresh_token: _, ...withoutRefresh } = stored as NonNullable<typeof stored>;
    // Expired an hour ago: still refreshable. isAuthenticated() sends nothing (the server counts).
    const hourAgo = Date.now() - 3_600_000;
    await login.tokens.setTokens({
      ...(stored as NonNullable<typeof stored>),
      obtained_at: hourAgo - 3_600_000,
      expires_at: hourAgo,
    });
    const issued = await tokenRequests();
    expect(await login.isAuthenticated()).toBe(true);
    expect(await tokenRequests()).toBe(issued);
    // A refresh keeps the user known, with a new ID token of the same sub.
    const refreshed = await login.tokens.refresh();
    expect(refreshed.id_token).toMatch(/^eyJ/);
    expect(refreshed.id_token).not.toBe(stored?.id_token);
    expect((await login.getUser()).sub).toBe('demo');
    // Expired and without a refresh token: not authenticated.
    await login.tokens.setTokens({
      ...withoutRefresh,
      obtained_at: hourAgo - 3_600_000,
      expires_at: hourAgo,
    });
    expect(await login.isAuthenticated()).toBe(false);
    login.close();
  });

  test('getUser() without an ID token asks UserInfo; a token without openid is refused there', async () => {
    const { login, navigations } = openIdLogin('matomo:read');
    await signIn(login, navigations, createAgent(server.url));
    expect((await login.tokens.getTokens())?.id_token).toBeUndefined();
    await expect(login.getUser()).rejects.toMatchObject({ error: 'insufficient_scope' });
    login.close();
  });

  test('prompt=none without a session comes back as ERR_INTERACTION_REQUIRED', async () => {
    const { login, navigations } = openIdLogin();
    await login.login({ prompt: 'none' });
    const url = new URL(navigations.at(-1) ?? '');
    expect(url.searchParams.get('prompt')).toBe('none');
    const response = await createAgent(server.url).get(url.href);
    expect(response.status).toBe(302);
    await expect(login.handleRedirectCallback(response.headers.get('Location') ?? '')).rejects.toMatchObject({
      code: 'ERR_INTERACTION_REQUIRED',
      error: 'login_required',
    });
    login.close();
  });

  test('login({ prompt, maxAge, loginHint }) puts them in the request; the server asks for the password again', async () => {
    const agent = createAgent(server.url);
    const first = openIdLogin();
    await signIn(first.login, first.navigations, agent);
    const { login, navigations } = openIdLogin();
    await login.login({ prompt: 'login', maxAge: 0, loginHint: 'demo' });
    const url = new URL(navigations.at(-1) ?? '');
    expect([
      url.searchParams.get('prompt'),
      url.searchParams.get('max_age'),
      url.searchParams.get('login_hint'),
    ]).toEqual(['login', '0', 'demo']);
    const page = await agent.get(url.href);
    const html = await page.text();
    expect(html).toContain('action="/login"');
    expect(html).toContain('value="demo"');
    first.login.close();
    login.close();
  });

  test('logout({ endSession: true }) revokes, forgets, and ends the server session', async () => {
    const agent = createAgent(server.url);
    const { login, navigations } = openIdLogin();
    const { tokens } = await signIn(login, navigations, agent);
    await login.logout({ endSession: true, postLogoutRedirectUri, state: 'bye' });
    expect(await login.isAuthenticated()).toBe(false);
    // The refresh token was revoked.
    const refreshed = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
        client_id: 'matomo_demo_spa',
      }),
    });
    expect(refreshed.status).toBe(400);
    // The browser goes to the end-session endpoint with the hint, and back to the app.
    const endSession = new URL(navigations.at(-1) ?? '');
    expect(endSession.origin + endSession.pathname).toBe(`${server.url}/oauth2/logout`);
    expect(endSession.searchParams.get('id_token_hint')).toBe(tokens.id_token);
    expect(endSession.searchParams.get('client_id')).toBe('matomo_demo_spa');
    const response = await agent.get(endSession.href);
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`${postLogoutRedirectUri}?state=bye`);
    // The next sign-in asks for the password.
    const next = openIdLogin();
    await next.login.login();
    expect(await (await agent.get(next.navigations.at(-1) ?? '')).text()).toContain('action="/login"');
    login.close();
    next.login.close();
  });

  test('logout() without endSession leaves the server session alone', async () => {
    const agent = createAgent(server.url);
    const { login, navigations } = openIdLogin();
    await signIn(login, navigations, agent);
    const count = navigations.length;
    await login.logout();
    expect(navigations.length).toBe(count);
    expect(await login.isAuthenticated()).toBe(false);
    const next = openIdLogin();
    await next.login.login();
    const page = await agent.get(next.navigations.at(-1) ?? '');
    expect(await page.text()).not.toContain('action="/login"');
    login.close();
    next.login.close();
  });

  test('an ID token with another nonce is refused (ERR_INVALID_ID_TOKEN) and nothing is stored', async () => {
    const { login, navigations } = openIdLogin();
    await login.login();
    // The request as sent, but with the nonce replaced on the way (PKCE and state untouched).
    const tampered = new URL(navigations.at(-1) ?? '');
    tampered.searchParams.set('nonce', 'injected-by-someone-else');
    const redirect = await authorizeThroughPages(createAgent(server.url), tampered.href, {
      login: 'demo',
      password: 'demo',
    });
    const error = await login.handleRedirectCallback(redirect.href).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ID_TOKEN', claim: 'nonce' });
    expect(await login.tokens.getTokens()).toBeUndefined();
    expect(await login.isAuthenticated()).toBe(false);
    login.close();
  });
});
