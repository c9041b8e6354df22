// The log: one JSON line per request, with a request id, and never a secret.
import { basic, createAgent, readForm, rfcChallenge, rfcVerifier } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callApi } from './api-fixture';
import { adminPassword, startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const clientSecret = '7fa9c0f81b8b4a12';
const redirectUri = 'https://example-app.com/oauth/callback';

const parsed = () => server.logLines().map((line) => JSON.parse(line) as Record<string, unknown>);
const requestLines = () => parsed().filter((line) => line.msg === 'request');

describe('the log', () => {
  test('after a whole session, holds none of the secrets it used: passwords, secrets, codes, tokens, cookies', async () => {
    const secrets: string[] = [adminPassword, clientSecret, rfcVerifier, 'a-wrong-password-for-the-log'];
    const agent = createAgent(server.url);

    // A wrong password first, then the right one, through the real pages.
    const authorizePath = `/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: 'analytics_app',
      redirect_uri: redirectUri,
      scope: 'matomo:read',
      state: 'log-state',
      code_challenge: rfcChallenge,
      code_challenge_method: 'S256',
    })}`;
    const signIn = readForm(await (await agent.get(authorizePath)).text(), 'password');
    secrets.push(signIn.fields.csrf_token ?? '');
    await agent.postForm('/login', {
      ...signIn.fields,
      login: 'admin',
      password: 'a-wrong-password-for-the-log',
    });
    const again = readForm(await (await agent.get(authorizePath)).text(), 'password');
    secrets.push(again.fields.csrf_token ?? '');
    const signedIn = await agent.postForm('/login', {
      ...again.fields,
      login: 'admin',
      password: adminPassword,
    });
    expect(signedIn.status).toBe(303);
    secrets.push(...agent.cookies.values());
    const consent = readForm(await (await agent.get(authorizePath)).text(), 'decision');
    secrets.push(consent.fields.csrf_token ?? '');
    const decided = await agent.postForm(consent.action, {
      csrf_token: consent.fields.csrf_token ?? '',
      decision: 'allow',
      selected_scope: 'matomo:read',
    });
    const code = new URL(decided.headers.get('Location') ?? '').searchParams.get('code') ?? '';
    secrets.push(code);

    // The code exchange with HTTP Basic, a refresh, API calls, introspection and revocation.
    const authorization = basic('analytics_app', clientSecret);
    secrets.push(authorization.slice('Basic '.length));
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      }).then(async (response) => {
        const text = await response.text();
        return (text ? JSON.parse(text) : {}) as Record<string, string>;
      });
    const tokens = await post('/oauth2/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: rfcVerifier,
    });
    const refreshed = await post('/oauth2/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    });
    secrets.push(
      tokens.access_token ?? '',
      tokens.refresh_token ?? '',
      refreshed.access_token ?? '',
      refreshed.refresh_token ?? '',
    );
    expect(secrets.every((secret) => secret.length >= 8)).toBe(true);

    const api = await callApi(
      server,
      'VisitsSummary.get',
      { idSite: '1', period: 'day', date: 'today' },
      { token: refreshed.access_token },
    );
    expect(api.status).toBe(200);
    await callApi(server, 'API.getMatomoVersion', {}, { token: `${refreshed.access_token}x` });
    await callApi(
      server,
      'API.getMatomoVersion',
      { access_token: refreshed.access_token ?? '' },
      { form: 'index', verb: 'GET' },
    );
    expect((await post('/oauth2/introspect', { token: refreshed.access_token ?? '' })).active).toBe(true);
    await post('/oauth2/revoke', { token: refreshed.refresh_token ?? '' });
    const clientCredentials = await post('/oauth2/token', { grant_type: 'client_credentials' });
    secrets.push(clientCredentials.access_token ?? '');
    await agent.postForm('/logout', readForm(await (await agent.get('/login')).text(), 'Sign out').fields);

    const log = server.logLines().join('\n');
    expect(requestLines().length).toBeGreaterThanOrEqual(14);
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(encodeURIComponent(secret));
    }
  });

  test('one line per request: method, route, status, duration and the id sent back as X-Request-Id', async () => {
    const response = await fetch(`${server.url}/oauth2/token`, { method: 'POST' });
    const id = response.headers.get('X-Request-Id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = requestLines().filter((line) => line.reqId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, method: 'POST', route: '/oauth2/token', status: 400 });
    expect(typeof lines[0]?.durationMs).toBe('number');

    await fetch(`${server.url}/index.php?module=API&method=API.getMatomoVersion`);
    expect(requestLines().at(-1)).toMatchObject({
      route: '/index.php',
      operation: 'API.getMatomoVersion',
      status: 401,
    });
  });

  test('keeps a proxy’s request id when it is a plain token, and replaces any other', async () => {
    const kept = await fetch(`${server.url}/oauth2/jwks`, { headers: { 'X-Request-Id': 'edge-1234-abcd' } });
    expect(kept.headers.get('X-Request-Id')).toBe('edge-1234-abcd');
    const replaced = await fetch(`${server.url}/oauth2/jwks`, {
      headers: { 'X-Request-Id': 'bad id\twith "quotes"' },
    });
    expect(replaced.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('LOG_LEVEL=warn leaves requests out', async () => {
    const quiet = await startTestServer({ logLevel: 'warn' });
    try {
      await fetch(`${quiet.url}/oauth2/jwks`);
      expect(quiet.logLines().filter((line) => line.includes('"msg":"request"'))).toEqual([]);
    } finally {
      await quiet.stop();
    }
  });
});
