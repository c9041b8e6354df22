// error_description (RFC 6749 §5.2, RFC 6750 §3): only %x20-21 / %x23-5B / %x5D-7E, and never a
// value the request sent, whatever the request sends.
import { basic } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A value no description may echo: quotes, a backslash, non-ASCII, markup, a line break. */
const hostile = 'ZZECHO"\\é<b>\r\nZZECHO';
const allowed = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
const credentials = { client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' };

/** Every error_description of a response: in the JSON body, the redirect, the Bearer challenge. */
async function descriptions(response: Response): Promise<string[]> {
  const found: string[] = [];
  const location = response.headers.get('Location');
  if (location) {
    const description = new URL(location).searchParams.get('error_description');
    if (description !== null) found.push(description);
  }
  const challenge = response.headers.get('WWW-Authenticate') ?? '';
  for (const match of challenge.matchAll(/error_description="([^"]*)"/g)) found.push(match[1] ?? '');
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error_description?: unknown };
    if (typeof body.error_description === 'string') found.push(body.error_description);
  } catch {
    // An HTML page or an empty body: no error_description there.
  }
  return found;
}

const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
const authorize = (params: Record<string, string>) =>
  fetch(
    `${server.url}/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: 'analytics_app',
      redirect_uri: 'https://example-app.com/oauth/callback',
      ...params,
    })}`,
    { redirect: 'manual' },
  );
const withClient = (fields: [string, string][]) => form([...Object.entries(credentials), ...fields]);
const refreshAsking = (scope: string) =>
  post(
    '/oauth2/token',
    withClient([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'x'],
      ['scope', scope],
    ]),
  );

const requests: [string, () => Promise<Response>][] = [
  ['token: grant_type', () => post('/oauth2/token', withClient([['grant_type', hostile]]))],
  ['token: scope of a refresh', () => refreshAsking(hostile)],
  ['token: scope with a space', () => refreshAsking(`a ${hostile}`)],
  [
    'token: refresh_token',
    () =>
      post(
        '/oauth2/token',
        withClient([
          ['grant_type', 'refresh_token'],
          ['refresh_token', hostile],
        ]),
      ),
  ],
  [
    'token: code',
    () =>
      post(
        '/oauth2/token',
        withClient([
          ['grant_type', 'authorization_code'],
          ['code', hostile],
        ]),
      ),
  ],
  [
    'token: code_verifier',
    () =>
      post(
        '/oauth2/token',
        withClient([
          ['grant_type', 'authorization_code'],
          ['code', 'x'],
          ['code_verifier', hostile],
        ]),
      ),
  ],
  [
    'token: client credentials scope',
    () =>
      post(
        '/oauth2/token',
        withClient([
          ['grant_type', 'client_credentials'],
          ['scope', hostile],
        ]),
      ),
  ],
  [
    'token: a repeated parameter of any name',
    () =>
      post(
        '/oauth2/token',
        withClient([
          ['grant_type', 'client_credentials'],
          [hostile, '1'],
          [hostile, '2'],
        ]),
      ),
  ],
  [
    'token: a parameter in the URL',
    () =>
      post(
        `/oauth2/token?grant_type=${encodeURIComponent(hostile)}`,
        withClient([['grant_type', 'client_credentials']]),
      ),
  ],
  [
    'token: client_id',
    () =>
      post(
        '/oauth2/token',
        form([
          ['grant_type', 'client_credentials'],
          ['client_id', hostile],
          ['client_secret', hostile],
        ]),
      ),
  ],
  [
    'token: Basic credentials',
    () =>
      post('/oauth2/token', form([['grant_type', 'client_credentials']]), {
        Authorization: basic(hostile, hostile),
      }),
  ],
  [
    'token: Authorization scheme',
    () =>
      post('/oauth2/token', form([['grant_type', 'client_credentials']]), {
        Authorization: `ZZECHO ${encodeURIComponent(hostile)}`,
      }),
  ],
  ['token: content type', () => post('/oauth2/token', hostile, { 'Content-Type': 'text/plain' })],
  ['token: another HTTP method', () => fetch(`${server.url}/oauth2/token?x=${encodeURIComponent(hostile)}`)],
  [
    'token, index.php form',
    () => post('/index.php?module=OAuth2&action=token', withClient([['grant_type', hostile]])),
  ],
  [
    'revoke: token',
    () =>
      post(
        '/oauth2/revoke',
        form([
          ['token', hostile],
          ['client_id', hostile],
        ]),
      ),
  ],
  ['revoke: no token', () => post('/oauth2/revoke', withClient([[hostile, hostile]]))],
  [
    'introspect: client',
    () =>
      post(
        '/oauth2/introspect',
        form([
          ['token', hostile],
          ['client_id', hostile],
        ]),
      ),
  ],
  ['authorize: scope', () => authorize({ scope: hostile })],
  ['authorize: scope list', () => authorize({ scope: `matomo:read ${hostile}` })],
  ['authorize: response_type', () => authorize({ response_type: hostile })],
  [
    'authorize: code_challenge_method',
    () => authorize({ code_challenge: 'a'.repeat(43), code_challenge_method: hostile }),
  ],
  ['authorize: code_challenge', () => authorize({ code_challenge: hostile, code_challenge_method: 'S256' })],
  ['authorize: state', () => authorize({ state: `${hostile}${'x'.repeat(2100)}` })],
  [
    'index.php: another HTTP method',
    () =>
      fetch(`${server.url}/index.php?module=OAuth2&action=authorize&x=${encodeURIComponent(hostile)}`, {
        method: 'PUT',
      }),
  ],
  [
    'API: a malformed Bearer token',
    () =>
      fetch(`${server.url}/api/API.getMatomoVersion`, {
        headers: { Authorization: `Bearer ${encodeURIComponent(hostile)}` },
      }),
  ],
  [
    'API: a forged JWT',
    () =>
      fetch(`${server.url}/api/API.getMatomoVersion`, {
        headers: {
          Authorization: `Bearer ${Buffer.from(`{"alg":"${hostile}"}`).toString('base64url')}.e30.c2ln`,
        },
      }),
  ],
  [
    'API: a token in the URL too',
    () =>
      fetch(`${server.url}/api/API.getMatomoVersion?access_token=${encodeURIComponent(hostile)}`, {
        headers: { Authorization: 'Bearer abc' },
      }),
  ],
];

describe('error_description', () => {
  test.each(requests)('%s: only allowed characters, and nothing the request sent', async (_, send) => {
    const found = await descriptions(await send());
    expect(found.length).toBeGreaterThan(0);
    for (const description of found) {
      expect(description).toMatch(allowed);
      expect(description).not.toContain('ZZECHO');
    }
  });
});
