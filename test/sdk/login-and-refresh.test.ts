// The SDK against the real reference server, over real HTTP.

import {
  createMatomoClient,
  LoginRequiredError,
  MatomoApiError,
  OAuthResponseError,
  ProtocolError,
} from '@matomo-oauth2/sdk';
import { authorizeThroughPages, createAgent } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { countingFetch, loginWithSdk, spaRedirectUri, startSdkLogin } from '../support/sdk-login';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 20 });
});
afterAll(() => server.stop());

async function auditCount(event: string, grantType?: string): Promise<number> {
  await server.flushAuditLog();
  const rows = await server.db
    .selectFrom('audit_log')
    .select(['event', 'detail'])
    .where('event', '=', event)
    .execute();
  return rows.filter(
    (row) =>
      grantType === undefined || (JSON.parse(row.detail) as { grant_type?: string }).grant_type === grantType,
  ).length;
}

describe('PKCE login', () => {
  test('login(), the real consent pages, handleRedirectCallback(): tokens, a clean address bar, typed calls', async () => {
    const { login, tokens, authorizationUrl, redirect, cleanedUrl } = await loginWithSdk(server, {
      choose: 'matomo:write',
    });
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${server.url}/oauth2/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(redirect.searchParams.get('iss')).toBe(server.issuer);
    expect(tokens.scope).toBe('matomo:write');
    expect(tokens.refresh_token).toBeTruthy();
    expect(cleanedUrl()).toBe(spaRedirectUri);

    const matomo = createMatomoClient({ baseUrl: server.url, auth: login });
    const summary = await matomo.call('VisitsSummary.get', { idSite: 2, period: 'day', date: 'last3' });
    expect(Object.keys(summary)).toHaveLength(3);
    const note = await matomo.call('Annotations.add', {
      idSite: 2,
      date: '2026-11-03',
      note: 'From the SDK',
    });
    expect(note).toMatchObject({ note: 'From the SDK', user: 'demo' });
    const { value } = await matomo.call('API.getMatomoVersion');
    expect(value).toMatch(/^\d+\./);
    login.close();
  });

  test('the same redirect handled twice (StrictMode) exchanges the code once', async () => {
    const counter = countingFetch();
    const { login, authorizationUrl } = await startSdkLogin(server, { fetch: counter.fetch });
    const redirect = await authorizeThroughPages(createAgent(server.url), authorizationUrl);
    const [first, second] = await Promise.all([
      login.handleRedirectCallback(redirect.href),
      login.handleRedirectCallback(redirect.href),
    ]);
    expect(second.tokens.access_token).toBe(first.tokens.access_token);
    expect(counter.grants).toEqual(['authorization_code']);
    login.close();
  });

  test('a forged or replayed state is refused before anything is sent', async () => {
    const { login, redirect } = await loginWithSdk(server);
    await expect(
      login.handleRedirectCallback(redirect.href.replace(/state=[^&]+/, 'state=forged')),
    ).rejects.toMatchObject({
      code: 'ERR_STATE_MISMATCH',
    });
    await expect(
      login.handleRedirectCallback(
        `${spaRedirectUri}?code=x&state=y&iss=${encodeURIComponent(server.issuer)}`,
      ),
    ).rejects.toBeInstanceOf(ProtocolError);
    login.close();
  });

  test('a wrong iss is refused (RFC 9207)', async () => {
    const { login, authorizationUrl } = await startSdkLogin(server);
    const redirect = await authorizeThroughPages(createAgent(server.url), authorizationUrl);
    redirect.searchParams.set('iss', 'https://evil.example');
    await expect(login.handleRedirectCallback(redirect.href)).rejects.toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
    });
    login.close();
  });

  test('access_denied becomes a typed error', async () => {
    const { login, authorizationUrl } = await startSdkLogin(server);
    const redirect = await authorizeThroughPages(createAgent(server.url), authorizationUrl, {
      decision: 'deny',
    });
    const error = await login.handleRedirectCallback(redirect.href).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ code: 'ERR_AUTHORIZATION_RESPONSE', error: 'access_denied' });
    login.close();
  });

  test('logout() revokes the refresh token at the server (RFC 7009)', async () => {
    const { login, tokens } = await loginWithSdk(server);
    await login.logout();
    expect(await login.tokens.getTokens()).toBeUndefined();
    const refresh = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'matomo_demo_spa',
        refresh_token: tokens.refresh_token ?? '',
      }),
    });
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
    login.close();
  });
});

describe('single-flight refresh', () => {
  test('20 concurrent API calls with an access token the SDK knows expired: one refresh, all succeed', async () => {
    const counter = countingFetch();
    const { login, tokens } = await loginWithSdk(server, { fetch: counter.fetch });
    await login.tokens.setTokens({ ...tokens, expires_at: Date.now() - 1000 });
    const before = await auditCount('token.issued', 'refresh_token');
    const matomo = createMatomoClient({ baseUrl: server.url, auth: login, fetch: counter.fetch });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'today' }),
      ),
    );
    expect(results).toHaveLength(20);
    expect(counter.refreshes()).toBe(1);
    expect((await auditCount('token.issued', 'refresh_token')) - before).toBe(1);
    expect(await auditCount('refresh_token.reuse_detected')).toBe(0);
    login.close();
  });

  test('20 concurrent API calls with an access token the server has expired (401 invalid_token): one refresh, all succeed', async () => {
    const counter = countingFetch();
    const { login } = await loginWithSdk(server, { fetch: counter.fetch });
    const matomo = createMatomoClient({ baseUrl: server.url, auth: login, fetch: counter.fetch });
    // The server's clock moves past the token's lifetime; the SDK still believes it valid.
    server.clock.advance(3600_000 + 1000);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        matomo.call('VisitsSummary.getVisits', {
          idSite: 1,
          period: 'day',
          date: 'today',
          filter_limit: index + 1,
        } as never),
      ),
    );
    expect(results.every((result) => typeof (result as { value: number }).value === 'number')).toBe(true);
    expect(counter.refreshes()).toBe(1);
    expect(await auditCount('refresh_token.reuse_detected')).toBe(0);
    login.close();
  });
});

describe('errors against the real server', () => {
  test('Matomo errors: with status 200, unknown method (400), insufficient scope (403)', async () => {
    const { login } = await loginWithSdk(server, { scope: 'matomo:read' });
    const matomo = createMatomoClient({ baseUrl: server.url, auth: login });
    const badParam = await matomo
      .call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'someday' } as never)
      .catch((error: unknown) => error);
    expect(badParam).toBeInstanceOf(MatomoApiError);
    expect(badParam).toMatchObject({ code: 'ERR_MATOMO_API', status: 200 });
    const unknown = await matomo
      .call('VisitsSummary.nothing' as never, {} as never)
      .catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: 'ERR_MATOMO_API', status: 400 });
    const scope = await matomo
      .call('Annotations.add', { idSite: 2, date: '2026-11-03', note: 'x' })
      .catch((error: unknown) => error);
    expect(scope).toMatchObject({ code: 'ERR_INSUFFICIENT_SCOPE', status: 403, scope: 'matomo:write' });
    const noAccess = await matomo
      .call('VisitsSummary.get', { idSite: 3, period: 'day', date: 'today' })
      .catch((error: unknown) => error);
    expect(noAccess).toMatchObject({ code: 'ERR_MATOMO_API', status: 401 });
    login.close();
  });

  test('a revoked grant ends the session: LoginRequiredError, with no token in any message', async () => {
    const ended: string[] = [];
    const { login, tokens } = await loginWithSdk(server);
    login.tokens.on('sessionEnded', (reason) => ended.push(reason));
    await fetch(`${server.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token ?? '', client_id: 'matomo_demo_spa' }),
    });
    const matomo = createMatomoClient({ baseUrl: server.url, auth: login });
    const error = await matomo.call('API.getMatomoVersion').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LoginRequiredError);
    expect(ended).toEqual(['rejected']);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).message} ${String((error as Error).cause)}`;
    for (const secret of [tokens.access_token, tokens.refresh_token ?? 'none'])
      expect(text).not.toContain(secret);
    login.close();
  });
});
