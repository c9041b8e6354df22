// OpenID Connect over real HTTP: ID tokens and their nonce, UserInfo per scope, the discovery
// documents, remembered consent, prompt and max_age, RP-initiated logout.
import { createHash } from 'node:crypto';
import {
  type Agent,
  authorizeThroughPages,
  createAgent,
  decodeEntities,
  postToken,
  readForm,
  rfcChallenge,
  rfcVerifier,
} from '@matomo-oauth2/testing';
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as clients from '../src/clients/client.repository';
import { registerClient } from '../src/clients/client-registration';
import { hashPassword } from '../src/crypto/password';
import * as users from '../src/users/user.repository';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // A public client on an https redirect URI (its consent may be remembered), and a client that
  // is not registered for OpenID Connect.
  await registerClient(
    server.db,
    {
      clientId: 'https_spa',
      name: 'HTTPS SPA',
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'matomo:read',
      redirectUris: ['https://spa.example/cb'],
      ownerLogin: 'admin',
    },
    server.clock(),
  );
  await registerClient(
    server.db,
    {
      clientId: 'plain_app',
      name: 'Plain app',
      secret: 'plain-secret-0123456789',
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'matomo:read',
      redirectUris: ['https://plain.example/cb'],
      ownerLogin: 'admin',
    },
    server.clock(),
  );
  // A public client on https://localhost: still this machine, so always asked.
  await registerClient(
    server.db,
    {
      clientId: 'localhost_https_spa',
      name: 'Local HTTPS SPA',
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'matomo:read',
      redirectUris: ['https://localhost:8443/cb'],
      ownerLogin: 'admin',
    },
    server.clock(),
  );
  const httpsSpa = await clients.find(server.db, 'https_spa');
  if (httpsSpa) await clients.update(server.db, { ...httpsSpa, identityScopes: ['openid'] });
});
afterAll(() => server.stop());

const app = {
  clientId: 'analytics_app',
  secret: '7fa9c0f81b8b4a12',
  redirectUri: 'https://example-app.com/oauth/callback',
  postLogout: 'https://example-app.com/',
};
const spa = { clientId: 'matomo_demo_spa', redirectUri: 'http://127.0.0.1:8123/callback' };

let userCount = 0;
/** A new user with view access to the first demo site, signed in nowhere yet. */
async function newUser(): Promise<{ login: string; password: string; agent: Agent }> {
  const login = `oidc${++userCount}`;
  const password = `${login}-password`;
  await users.insert(server.db, {
    login,
    email: `${login}@example.org`,
    password_hash: await hashPassword(password),
    superuser: 0,
    created_at: server.clock(),
  });
  await users.setSiteAccess(server.db, login, 1, 'view');
  return { login, password, agent: createAgent(server.url) };
}
type User = Awaited<ReturnType<typeof newUser>>;

function authorizePath(params: Record<string, string>, clientId = app.clientId): string {
  const redirectUri =
    clientId === app.clientId ? app.redirectUri : clientId === spa.clientId ? spa.redirectUri : '';
  // (The other clients have a single redirect URI, which may be left out.)
  return `/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    ...(redirectUri ? { redirect_uri: redirectUri } : {}),
    state: 'st-1',
    code_challenge: rfcChallenge,
    code_challenge_method: 'S256',
    ...params,
  })}`;
}

async function signIn(user: User): Promise<void> {
  const page = await user.agent.get('/login');
  const form = readForm(await page.text(), 'password');
  const response = await user.agent.postForm('/login', {
    ...form.fields,
    login: user.login,
    password: user.password,
  });
  expect(response.status).toBe(303);
}

async function redeem(location: URL, clientId = app.clientId) {
  const result = await postToken(server.url, {
    grant_type: 'authorization_code',
    code: location.searchParams.get('code') ?? '',
    code_verifier: rfcVerifier,
    ...(clientId === app.clientId
      ? { client_id: app.clientId, client_secret: app.secret, redirect_uri: app.redirectUri }
      : clientId === spa.clientId
        ? { client_id: spa.clientId, redirect_uri: spa.redirectUri }
        : { client_id: clientId }),
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body as {
    access_token: string;
    refresh_token: string;
    id_token?: string;
    scope: string;
  };
}

async function tokensFor(user: User, params: Record<string, string>, clientId = app.clientId) {
  const location = await authorizeThroughPages(user.agent, authorizePath(params, clientId), {
    login: user.login,
    password: user.password,
  });
  return redeem(location, clientId);
}

async function verifyIdToken(token: string, audience = app.clientId): Promise<JWTPayload> {
  const jwks = (await (await fetch(`${server.url}/oauth2/jwks`)).json()) as JSONWebKeySet;
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: server.url,
    audience,
    algorithms: ['RS256'],
    currentDate: new Date(server.clock()),
  });
  expect(protectedHeader.typ).toBe('JWT');
  return payload;
}

function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

async function userinfo(accessToken: string | undefined, init: RequestInit = {}) {
  const response = await fetch(`${server.url}/oauth2/userinfo`, {
    ...init,
    headers: {
      ...(accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` }),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  return {
    status: response.status,
    challenge: response.headers.get('WWW-Authenticate'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('discovery', () => {
  test('openid-configuration is the RFC 8414 document plus the OpenID Connect fields', async () => {
    const oauth = (await (
      await fetch(`${server.url}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    const openid = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
    expect(openid).toEqual({
      ...oauth,
      userinfo_endpoint: `${server.url}/oauth2/userinfo`,
      end_session_endpoint: `${server.url}/oauth2/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      claims_supported: expect.arrayContaining(['sub', 'auth_time', 'nonce', 'sid', 'email']),
      prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
    expect(oauth.scopes_supported).toEqual([
      'matomo:read',
      'matomo:write',
      'matomo:admin',
      'matomo:superuser',
      'openid',
      'profile',
      'email',
    ]);
  });
});

describe('ID tokens', () => {
  test('the code grant returns one with iss, sub, aud, exp, iat, auth_time, nonce, sid and at_hash', async () => {
    const user = await newUser();
    const tokens = await tokensFor(user, { scope: 'openid profile matomo:read', nonce: 'n-0S6_WzA2Mj' });
    expect(tokens.scope).toBe('matomo:read openid profile');
    const claims = await verifyIdToken(tokens.id_token ?? '');
    const now = Math.floor(server.clock() / 1000);
    expect(claims).toEqual({
      iss: server.url,
      sub: user.login,
      aud: app.clientId,
      iat: now,
      exp: now + 3600,
      auth_time: expect.any(Number),
      nonce: 'n-0S6_WzA2Mj',
      sid: expect.stringMatching(/^[0-9a-f]{32}$/),
      at_hash: atHash(tokens.access_token),
    });
    expect(claims.auth_time).toBeLessThanOrEqual(now);
    // The access token carries the identity scopes too.
    expect(decodeJwt(tokens.access_token).scope).toBe('matomo:read openid profile');
  });

  test('a refresh returns a new one: same sub, aud, auth_time and sid, no nonce', async () => {
    const user = await newUser();
    const first = await tokensFor(user, { scope: 'openid matomo:read', nonce: 'abc' });
    const before = await verifyIdToken(first.id_token ?? '');
    server.clock.advance(60_000);
    const refreshed = await postToken(server.url, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: app.clientId,
      client_secret: app.secret,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe('matomo:read openid');
    const after = await verifyIdToken(String(refreshed.body.id_token));
    expect(after.nonce).toBeUndefined();
    expect(after.iat).toBe((before.iat ?? 0) + 60);
    expect({ sub: after.sub, aud: after.aud, auth_time: after.auth_time, sid: after.sid }).toEqual({
      sub: before.sub,
      aud: before.aud,
      auth_time: before.auth_time,
      sid: before.sid,
    });
    expect(after.at_hash).toBe(atHash(String(refreshed.body.access_token)));
    // Narrowed to the Matomo scope alone: no ID token.
    const narrowed = await postToken(server.url, {
      grant_type: 'refresh_token',
      refresh_token: String(refreshed.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.secret,
      scope: 'matomo:read',
    });
    expect(narrowed.body).not.toHaveProperty('id_token');
    expect(narrowed.body.scope).toBe('matomo:read');
    // Never wider than granted.
    const widened = await postToken(server.url, {
      grant_type: 'refresh_token',
      refresh_token: String(narrowed.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.secret,
      scope: 'matomo:read openid email',
    });
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe('invalid_scope');
    const profileOnly = await postToken(server.url, {
      grant_type: 'refresh_token',
      refresh_token: String(narrowed.body.refresh_token),
      client_id: app.clientId,
      client_secret: app.secret,
      scope: 'matomo:read profile',
    });
    expect(profileOnly.body.error).toBe('invalid_scope');
  });

  test('without openid nothing changes: no ID token, the scope alone', async () => {
    const user = await newUser();
    const tokens = await tokensFor(user, { scope: 'matomo:read' });
    expect(tokens).not.toHaveProperty('id_token');
    expect(tokens.scope).toBe('matomo:read');
    expect(decodeJwt(tokens.access_token).scope).toBe('matomo:read');
  });

  test('client credentials never return one', async () => {
    const result = await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: 'plain_app',
      client_secret: 'plain-secret-0123456789',
    });
    expect(result.status).toBe(200);
    expect(result.body).not.toHaveProperty('id_token');
    expect(result.body.scope).toBe('matomo:read');
  });

  test.each([
    [
      'a client not registered for openid',
      'plain_app',
      'openid matomo:read',
      'not registered for the openid',
    ],
    ['profile without openid', app.clientId, 'profile matomo:read', 'need the openid scope'],
    ['openid without a Matomo scope', app.clientId, 'openid', 'must ask for a Matomo scope'],
  ])('%s: invalid_scope back to the client', async (_, clientId, scope, description) => {
    const user = await newUser();
    await signIn(user);
    const redirectUri = clientId === 'plain_app' ? 'https://plain.example/cb' : app.redirectUri;
    const response = await user.agent.get(authorizePath({ scope, redirect_uri: redirectUri }, clientId));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('error_description')).toContain(description);
    expect(location.searchParams.get('state')).toBe('st-1');
  });
});

describe('UserInfo', () => {
  test.each([
    ['openid', {}],
    ['openid profile', { preferred_username: 'LOGIN', name: 'LOGIN' }],
    ['openid email', { email: 'LOGIN@example.org', email_verified: false }],
    [
      'openid profile email',
      { preferred_username: 'LOGIN', name: 'LOGIN', email: 'LOGIN@example.org', email_verified: false },
    ],
  ])('%s: the claims of those scopes only', async (identity, extra) => {
    const user = await newUser();
    const tokens = await tokensFor(user, { scope: `matomo:read ${identity}` });
    const expected = JSON.parse(
      JSON.stringify({ sub: user.login, ...extra }).replaceAll('LOGIN', user.login),
    );
    const byGet = await userinfo(tokens.access_token);
    expect(byGet).toEqual({ status: 200, challenge: null, body: expected });
    const byPost = await userinfo(undefined, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    expect(byPost.body).toEqual(expected);
  });

  test('RFC 6750 errors: no token, a bad token, no openid, a revoked token, a token in the URL', async () => {
    const none = await userinfo(undefined);
    expect(none.status).toBe(401);
    expect(none.challenge).toBe('Bearer realm="matomo-oauth2"');

    const bad = await userinfo('not.a.token');
    expect(bad.status).toBe(401);
    expect(bad.challenge).toContain('error="invalid_token"');
    expect(bad.body.error).toBe('invalid_token');

    const user = await newUser();
    const plain = await tokensFor(user, { scope: 'matomo:read' });
    const noOpenid = await userinfo(plain.access_token);
    expect(noOpenid.status).toBe(403);
    expect(noOpenid.challenge).toContain('error="insufficient_scope", scope="openid"');

    const oidc = await tokensFor(user, { scope: 'matomo:read openid', prompt: 'consent' });
    const revoked = await postToken(
      server.url,
      { token: oidc.refresh_token, client_id: app.clientId, client_secret: app.secret },
      { path: '/oauth2/revoke' },
    );
    expect(revoked.status).toBe(200);
    expect((await userinfo(oidc.access_token)).status).toBe(401);

    const inUrl = await fetch(`${server.url}/oauth2/userinfo?access_token=${plain.access_token}`);
    expect(inUrl.status).toBe(400);
    const twoWays = await userinfo(plain.access_token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: plain.access_token }).toString(),
    });
    expect(twoWays.status).toBe(400);
  });

  test('a client credentials token is no user’s: insufficient_scope', async () => {
    const result = await postToken(server.url, {
      grant_type: 'client_credentials',
      client_id: 'plain_app',
      client_secret: 'plain-secret-0123456789',
    });
    expect((await userinfo(String(result.body.access_token))).status).toBe(403);
  });
});

describe('remembered consent', () => {
  test('a confidential client is not asked again while its grant lives; prompt=consent asks', async () => {
    const user = await newUser();
    await tokensFor(user, { scope: 'matomo:read openid' });
    const again = await user.agent.get(authorizePath({ scope: 'openid matomo:read' }));
    expect(again.status).toBe(302);
    const location = new URL(again.headers.get('Location') ?? '');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('iss')).toBe(server.url);
    expect(location.searchParams.get('state')).toBe('st-1');
    const tokens = await redeem(location);
    expect(tokens.scope).toBe('matomo:read openid');

    // More than was granted (email) is asked again.
    expect((await user.agent.get(authorizePath({ scope: 'openid email matomo:read' }))).status).toBe(200);
    // prompt=consent always asks.
    expect((await user.agent.get(authorizePath({ scope: 'matomo:read', prompt: 'consent' }))).status).toBe(
      200,
    );
  });

  test('revoked on /account, the consent is forgotten', async () => {
    const user = await newUser();
    await tokensFor(user, { scope: 'matomo:read openid email' });
    const account = await (await user.agent.get('/account')).text();
    // The page says what the application may know about the user, too.
    expect(decodeEntities(account)).toContain(
      'Also: Know who you are: your Matomo login. See your email address.',
    );
    const form = readForm(account, `name="client_id" value="${app.clientId}"`);
    expect((await user.agent.postForm(form.action, form.fields)).status).toBe(303);
    const again = await user.agent.get(authorizePath({ scope: 'matomo:read openid email' }));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('is requesting access');
  });

  test('a public client on a loopback redirect URI is always asked; on https it is remembered', async () => {
    const user = await newUser();
    await tokensFor(user, { scope: 'matomo:read' }, spa.clientId);
    const loopback = await user.agent.get(authorizePath({ scope: 'matomo:read' }, spa.clientId));
    expect(loopback.status).toBe(200);
    const none = await user.agent.get(authorizePath({ scope: 'matomo:read', prompt: 'none' }, spa.clientId));
    expect(new URL(none.headers.get('Location') ?? '').searchParams.get('error')).toBe('consent_required');

    await tokensFor(user, { scope: 'matomo:read' }, 'localhost_https_spa');
    const local = await user.agent.get(authorizePath({ scope: 'matomo:read' }, 'localhost_https_spa'));
    expect(local.status).toBe(200);

    await tokensFor(user, { scope: 'matomo:read openid' }, 'https_spa');
    const https = await user.agent.get(authorizePath({ scope: 'matomo:read openid' }, 'https_spa'));
    expect(https.status).toBe(302);
    expect(new URL(https.headers.get('Location') ?? '').searchParams.has('code')).toBe(true);
  });
});

describe('prompt and max_age', () => {
  const errorOf = (response: Response) => {
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location') ?? '');
    expect(location.origin + location.pathname).toBe(app.redirectUri);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('iss')).toBe(server.url);
    return location.searchParams.get('error');
  };

  test('prompt=none: login_required, then consent_required, then a code', async () => {
    const user = await newUser();
    expect(errorOf(await user.agent.get(authorizePath({ scope: 'matomo:read', prompt: 'none' })))).toBe(
      'login_required',
    );
    await signIn(user);
    expect(errorOf(await user.agent.get(authorizePath({ scope: 'matomo:read', prompt: 'none' })))).toBe(
      'consent_required',
    );
    await tokensFor(user, { scope: 'matomo:read' });
    const silent = await user.agent.get(authorizePath({ scope: 'matomo:read', prompt: 'none' }));
    expect(silent.status).toBe(302);
    expect(new URL(silent.headers.get('Location') ?? '').searchParams.has('code')).toBe(true);
  });

  test('prompt=none for a user who holds none of the scopes: interaction_required', async () => {
    const user = await newUser();
    await server.db.deleteFrom('site_access').where('login', '=', user.login).execute();
    await signIn(user);
    expect(errorOf(await user.agent.get(authorizePath({ scope: 'matomo:read', prompt: 'none' })))).toBe(
      'interaction_required',
    );
  });

  test.each(['none login', 'consent none', 'create', 'login bogus'])(
    'prompt=%s: invalid_request',
    async (prompt) => {
      const user = await newUser();
      expect(errorOf(await user.agent.get(authorizePath({ scope: 'matomo:read', prompt })))).toBe(
        'invalid_request',
      );
    },
  );

  test('prompt=login asks for the password with a live session, then goes on; login_hint fills the login', async () => {
    const user = await newUser();
    await tokensFor(user, { scope: 'matomo:read openid' });
    const first = await verifyIdToken(
      (await tokensFor(user, { scope: 'matomo:read openid' })).id_token ?? '',
    );
    server.clock.advance(120_000);
    const page = await user.agent.get(
      authorizePath({ scope: 'matomo:read openid', prompt: 'login', login_hint: user.login }),
    );
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('action="/login"');
    expect(html).toContain(`value="${user.login}"`);
    const form = readForm(html, 'password');
    expect(decodeEntities(form.fields.return_to ?? '')).not.toContain('prompt');
    const signedIn = await user.agent.postForm('/login', {
      ...form.fields,
      login: user.login,
      password: user.password,
    });
    expect(signedIn.status).toBe(303);
    const back = await user.agent.get(signedIn.headers.get('Location') ?? '');
    // Consent is remembered: the code comes at once, from a new sign-in.
    expect(back.status).toBe(302);
    const claims = await verifyIdToken(
      (await redeem(new URL(back.headers.get('Location') ?? ''))).id_token ?? '',
    );
    expect(claims.auth_time).toBe(Number(first.auth_time) + 120);
    expect(claims.sid).not.toBe(first.sid);
  });

  test('max_age=0 asks for the password every time, as prompt=login does', async () => {
    const user = await newUser();
    await tokensFor(user, { scope: 'matomo:read' });
    const page = await user.agent.get(authorizePath({ scope: 'matomo:read', max_age: '0' }));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/login"');
  });

  test('a consent decision posted with prompt=login or a too old sign-in is refused, never taken without the password', async () => {
    const user = await newUser();
    await signIn(user);
    const consent = await user.agent.get(authorizePath({ scope: 'matomo:read' }));
    const form = readForm(await consent.text(), 'decision');
    for (const params of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      const decided = await user.agent.postForm(authorizePath({ scope: 'matomo:read', ...params }), {
        csrf_token: form.fields.csrf_token ?? '',
        decision: 'allow',
        selected_scope: 'matomo:read',
      });
      expect(decided.status).toBe(403);
      expect(decided.headers.get('Location')).toBeNull();
    }
    // The same decision without them goes through.
    const decided = await user.agent.postForm(authorizePath({ scope: 'matomo:read' }), {
      csrf_token: form.fields.csrf_token ?? '',
      decision: 'allow',
      selected_scope: 'matomo:read',
    });
    expect(decided.status).toBe(303);
  });

  test.each([
    ['request', 'eyJhbGciOiJub25lIn0.e30.', 'request_not_supported'],
    ['request_uri', 'https://app.example/request.jwt', 'request_uri_not_supported'],
  ])('%s is refused with %s, not ignored', async (name, value, error) => {
    const user = await newUser();
    expect(errorOf(await user.agent.get(authorizePath({ scope: 'matomo:read', [name]: value })))).toBe(error);
  });

  test('max_age: an older sign-in asks for the password again; a recent one does not', async () => {
    const user = await newUser();
    await tokensFor(user, { scope: 'matomo:read' });
    server.clock.advance(600_000);
    const recent = await user.agent.get(authorizePath({ scope: 'matomo:read', max_age: '3600' }));
    expect(recent.status).toBe(302);
    const old = await user.agent.get(authorizePath({ scope: 'matomo:read', max_age: '300' }));
    expect(old.status).toBe(200);
    expect(await old.text()).toContain('action="/login"');
    expect(
      errorOf(await user.agent.get(authorizePath({ scope: 'matomo:read', max_age: '300', prompt: 'none' }))),
    ).toBe('login_required');
    expect(errorOf(await user.agent.get(authorizePath({ scope: 'matomo:read', max_age: 'soon' })))).toBe(
      'invalid_request',
    );
  });
});

describe('RP-initiated logout', () => {
  async function signedInWithIdToken() {
    const user = await newUser();
    const tokens = await tokensFor(user, { scope: 'matomo:read openid' });
    return { user, idToken: tokens.id_token ?? '' };
  }

  /** Whether the user's session still lives: the authorization endpoint shows the sign-in page once it has ended. */
  async function signedIn(user: User): Promise<boolean> {
    const page = await user.agent.get(authorizePath({ scope: 'matomo:read', prompt: 'consent' }));
    return !(await page.text()).includes('action="/login"');
  }

  function logoutPath(params: Record<string, string>): string {
    return `/oauth2/logout?${new URLSearchParams(params)}`;
  }

  test('with a valid id_token_hint: the session ends and the browser goes back with state', async () => {
    const { user, idToken } = await signedInWithIdToken();
    const response = await user.agent.get(
      logoutPath({ id_token_hint: idToken, post_logout_redirect_uri: app.postLogout, state: 'bye' }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`${app.postLogout}?state=bye`);
    expect(await signedIn(user)).toBe(false);
  });

  test('an expired hint is still a hint', async () => {
    const { user, idToken } = await signedInWithIdToken();
    server.clock.advance(2 * 3600_000);
    const response = await user.agent.get(
      logoutPath({ id_token_hint: idToken, post_logout_redirect_uri: app.postLogout }),
    );
    expect(response.status).toBe(302);
    expect(await signedIn(user)).toBe(false);
  });

  test('without a hint the user is asked; "Stay signed in" keeps the session, "Sign out" ends it', async () => {
    const { user } = await signedInWithIdToken();
    const path = logoutPath({
      client_id: app.clientId,
      post_logout_redirect_uri: app.postLogout,
      state: 's',
    });
    const page = await user.agent.get(path);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Sign out of Matomo?');
    expect(await signedIn(user)).toBe(true);

    const form = readForm(html, 'confirm');
    const stay = await user.agent.postForm('/oauth2/logout', { ...form.fields, confirm: 'no' });
    expect(stay.status).toBe(303);
    expect(stay.headers.get('Location')).toBe(`${app.postLogout}?state=s`);
    expect(await signedIn(user)).toBe(true);

    const leave = await user.agent.postForm('/oauth2/logout', { ...form.fields, confirm: 'yes' });
    expect(leave.status).toBe(303);
    expect(leave.headers.get('Location')).toBe(`${app.postLogout}?state=s`);
    expect(await signedIn(user)).toBe(false);
  });

  test('a forged confirmation (no anti-CSRF token) signs nobody out', async () => {
    const { user } = await signedInWithIdToken();
    const forged = await user.agent.postForm('/oauth2/logout', { confirm: 'yes' });
    expect(forged.status).toBe(403);
    expect(await signedIn(user)).toBe(true);
  });

  test('an ID token of an earlier sign-in is no hint for a later one: the user is asked', async () => {
    const { user, idToken } = await signedInWithIdToken();
    // That sign-in ends (the hint is its own), and a new one starts.
    const ended = await user.agent.get(logoutPath({ id_token_hint: idToken }));
    expect(await ended.text()).toContain('You are signed out');
    expect(await signedIn(user)).toBe(false);
    await signIn(user);
    const page = await user.agent.get(
      logoutPath({ id_token_hint: idToken, post_logout_redirect_uri: app.postLogout }),
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign out of Matomo?');
    expect(await signedIn(user)).toBe(true);
  });

  test('a POST without the session cookie (a form of another site) goes on as a GET, never “signed out” unseen', async () => {
    const { user, idToken } = await signedInWithIdToken();
    const form = { id_token_hint: idToken, post_logout_redirect_uri: app.postLogout, state: 'x' };
    const posted = await createAgent(server.url).postForm('/oauth2/logout', form);
    expect(posted.status).toBe(303);
    const location = posted.headers.get('Location') ?? '';
    expect(location).toBe(`/oauth2/logout?${new URLSearchParams(form)}`);
    // The browser follows it with its cookie: the session ends.
    const followed = await user.agent.get(location);
    expect(followed.status).toBe(302);
    expect(followed.headers.get('Location')).toBe(`${app.postLogout}?state=x`);
    expect(await signedIn(user)).toBe(false);
  });

  test('an invalid hint, or one for another user, is no hint: the user is asked', async () => {
    const { user } = await signedInWithIdToken();
    const other = await signedInWithIdToken();
    for (const hint of ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', other.idToken]) {
      const page = await user.agent.get(logoutPath({ id_token_hint: hint }));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Sign out of Matomo?');
    }
    expect(await signedIn(user)).toBe(true);
  });

  test('an unregistered post_logout_redirect_uri is never followed', async () => {
    const { user, idToken } = await signedInWithIdToken();
    const response = await user.agent.get(
      logoutPath({ id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Location')).toBeNull();
    expect(await response.text()).toContain('not registered');
    expect(await signedIn(user)).toBe(false);
  });

  test('a hint for another client than client_id: refused', async () => {
    const { user, idToken } = await signedInWithIdToken();
    const response = await user.agent.get(logoutPath({ id_token_hint: idToken, client_id: spa.clientId }));
    expect(response.status).toBe(400);
    expect(await signedIn(user)).toBe(true);
  });

  test('"Also sign out of all applications" on the confirmation revokes every grant', async () => {
    const user = await newUser();
    const tokens = await tokensFor(user, { scope: 'matomo:read' });
    const page = await user.agent.get(logoutPath({}));
    const form = readForm(await page.text(), 'confirm');
    const response = await user.agent.postForm('/oauth2/logout', {
      ...form.fields,
      confirm: 'yes',
      everywhere: '1',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You are signed out');
    const refreshed = await postToken(server.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: app.clientId,
      client_secret: app.secret,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  test('nobody signed in: straight back to the client', async () => {
    const agent = createAgent(server.url);
    const response = await agent.get(
      logoutPath({ client_id: app.clientId, post_logout_redirect_uri: app.postLogout }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(app.postLogout);
  });
});
