// The client-credentials helper for backends, against the real reference server.
import { createMatomoClient, MatomoApiError, OAuthResponseError } from '@matomo-oauth2/sdk';
import { createClientCredentials } from '@matomo-oauth2/sdk/client-credentials';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countingFetch } from '../support/sdk-login';
import { superuserToken } from '../support/superuser';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    { demoVisitsPerDay: 10 },
    {
      rateLimits: {
        loginPerIp: { limit: 100, windowMs: 60_000 },
        loginPerUser: { limit: 100, windowMs: 60_000 },
        clientAuthenticationPerIp: { limit: 3, windowMs: 60_000 },
      },
    },
  );
});
afterAll(() => server.stop());

function backend(counter = countingFetch(), secret = '7fa9c0f81b8b4a12', authMethod?: 'client_secret_post') {
  const auth = createClientCredentials({
    baseUrl: server.url,
    clientId: 'analytics_app',
    clientSecret: secret,
    scope: 'matomo:read',
    fetch: counter.fetch,
    ...(authMethod ? { authMethod } : {}),
  });
  return { auth, counter, matomo: createMatomoClient({ baseUrl: server.url, auth, fetch: counter.fetch }) };
}

describe('client credentials', () => {
  test('the token is cached, and concurrent callers share one token request', async () => {
    const { auth, counter, matomo } = backend();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        matomo.call('VisitsSummary.getVisits', { idSite: 1, period: 'month', date: 'today' }),
      ),
    );
    expect(results.every((result) => typeof result.value === 'number')).toBe(true);
    await matomo.call('API.getMatomoVersion');
    expect(counter.grants).toEqual(['client_credentials']);
    auth.close();
  });

  test('client_secret_post works too', async () => {
    const { auth, matomo } = backend(undefined, undefined, 'client_secret_post');
    expect((await matomo.call('API.getMatomoVersion')).value).toMatch(/^\d/);
    auth.close();
  });

  test('a 401 invalid_token (the token was revoked) fetches a new token once and retries', async () => {
    const { auth, counter, matomo } = backend();
    await matomo.call('API.getMatomoVersion');
    const token = await auth.getAccessToken();
    await fetch(`${server.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: 'analytics_app', client_secret: '7fa9c0f81b8b4a12' }),
    });
    const summary = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'yesterday' });
    expect(summary).toBeDefined();
    expect(counter.grants).toEqual(['client_credentials', 'client_credentials']);
    expect(await auth.getAccessToken()).not.toBe(token);
    auth.close();
  });

  test('a 401 that persists after the one retry is a typed error, not a loop', async () => {
    const { auth, counter, matomo } = backend();
    await matomo.call('API.getMatomoVersion');
    // Pause the client: every token is refused, new ones cannot be had.
    const setActive = async (active: '0' | '1') => {
      const response = await fetch(`${server.url}/api/OAuth2.setClientActive`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await superuserToken(server)}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ clientId: 'analytics_app', active }),
      });
      expect(response.status).toBe(200);
    };
    await setActive('0');
    try {
      const error = await matomo.call('API.getMatomoVersion').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(counter.grants.length).toBeLessThanOrEqual(2);
    } finally {
      await setActive('1');
    }
    auth.close();
  });

  test('a wrong secret: OAuthResponseError invalid_client (401), and the secret is in no message', async () => {
    const { auth, matomo } = backend(undefined, 'wrong-secret-value');
    const error = await matomo.call('API.getMatomoVersion').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    const oauth = error instanceof OAuthResponseError ? error : (error as { cause?: unknown }).cause;
    expect(oauth).toBeInstanceOf(OAuthResponseError);
    expect(oauth).toMatchObject({ status: 401, error: 'invalid_client' });
    const text = `${String(error)} ${JSON.stringify(error)} ${String(oauth)} ${JSON.stringify(oauth)}`;
    expect(text).not.toContain('wrong-secret-value');
    auth.close();
  });

  test('after repeated failures the server answers 429: retryAfter is exposed', async () => {
    for (let i = 0; i < 3; i++) {
      const { auth } = backend(undefined, `wrong-${i}`);
      await auth.getAccessToken().catch(() => undefined);
      auth.close();
    }
    const { auth } = backend();
    const error = await auth.getAccessToken().catch((caught: unknown) => caught);
    const oauth = error instanceof OAuthResponseError ? error : (error as { cause?: unknown }).cause;
    expect(oauth).toMatchObject({ status: 429, error: 'temporarily_unavailable' });
    expect((oauth as { retryAfter?: number }).retryAfter).toBeGreaterThan(0);
    auth.close();
    server.clock.advance(61_000);
  });

  test('Matomo errors surface as MatomoApiError', async () => {
    const { auth, matomo } = backend();
    const error = await matomo
      .call('SitesManager.getSiteFromId', { idSite: 'abc' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MatomoApiError);
    auth.close();
  });
});
