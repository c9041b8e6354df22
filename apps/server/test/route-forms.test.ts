// `/oauth2/*` and Matomo's `index.php?module=OAuth2&action=*` answer identically.
import { createAgent, getCode, postToken, readForm } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const clean = '/oauth2/token';
const matomo = '/index.php?module=OAuth2&action=token';
const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };

function normalise(result: { status: number; headers: Headers; body: unknown }) {
  return {
    status: result.status,
    body: result.body,
    cache: result.headers.get('Cache-Control'),
    type: result.headers.get('Content-Type'),
    challenge: result.headers.get('WWW-Authenticate'),
  };
}

describe('the token endpoint', () => {
  test.each([
    ['unsupported grant', { grant_type: 'password', ...credentials }],
    ['missing grant', credentials],
    ['bad secret', { grant_type: 'client_credentials', ...credentials, client_secret: 'x' }],
    ['bad scope', { grant_type: 'client_credentials', ...credentials, scope: 'matomo:admin' }],
    ['bad code', { grant_type: 'authorization_code', ...credentials, code: 'nope' }],
    ['bad refresh token', { grant_type: 'refresh_token', ...credentials, refresh_token: 'nope' }],
  ])('%s: same status, headers and body', async (_, form) => {
    expect(normalise(await postToken(server.url, form, { path: matomo }))).toEqual(
      normalise(await postToken(server.url, form, { path: clean })),
    );
  });

  test('success: same shape', async () => {
    const form = { grant_type: 'client_credentials', ...credentials };
    const a = await postToken(server.url, form, { path: clean });
    const b = await postToken(server.url, form, { path: matomo });
    expect(Object.keys(b.body)).toEqual(Object.keys(a.body));
    expect({ ...b.body, access_token: '' }).toEqual({ ...a.body, access_token: '' });
  });

  test('a code from one route form is redeemed at the other', async () => {
    const code = await getCode(server.url, { path: '/index.php?module=OAuth2&action=authorize' });
    const result = await postToken(
      server.url,
      {
        grant_type: 'authorization_code',
        ...credentials,
        redirect_uri: 'https://example-app.com/oauth/callback',
        code,
      },
      { path: clean },
    );
    expect(result.status).toBe(200);
  });
});

describe('the authorization endpoint', () => {
  const query =
    'response_type=code&client_id=analytics_app&redirect_uri=https%3A%2F%2Fexample-app.com%2Foauth%2Fcallback&scope=matomo%3Aread&state=abc123';

  test('the same sign-in page, whose form returns to the same route form', async () => {
    const a = await createAgent(server.url).get(`/oauth2/authorize?${query}`);
    const b = await createAgent(server.url).get(`/index.php?module=OAuth2&action=authorize&${query}`);
    expect(b.status).toBe(a.status);
    expect(b.headers.get('Content-Security-Policy')).toBe(a.headers.get('Content-Security-Policy'));
    const formA = readForm(await a.text(), 'password');
    const formB = readForm(await b.text(), 'password');
    expect(formA.fields.return_to).toBe(`/oauth2/authorize?${query}`);
    expect(formB.fields.return_to).toBe(`/index.php?module=OAuth2&action=authorize&${query}`);
  });

  test('the same error redirect', async () => {
    const bad = query.replace('scope=matomo%3Aread', 'scope=nope');
    const a = await createAgent(server.url).get(`/oauth2/authorize?${bad}`);
    const b = await createAgent(server.url).get(`/index.php?module=OAuth2&action=authorize&${bad}`);
    expect([b.status, b.headers.get('Location')]).toEqual([a.status, a.headers.get('Location')]);
  });

  test('the same error page', async () => {
    const bad = query.replace('client_id=analytics_app', 'client_id=nobody');
    const a = await createAgent(server.url).get(`/oauth2/authorize?${bad}`);
    const b = await createAgent(server.url).get(`/index.php?module=OAuth2&action=authorize&${bad}`);
    expect(b.status).toBe(a.status);
    expect(await b.text()).toBe(await a.text());
  });
});

describe('index.php', () => {
  test('an unknown module or action is a 404, not a crash', async () => {
    for (const path of ['/index.php', '/index.php?module=Nope', '/index.php?module=OAuth2&action=nope']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});

describe('index.php dispatch', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'action=%s is an unknown action like any other: 404',
    async (action) => {
      for (const method of ['GET', 'POST']) {
        const response = await fetch(`${server.url}/index.php?module=OAuth2&action=${action}`, { method });
        expect(response.status, method).toBe(404);
        // Matomo's error, in its default format (no `format` was sent).
        expect(await response.text()).toMatch(/^<\?xml [^\n]+\n<result>\n\t<error message="/);
      }
    },
  );
});

describe('index.php errors before a target is chosen', () => {
  test('a body too large to read for the module: 413 in Matomo’s shape, not a crash', async () => {
    // The format in the query: the body that would name it is not read.
    const response = await fetch(`${server.url}/index.php?format=json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `module=API&method=API.getMatomoVersion&pad=${'x'.repeat(70_000)}`,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ result: 'error', message: 'The request body is too large' });
  });

  test('an HTTP method an action does not take: 405 with Allow, as an OAuth error that is not cached', async () => {
    const response = await fetch(`${server.url}/index.php?module=OAuth2&action=authorize`, { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, POST');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'This HTTP method is not allowed here',
    });
  });
});

describe('CORS', () => {
  test('the API answers preflights at both route forms; the authorization endpoint never sends CORS headers', async () => {
    const preflight = (path: string) =>
      fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://127.0.0.1:1234',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type',
        },
      });
    for (const path of ['/index.php', '/api/VisitsSummary.get', '/oauth2/token', '/oauth2/revoke']) {
      const response = await preflight(path);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBe('*');
      expect(response.headers.get('Access-Control-Allow-Headers'), path).toContain('Authorization');
    }
    for (const path of ['/oauth2/authorize', '/index.php?module=OAuth2&action=authorize']) {
      const response = await preflight(path);
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
    }
  });
});
