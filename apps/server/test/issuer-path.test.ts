// An ISSUER with a path (`http://127.0.0.1/auth`), over real HTTP: the server is reached as a
// reverse proxy that forwards `/auth/...` unchanged would reach it.
import {
  type Agent,
  createAgent,
  decodeEntities,
  readForm,
  rfcChallenge,
  rfcVerifier,
} from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminPassword, startTestServer, type TestServer } from './test-server';

const issuer = 'http://127.0.0.1/auth';
const redirectUri = 'https://example-app.com/oauth/callback';
const client = { id: 'analytics_app', secret: '7fa9c0f81b8b4a12' };

let server: TestServer;
/** Every `Set-Cookie` line the server sent in this file. */
const cookieLines: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ issuer });
});
afterAll(() => server.stop());

/** An agent that records every cookie the server sets. */
function browser(): Agent {
  const agent = createAgent(server.url);
  const record = async (response: Promise<Response>) => {
    const answer = await response;
    cookieLines.push(...answer.headers.getSetCookie());
    return answer;
  };
  return {
    cookies: agent.cookies,
    get: (path, headers) => record(agent.get(path, headers)),
    postForm: (path, form, headers) => record(agent.postForm(path, form, headers)),
  };
}

function authorizePath(params: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: redirectUri,
    scope: 'matomo:read',
    state: 'xyz',
    code_challenge: rfcChallenge,
    code_challenge_method: 'S256',
    ...params,
  });
  return `/auth/oauth2/authorize?${query}`;
}

/** Every `href` and form `action` of a page, as the browser reads them. */
function targets(html: string): string[] {
  return [...html.matchAll(/\s(?:href|action)="([^"]*)"/g)].map((match) => decodeEntities(match[1] ?? ''));
}

async function signIn(agent: Agent, login: string, password: string, returnTo?: string): Promise<Response> {
  const page = await agent.get(`/auth/login${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`);
  expect(page.status).toBe(200);
  const form = readForm(await page.text(), 'password');
  expect(form.action).toBe('/auth/login');
  const response = await agent.postForm(form.action, { ...form.fields, login, password });
  expect(response.status).toBe(303);
  return response;
}

async function tokenRequest(path: string, form: Record<string, string>) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Signs in as `demo` and allows `analytics_app`, through the pages: the client's callback URL. */
async function authorizeAsDemo(agent: Agent): Promise<URL> {
  // prompt=consent: the consent page even when an earlier test's consent is remembered.
  const signInPage = await agent.get(authorizePath({ prompt: 'consent' }));
  expect(signInPage.status).toBe(200);
  const login = readForm(await signInPage.text(), 'password');
  expect(login.action).toBe('/auth/login');
  // Where the sign-in returns to is kept relative to the issuer path, and sent back under it.
  expect(login.fields.return_to).toMatch(/^\/oauth2\/authorize\?/);
  const signedIn = await agent.postForm(login.action, { ...login.fields, login: 'demo', password: 'demo' });
  expect(signedIn.status).toBe(303);
  const back = signedIn.headers.get('Location') ?? '';
  expect(back).toMatch(/^\/auth\/oauth2\/authorize\?/);

  const consentPage = await agent.get(back);
  const html = await consentPage.text();
  expect(consentPage.status, html).toBe(200);
  const consent = readForm(html, 'decision');
  expect(consent.action).toMatch(/^\/auth\/oauth2\/authorize\?/);
  const decided = await agent.postForm(consent.action, {
    csrf_token: consent.fields.csrf_token ?? '',
    decision: 'allow',
    selected_scope: consent.fields.selected_scope ?? 'matomo:read',
  });
  expect(decided.status).toBe(303);
  return new URL(decided.headers.get('Location') ?? '');
}

describe('the authorization code flow with PKCE runs under the issuer path', () => {
  test('sign-in page, consent, redirect with the code, token exchange', async () => {
    const callback = await authorizeAsDemo(browser());
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get('iss')).toBe(issuer);
    expect(callback.searchParams.get('state')).toBe('xyz');
    const code = callback.searchParams.get('code') ?? '';

    const token = await tokenRequest('/auth/oauth2/token', {
      grant_type: 'authorization_code',
      client_id: client.id,
      client_secret: client.secret,
      redirect_uri: redirectUri,
      code,
      code_verifier: rfcVerifier,
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    const version = await fetch(`${server.url}/auth/api/API.getMatomoVersion`, {
      headers: { Authorization: `Bearer ${token.body.access_token}` },
    });
    expect(version.status).toBe(200);
  });

  test('the index.php form of the authorization endpoint works under the issuer path too', async () => {
    const agent = browser();
    const page = await agent.get(
      authorizePath().replace('/auth/oauth2/authorize?', '/auth/index.php?module=OAuth2&action=authorize&'),
    );
    expect(page.status).toBe(200);
    const login = readForm(await page.text(), 'password');
    expect(login.fields.return_to).toMatch(/^\/index\.php\?module=OAuth2&action=authorize&/);
    const signedIn = await agent.postForm(login.action, { ...login.fields, login: 'demo', password: 'demo' });
    expect(signedIn.headers.get('Location')).toMatch(/^\/auth\/index\.php\?module=OAuth2&action=authorize&/);
  });
});

describe('every page links and posts under the issuer path', () => {
  let admin: Agent;
  beforeAll(async () => {
    admin = browser();
    await signIn(admin, 'admin', adminPassword);
  });

  test('sign-in, consent, account, sign-out and admin pages: every target starts with /auth/, and answers', async () => {
    const start = [
      '/auth/login',
      '/auth/account',
      authorizePath({ prompt: 'consent', code_challenge: rfcChallenge }),
      '/auth/oauth2/logout',
      '/auth/admin/clients',
      '/auth/admin/clients/new',
      `/auth/admin/clients/${client.id}`,
      '/auth/admin/users',
      '/auth/admin/users/new',
      '/auth/admin/users/demo',
      '/auth/admin/sites',
      '/auth/admin/sites/new',
      '/auth/admin/audit',
    ];
    // Visits the start pages and every GET link on them (one level), signed in as the super user.
    const seen = new Set<string>();
    // The sign-in form is for a signed-out visitor.
    const signInPage = await browser().get('/auth/login');
    const signInHtml = await signInPage.text();
    expect(targets(signInHtml)).toEqual(['/auth/login']);
    const queue = [...start];
    const posted = new Set<string>();
    for (let depth = 0; depth < 2; depth++) {
      const next: string[] = [];
      for (const path of queue.splice(0)) {
        if (seen.has(path)) continue;
        seen.add(path);
        const response = await admin.get(path);
        const html = await response.text();
        expect(response.status, `${path}: ${html.slice(0, 200)}`).toBe(200);
        const found = targets(html);
        for (const target of found) {
          expect(target, `a link or action on ${path}`).toMatch(/^\/auth\//);
        }
        for (const form of html.matchAll(/<form\b[^>]*method="post"[^>]*action="([^"]*)"/g))
          posted.add(decodeEntities(form[1] ?? ''));
        for (const link of html.matchAll(/<a\b[^>]*href="([^"]*)"/g))
          next.push(decodeEntities(link[1] ?? ''));
      }
      queue.push(...next);
    }
    // The pages were all reached, and held the forms of every kind of action.
    expect(seen.size).toBeGreaterThan(start.length + 10);
    for (const action of ['/auth/logout', '/auth/admin/clients', '/auth/admin/users', '/auth/admin/sites']) {
      expect(posted, action).toContain(action);
    }
    expect([...posted].some((action) => action.startsWith('/auth/oauth2/authorize?'))).toBe(true);
    expect(posted).toContain('/auth/oauth2/logout');
  });

  test('the account page of a user with a connected application, and its revoke form', async () => {
    const agent = browser();
    await authorizeAsDemo(agent);
    const page = await agent.get('/auth/account');
    const html = await page.text();
    expect(page.status).toBe(200);
    for (const target of targets(html)) expect(target).toMatch(/^\/auth\//);
    const revoke = readForm(html, 'client_id');
    expect(revoke.action).toBe('/auth/account/revoke');
    const revoked = await agent.postForm(revoke.action, revoke.fields);
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('Location')).toBe('/auth/account?revoked=1');
  });

  test('under an https issuer with a path: Secure, __Secure- prefixed (__Host- needs Path=/), Path=/auth', async () => {
    const secure = await startTestServer({ issuer: 'https://example.org/auth' });
    try {
      const page = await fetch(`${secure.url}/auth/login`);
      const [line = ''] = page.headers.getSetCookie();
      expect(line).toMatch(/^__Secure-mo_login_csrf=/);
      expect(line.toLowerCase()).toContain('; path=/auth;');
      expect(line.toLowerCase()).toContain('; secure');
    } finally {
      await secure.stop();
    }
  });

  test('the cookies are for the issuer path only', () => {
    expect(cookieLines.length).toBeGreaterThan(0);
    for (const line of cookieLines) expect(line.toLowerCase(), line).toContain('; path=/auth;');
  });
});

describe('redirects stay under the issuer path', () => {
  test.each([
    ['/auth/admin/clients', '/auth/login?return_to=%2Fadmin%2Fclients'],
    ['/auth/account', '/auth/login?return_to=%2Faccount'],
  ])('signed out, %s goes to %s', async (path, location) => {
    const response = await browser().get(path);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(location);
  });

  test('sign-in returns under the path; /admin, an admin form and sign-out redirect under it', async () => {
    const agent = browser();
    const signedIn = await signIn(agent, 'admin', adminPassword, '/admin/sites');
    expect(signedIn.headers.get('Location')).toBe('/auth/admin/sites');

    const index = await agent.get('/auth/admin');
    expect(index.headers.get('Location')).toBe('/auth/admin/clients');

    const form = readForm(await (await agent.get('/auth/admin/sites/new')).text(), 'timezone');
    expect(form.action).toBe('/auth/admin/sites');
    const added = await agent.postForm(form.action, {
      ...form.fields,
      name: 'Under a path',
      urls: 'https://path.example',
      timezone: 'UTC',
      currency: 'EUR',
    });
    expect(added.status, await added.text()).toBe(303);
    expect(added.headers.get('Location')).toMatch(/^\/auth\/admin\/sites\/\d+\?done=created$/);

    const signOut = readForm(await (await agent.get('/auth/login')).text(), 'csrf_token');
    expect(signOut.action).toBe('/auth/logout');
    const out = await agent.postForm(signOut.action, signOut.fields);
    expect(out.status).toBe(303);
    expect(out.headers.get('Location')).toBe('/auth/login');
  });

  test('a logout form posted without the session goes on to /auth/oauth2/logout', async () => {
    const response = await browser().postForm('/auth/oauth2/logout', { client_id: client.id });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toMatch(/^\/auth\/oauth2\/logout\?/);
  });
});

describe('the metadata is where RFC 8414 §3.1 and OpenID Connect Discovery §4 put it', () => {
  const endpointFields = [
    'authorization_endpoint',
    'token_endpoint',
    'revocation_endpoint',
    'introspection_endpoint',
    'jwks_uri',
  ];

  test('/.well-known/oauth-authorization-server/auth, at the host root, with every endpoint under /auth', async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-authorization-server/auth`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, string>;
    expect(metadata.issuer).toBe(issuer);
    for (const field of endpointFields)
      expect(metadata[field], field).toMatch(/^http:\/\/127\.0\.0\.1\/auth\//);
    // Each endpoint answers at its path, as the proxy forwards it.
    const jwks = await fetch(`${server.url}${new URL(metadata.jwks_uri ?? '').pathname}`);
    expect(jwks.status).toBe(200);
  });

  test('/auth/.well-known/openid-configuration, with every endpoint under /auth', async () => {
    const response = await fetch(`${server.url}/auth/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, string>;
    expect(metadata.issuer).toBe(issuer);
    for (const field of [...endpointFields, 'userinfo_endpoint', 'end_session_endpoint'])
      expect(metadata[field], field).toMatch(/^http:\/\/127\.0\.0\.1\/auth\//);
  });

  test('the appended form /auth/.well-known/oauth-authorization-server still answers, with the same document', async () => {
    const appended = await fetch(`${server.url}/auth/.well-known/oauth-authorization-server`);
    const inserted = await fetch(`${server.url}/.well-known/oauth-authorization-server/auth`);
    expect(appended.status).toBe(200);
    expect(await appended.json()).toEqual(await inserted.json());
  });
});

describe('outside the issuer path nothing answers', () => {
  test.each([
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
    '/.well-known/oauth-authorization-server/other',
    '/oauth2/authorize',
    '/oauth2/jwks',
    '/login',
    '/account',
    '/admin/clients',
    '/api/API.getMatomoVersion',
    '/index.php?module=API&method=API.getMatomoVersion',
    '/authx/login',
    '/demo/',
  ])('GET %s: 404', async (path) => {
    const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
    expect(response.status).toBe(404);
  });

  test.each(['/oauth2/token', '/login', '/index.php?module=OAuth2&action=token'])(
    'POST %s: 404',
    async (path) => {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(response.status).toBe(404);
    },
  );
});

describe('the Matomo API under the issuer path', () => {
  test('a client credentials token from /auth/oauth2/token calls /auth/api/ and /auth/index.php', async () => {
    const token = await tokenRequest('/auth/oauth2/token', {
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    const headers = { Authorization: `Bearer ${token.body.access_token}` };
    const clean = await fetch(`${server.url}/auth/api/API.getMatomoVersion?format=json`, { headers });
    expect(clean.status).toBe(200);
    const matomo = await fetch(
      `${server.url}/auth/index.php?module=API&method=API.getMatomoVersion&format=json`,
      {
        headers,
      },
    );
    expect(matomo.status).toBe(200);
    expect(await matomo.json()).toEqual(await clean.json());
  });

  test('the token endpoint answers in its index.php form under the path', async () => {
    const token = await tokenRequest('/auth/index.php?module=OAuth2&action=token', {
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
  });
});
