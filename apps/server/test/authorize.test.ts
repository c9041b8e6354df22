// Security checklist, "Authorization endpoint" (items 1–15), over real HTTP.
import {
  authorizeThroughPages,
  createAgent,
  readForm,
  rfcChallenge,
  scopeChoices,
} from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerClient } from '../src/clients/client-registration';
import { callAsAdmin } from './support/admin-api';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
const registered = 'https://example-app.com/oauth/callback';

beforeAll(async () => {
  server = await startTestServer();
  await registerClient(
    server.db,
    {
      clientId: 'two_uris',
      name: 'Two URIs',
      secret: 'two-uris-secret',
      grantTypes: ['authorization_code'],
      scope: 'matomo:admin',
      redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
      ownerLogin: 'admin',
    },
    server.clock(),
  );
});
afterAll(() => server.stop());

function authorizePath(params: Record<string, string>): string {
  return `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'analytics_app', redirect_uri: registered, scope: 'matomo:read', state: 'abc123', ...params })}`;
}

async function signedInAgent() {
  const agent = createAgent(server.url);
  const page = await agent.get(authorizePath({}));
  const login = readForm(await page.text(), 'password');
  const response = await agent.postForm('/login', { ...login.fields, login: 'demo', password: 'demo' });
  expect(response.status).toBe(303);
  return agent;
}

// Security checklist items 1–4.
describe('the client and its redirect URI are checked before anything is redirected', () => {
  // Security checklist item 1.
  test.each([
    `${registered}/`,
    `${registered}?x=1`,
    'HTTPS://EXAMPLE-APP.COM/oauth/callback',
    `${registered}#f`,
    'http://example-app.com/oauth/callback',
    'https://example-app.com/oauth/callback/../callback',
    'https://evil.example/oauth/callback',
  ])('%s is not the registered URI: a 400 page, no Location', async (redirectUri) => {
    const response = await createAgent(server.url).get(authorizePath({ redirect_uri: redirectUri }));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('not registered');
  });

  // Security checklist item 2.
  test.each([
    ['unknown', { client_id: 'no_such_client' }],
    ['missing', { client_id: '' }],
  ])('%s client_id: a page, never a redirect', async (_, params) => {
    const response = await createAgent(server.url).get(authorizePath(params));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
  });

  // Security checklist item 2.
  test('a paused client: a page, never a redirect', async () => {
    const setActive = (active: '0' | '1') =>
      callAsAdmin(server, 'OAuth2.setClientActive', { clientId: 'analytics_app', active });
    expect((await setActive('0')).status).toBe(200);
    try {
      const response = await createAgent(server.url).get(authorizePath({}));
      expect(response.status).toBe(400);
      expect(response.headers.get('Location')).toBeNull();
      expect(await response.text()).toContain('paused');
    } finally {
      await setActive('1');
    }
  });

  // Security checklist item 3.
  test('loopback redirect URIs match on any port, but not another path or localhost', async () => {
    const agent = createAgent(server.url);
    const base = {
      client_id: 'matomo_demo_spa',
      code_challenge: rfcChallenge,
      code_challenge_method: 'S256',
    };
    for (const uri of [
      'http://127.0.0.1:53127/callback',
      'http://127.0.0.1/callback',
      'http://[::1]:8765/callback',
    ]) {
      const response = await agent.get(authorizePath({ ...base, redirect_uri: uri }));
      expect(response.status, uri).toBe(200);
    }
    for (const uri of [
      'http://127.0.0.1:53127/other',
      'http://localhost:53127/callback',
      'https://127.0.0.1:53127/callback',
    ]) {
      const response = await agent.get(authorizePath({ ...base, redirect_uri: uri }));
      expect(response.status, uri).toBe(400);
      expect(response.headers.get('Location')).toBeNull();
    }
  });

  // Security checklist item 4.
  test('several registered URIs and no redirect_uri: a page, no redirect', async () => {
    const response = await createAgent(server.url).get(
      authorizePath({ client_id: 'two_uris', redirect_uri: '' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
  });

  // Security checklist item 4.
  test('with one registered URI, redirect_uri may be omitted', async () => {
    const response = await createAgent(server.url).get(authorizePath({ redirect_uri: '' }));
    expect(response.status).toBe(200);
  });
});

// Security checklist items 5–7.
describe('later errors go back to the client, with state and iss', () => {
  async function expectRedirectError(params: Record<string, string>, error: string) {
    const response = await createAgent(server.url).get(authorizePath(params));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('Location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(registered);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe(params.state ?? 'abc123');
    expect(location.searchParams.get('iss')).toBe(server.issuer);
    expect(location.searchParams.has('code')).toBe(false);
    return location;
  }

  // Security checklist item 5.
  test('an unknown scope', () => expectRedirectError({ scope: 'matomo:everything' }, 'invalid_scope'));
  // Security checklist item 5.
  test('a scope above the client’s ceiling only', () =>
    expectRedirectError({ scope: 'matomo:superuser' }, 'invalid_scope'));
  // Security checklist item 5.
  test('response_type=token', () =>
    expectRedirectError({ response_type: 'token' }, 'unsupported_response_type'));
  // Security checklist item 5.
  test('state is returned exactly, odd characters included', () =>
    expectRedirectError({ scope: 'nope', state: 'a b&c=d/é?' }, 'invalid_scope'));

  // Security checklist item 6.
  test('iss equals the metadata issuer', async () => {
    const metadata = (await (
      await fetch(`${server.url}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    const location = await expectRedirectError({ scope: 'nope' }, 'invalid_scope');
    expect(location.searchParams.get('iss')).toBe(metadata.issuer);
  });

  // Security checklist item 7.
  test('a repeated parameter is invalid_request', async () => {
    const response = await createAgent(server.url).get(`${authorizePath({})}&scope=matomo:read`);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('Location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  // Security checklist item 7.
  test('a repeated client_id or redirect_uri is a page (which one to trust?)', async () => {
    const response = await createAgent(server.url).get(`${authorizePath({})}&client_id=analytics_app`);
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
  });

  // Security checklist item 7.
  test('an empty parameter counts as omitted', async () => {
    // scope= is empty: the client's own scope is used, and the sign-in page shows.
    const response = await createAgent(server.url).get(authorizePath({ scope: '', state: '' }));
    expect(response.status).toBe(200);
  });
});

// Security checklist items 8–15.
describe('the pages', () => {
  // Security checklist item 8.
  test('the redirects after the sign-in and consent POSTs are 303', async () => {
    const agent = createAgent(server.url);
    const page = await agent.get(authorizePath({}));
    const login = readForm(await page.text(), 'password');
    const signedIn = await agent.postForm('/login', { ...login.fields, login: 'demo', password: 'demo' });
    expect(signedIn.status).toBe(303);
    const consentPage = await agent.get(signedIn.headers.get('Location') ?? '');
    const consent = readForm(await consentPage.text(), 'decision');
    const decided = await agent.postForm(consent.action, { ...consent.fields, decision: 'allow' });
    expect(decided.status).toBe(303);
  });

  // Security checklist item 9.
  test('the sign-in page only returns to this server’s own pages', async () => {
    for (const returnTo of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const agent = createAgent(server.url);
      const page = await agent.get(`/login?return_to=${encodeURIComponent(returnTo)}`);
      const form = readForm(await page.text(), 'password');
      expect(form.fields.return_to).toBeUndefined();
      const response = await agent.postForm('/login', {
        ...form.fields,
        return_to: returnTo,
        login: 'demo',
        password: 'demo',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('Location')).toBe('/login');
    }
  });

  // Security checklist item 9.
  test('sign-out goes only to the sign-in page', async () => {
    const agent = await signedInAgent();
    const page = await agent.get('/login');
    const form = readForm(await page.text(), 'Sign out');
    const response = await agent.postForm(`/logout?next=${encodeURIComponent('https://evil.example')}`, {
      ...form.fields,
      next: 'https://evil.example',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/login');
  });

  // Security checklist items 11, 13, 14.
  test('every page forbids framing, sends no referrer, has no CORS, loads nothing from elsewhere', async () => {
    const agent = await signedInAgent();
    const pages = [
      await createAgent(server.url).get(authorizePath({}), { Origin: 'https://evil.example' }),
      await agent.get(authorizePath({}), { Origin: 'https://evil.example' }),
      await createAgent(server.url).get('/login'),
      await createAgent(server.url).get(authorizePath({ redirect_uri: 'https://evil.example/cb' })),
    ];
    for (const page of pages) {
      const csp = page.headers.get('Content-Security-Policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(page.headers.get('X-Frame-Options')).toBe('DENY');
      expect(page.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(page.headers.get('Access-Control-Allow-Origin')).toBeNull();
      const html = await page.text();
      expect(html).not.toMatch(/<(script|img|link|iframe)\b/i);
      // No address elsewhere in an attribute (a link, a form, a resource). The page for an unregistered
      // redirect_uri names that URI, as text only, so that the developer sees which one was refused.
      expect(html).not.toMatch(/(?:src|href|action)\s*=\s*["']?https?:\/\/(?!example-app\.com)/i);
      expect(html.replaceAll('https://evil.example/cb', '')).not.toMatch(/https?:\/\/(?!example-app\.com)/);
    }
  });

  // Security checklist item 12.
  test('the consent POST without the right anti-CSRF token is refused, and no code is issued', async () => {
    const agent = await signedInAgent();
    const consentPage = await agent.get(authorizePath({}));
    const consent = readForm(await consentPage.text(), 'decision');
    const countCodes = async () =>
      Number(
        (
          await server.db
            .selectFrom('authorization_codes')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countCodes();
    for (const csrf of [undefined, 'wrong', `${consent.fields.csrf_token}x`]) {
      const fields: Record<string, string> = { decision: 'allow', selected_scope: 'matomo:read' };
      if (csrf !== undefined) fields.csrf_token = csrf;
      const response = await agent.postForm(consent.action, fields);
      expect(response.status).toBe(403);
      expect(response.headers.get('Location')).toBeNull();
    }
    // A cross-site POST has no session cookie at all.
    const anonymous = await createAgent(server.url).postForm(consent.action, {
      ...consent.fields,
      decision: 'allow',
    });
    expect(anonymous.status).toBe(403);
    expect(await countCodes()).toBe(before);
  });

  // Security checklist item 12.
  test('the sign-in POST without the right anti-CSRF token is refused (login CSRF)', async () => {
    const agent = createAgent(server.url);
    await agent.get('/login');
    const response = await agent.postForm('/login', {
      csrf_token: 'forged',
      login: 'demo',
      password: 'demo',
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().some((cookie) => cookie.includes('mo_session'))).toBe(false);
  });

  test('a login CSRF cookie planted without the server’s signature is refused, even with a matching form token', async () => {
    const planted = 'planted-login-csrf-token-0123456789abcdefghijk';
    const post = (cookie: string) =>
      fetch(`${server.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams({ csrf_token: planted, login: 'demo', password: 'demo' }),
      });
    expect((await post(`mo_login_csrf=${planted}`)).status).toBe(403);
    expect((await post(`mo_login_csrf=${planted}; mo_login_csrf.sig=forged-signature`)).status).toBe(403);
    // The same form token with the cookie pair the server signed is accepted.
    const agent = createAgent(server.url);
    const form = readForm(await (await agent.get('/login')).text(), 'password');
    const signed = [...agent.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    expect(signed).toContain('mo_login_csrf.sig=');
    const response = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: signed },
      body: new URLSearchParams({
        csrf_token: form.fields.csrf_token ?? '',
        login: 'demo',
        password: 'demo',
      }),
    });
    expect(response.status).toBe(303);
  });

  // Security checklist item 15.
  test('deny: access_denied with state and iss, and no code', async () => {
    const location = await authorizeThroughPages(createAgent(server.url), authorizePath({}), {
      decision: 'deny',
    });
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('abc123');
    expect(location.searchParams.get('iss')).toBe(server.issuer);
    expect(location.searchParams.has('code')).toBe(false);
  });
});

describe('consent', () => {
  test('names the client and the user, and offers only scopes the client allows and the user holds', async () => {
    const agent = await signedInAgent();
    // matomo_demo_spa allows up to write; demo has view on one site and write on another.
    const page = await agent.get(
      authorizePath({
        client_id: 'matomo_demo_spa',
        redirect_uri: 'http://127.0.0.1:4000/callback',
        scope: 'matomo:admin matomo:write matomo:read matomo:superuser',
        code_challenge: rfcChallenge,
        code_challenge_method: 'S256',
      }),
    );
    const html = await page.text();
    expect(html).toContain('Matomo demo single-page app');
    expect(html).toContain('<strong>demo</strong>');
    expect(scopeChoices(html)).toEqual([
      { value: 'matomo:read', checked: true },
      { value: 'matomo:write', checked: false },
    ]);
  });

  test('a single scope has no radio buttons', async () => {
    const agent = await signedInAgent();
    const html = await (await agent.get(authorizePath({}))).text();
    expect(scopeChoices(html)).toEqual([]);
    expect(readForm(html, 'decision').fields.selected_scope).toBe('matomo:read');
  });

  test('a scope that was not offered is refused, and no code is issued', async () => {
    const agent = await signedInAgent();
    const html = await (await agent.get(authorizePath({}))).text();
    const consent = readForm(html, 'decision');
    const response = await agent.postForm(consent.action, {
      ...consent.fields,
      selected_scope: 'matomo:write',
      decision: 'allow',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
  });

  test('a user who holds none of the scopes is told so, and may go back with access_denied', async () => {
    const agent = await signedInAgent();
    const page = await agent.get(
      authorizePath({ client_id: 'two_uris', redirect_uri: 'https://a.example/cb', scope: 'matomo:admin' }),
    );
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('does not have the access level required');
    const back = readForm(html, 'decision');
    const response = await agent.postForm(back.action, { ...back.fields, decision: 'deny' });
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('Location') ?? '').searchParams.get('error')).toBe('access_denied');
  });

  test('allow: 303 to the redirect URI with code, state and iss', async () => {
    const location = await authorizeThroughPages(createAgent(server.url), authorizePath({}));
    expect(`${location.origin}${location.pathname}`).toBe(registered);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBe('abc123');
    expect(location.searchParams.get('iss')).toBe(server.issuer);
  });
});
