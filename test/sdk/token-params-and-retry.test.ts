// The previous fixes against the real reference server: extra token parameters (RFC 8707 `resource`,
// `audience`) reach its token endpoint, and an access token revoked at the server costs one refresh
// and one retry, not the session.
import { createMatomoClient, type FetchLike, OAuthResponseError } from '@matomo-oauth2/sdk';
import { createClientCredentials } from '@matomo-oauth2/sdk/client-credentials';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countingFetch, loginWithSdk } from '../support/sdk-login';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 5 });
});
afterAll(() => server.stop());

/** Records the form bodies sent to the token endpoint and the statuses it answered. */
function tokenRecorder() {
  const sent: URLSearchParams[] = [];
  const statuses: number[] = [];
  const fetchLike: FetchLike = async (request) => {
    const isToken = new URL(request.url).pathname.endsWith('/oauth2/token');
    if (isToken) sent.push(new URLSearchParams(await request.clone().text()));
    const response = await fetch(request);
    if (isToken) statuses.push(response.status);
    return response;
  };
  return { fetch: fetchLike, sent, statuses };
}

describe('extra token parameters reach the server', () => {
  const backend = (tokenParams: Record<string, string | string[]>, recorder = tokenRecorder()) => {
    const auth = createClientCredentials({
      baseUrl: server.url,
      clientId: 'analytics_app',
      clientSecret: '7fa9c0f81b8b4a12',
      scope: 'matomo:read',
      tokenParams,
      fetch: recorder.fetch,
    });
    return {
      auth,
      recorder,
      matomo: createMatomoClient({ baseUrl: server.url, auth, fetch: recorder.fetch }),
    };
  };

  test('client credentials with resource and audience: sent with the grant; this server, which has no resource indicators, ignores them (RFC 6749 §3.2) and issues its usual token', async () => {
    const { auth, recorder, matomo } = backend({ resource: server.url, audience: 'matomo' });
    expect((await matomo.call('API.getMatomoVersion')).value).toMatch(/^\d/);
    expect(recorder.sent).toHaveLength(1);
    const [body] = recorder.sent as [URLSearchParams];
    expect(body.get('grant_type')).toBe('client_credentials');
    expect(body.getAll('resource')).toEqual([server.url]);
    expect(body.get('audience')).toBe('matomo');
    expect(recorder.statuses).toEqual([200]);
    // The token is for this server's API, whatever was asked.
    const token = await auth.getAccessToken();
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      aud: unknown;
    };
    expect(claims.aud).toBe(server.issuer);
    auth.close();
  });

  test('two resources (RFC 8707 repeats the parameter): this server refuses any repeated parameter (RFC 6749 §3.2), a typed invalid_request', async () => {
    const { auth, recorder } = backend({ resource: [server.url, 'https://reports.example'] });
    const error = await auth.getAccessToken().catch((e: unknown) => e);
    expect(recorder.sent[0]?.getAll('resource')).toEqual([server.url, 'https://reports.example']);
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ code: 'ERR_OAUTH_RESPONSE', status: 400, error: 'invalid_request' });
    expect((error as Error).message).toContain('only once');
    auth.close();
  });

  test('the browser login sends them with the code exchange and the refresh', async () => {
    const recorder = tokenRecorder();
    const { login } = await loginWithSdk(server, {
      fetch: recorder.fetch,
      tokenParams: { resource: server.url },
    });
    await login.tokens.refresh();
    expect(recorder.sent.map((body) => [body.get('grant_type'), body.getAll('resource')])).toEqual([
      ['authorization_code', [server.url]],
      ['refresh_token', [server.url]],
    ]);
    expect(recorder.statuses).toEqual([200, 200]);
    login.close();
  });
});

describe('an access token revoked at the server', () => {
  test('401 invalid_token: one refresh, one retry, the call succeeds and the session lives on', async () => {
    const counter = countingFetch();
    const { login } = await loginWithSdk(server, { fetch: counter.fetch });
    const matomo = createMatomoClient({ baseUrl: server.url, auth: login, fetch: counter.fetch });
    await matomo.call('API.getMatomoVersion');
    const revoked = await login.getAccessToken();
    // The access token alone (RFC 7009 §2.1: this server keeps the grant and its refresh token).
    const revocation = await fetch(`${server.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: revoked,
        token_type_hint: 'access_token',
        client_id: 'matomo_demo_spa',
      }),
    });
    expect(revocation.status).toBe(200);
    const direct = await fetch(`${server.url}/api/API.getMatomoVersion`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${revoked}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'format=json',
    });
    expect(direct.status).toBe(401);
    expect(direct.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const visits = await matomo.call('VisitsSummary.getVisits', { idSite: 1, period: 'day', date: 'today' });
    expect(typeof visits.value).toBe('number');
    expect(counter.refreshes()).toBe(1);
    expect(await login.getAccessToken()).not.toBe(revoked);
    await expect(login.isAuthenticated()).resolves.toBe(true);
    login.close();
  });

  test('a 401 without WWW-Authenticate (what a Matomo with the OAuth2 plugin sends; the header is dropped on the way here): one refresh, one retry', async () => {
    const counter = countingFetch();
    let stripped = 0;
    // Everything is the real server's answer, except that the API's 401 loses its RFC 6750 challenge.
    const pluginLike: FetchLike = async (request) => {
      const response = await counter.fetch(request);
      if (response.status !== 401 || new URL(request.url).pathname.startsWith('/oauth2/')) return response;
      stripped++;
      const headers = new Headers(response.headers);
      headers.delete('www-authenticate');
      return new Response(await response.text(), { status: 401, headers });
    };
    const { login } = await loginWithSdk(server, { fetch: counter.fetch });
    const matomo = createMatomoClient({ baseUrl: server.url, auth: login, fetch: pluginLike });
    const revoked = await login.getAccessToken();
    await fetch(`${server.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: revoked, client_id: 'matomo_demo_spa' }),
    });
    const visits = await matomo.call('VisitsSummary.getVisits', { idSite: 1, period: 'day', date: 'today' });
    expect(typeof visits.value).toBe('number');
    expect(stripped).toBe(1);
    expect(counter.refreshes()).toBe(1);
    login.close();
  });
});
