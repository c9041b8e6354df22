// The plugin README's flows, sent as its curl commands send them (only the host differs).
import { authorizeThroughPages, createAgent, rfcChallenge, rfcVerifier } from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const tokenUrl = () => `${server.url}/index.php?module=OAuth2&action=token`;

/** `curl -X POST URL -H 'Content-Type: application/x-www-form-urlencoded' -d a=b -d c=d` */
async function curlPost(url: string, data: string[], headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: data.join('&'),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, string>,
  };
}

/** Step 2 of the README, both examples, through the real sign-in and consent pages. */
async function authorize(pkce: boolean): Promise<URL> {
  const query = [
    'response_type=code',
    'client_id=analytics_app',
    'redirect_uri=https://example-app.com/oauth/callback',
    'scope=matomo:read',
    'state=abc123',
    ...(pkce ? [`code_challenge=${rfcChallenge}`, 'code_challenge_method=S256'] : []),
  ].join('&');
  return authorizeThroughPages(createAgent(server.url), `/index.php?module=OAuth2&action=authorize&${query}`);
}

describe('the plugin README, as written', () => {
  test('authorization code, confidential client: redirect with code and state, then the token request', async () => {
    const location = await authorize(false);
    expect(`${location.origin}${location.pathname}`).toBe('https://example-app.com/oauth/callback');
    expect(location.searchParams.get('state')).toBe('abc123');
    const code = location.searchParams.get('code') ?? '';

    const tokens = await curlPost(tokenUrl(), [
      'grant_type=authorization_code',
      'client_id=analytics_app',
      'client_secret=7fa9c0f81b8b4a12',
      'redirect_uri=https://example-app.com/oauth/callback',
      `code=${code}`,
    ]);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'matomo:read' });
    expect(tokens.body.access_token).toMatch(/^eyJ/);
    expect(tokens.body.refresh_token).toBeTruthy();
    expect(tokens.headers.get('Cache-Control')).toBe('no-store');
    expect(tokens.headers.get('Pragma')).toBe('no-cache');
  });

  test('authorization code with the RFC 7636 example verifier and challenge', async () => {
    const location = await authorize(true);
    const code = location.searchParams.get('code') ?? '';
    const request = [
      'grant_type=authorization_code',
      'client_id=analytics_app',
      'redirect_uri=https://example-app.com/oauth/callback',
      `code=${code}`,
      `code_verifier=${rfcVerifier}`,
    ];
    // Sent exactly as the README's "PKCE Token Request": analytics_app is a confidential client
    // (it has a secret), and a confidential client must authenticate (RFC 6749 §3.2.1), so the
    // request as written is refused, and the code is not burnt by it.
    const unauthenticated = await curlPost(tokenUrl(), request);
    expect([unauthenticated.status, unauthenticated.body.error]).toEqual([401, 'invalid_client']);
    // With the client's secret added, the PKCE exchange succeeds.
    const tokens = await curlPost(tokenUrl(), [...request, 'client_secret=7fa9c0f81b8b4a12']);
    expect(tokens.status).toBe(200);
    expect(tokens.body.scope).toBe('matomo:read');
  });

  test('the public-client PKCE flow, with the demo public client', async () => {
    const redirectUri = 'http://127.0.0.1:3000/callback';
    const location = await authorizeThroughPages(
      createAgent(server.url),
      `/index.php?module=OAuth2&action=authorize&response_type=code&client_id=matomo_demo_spa&redirect_uri=${redirectUri}&scope=matomo:read&state=abc123&code_challenge=${rfcChallenge}&code_challenge_method=S256`,
    );
    const tokens = await curlPost(tokenUrl(), [
      'grant_type=authorization_code',
      'client_id=matomo_demo_spa',
      `redirect_uri=${redirectUri}`,
      `code=${location.searchParams.get('code')}`,
      `code_verifier=${rfcVerifier}`,
    ]);
    expect(tokens.status).toBe(200);
    // "Refresh Token — Public Client (PKCE)"
    const refreshed = await curlPost(tokenUrl(), [
      'grant_type=refresh_token',
      'client_id=matomo_demo_spa',
      `refresh_token=${tokens.body.refresh_token}`,
    ]);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
  });

  test('client credentials, then the README’s token response shape', async () => {
    const tokens = await curlPost(tokenUrl(), [
      'grant_type=client_credentials',
      'client_id=analytics_app',
      'client_secret=7fa9c0f81b8b4a12',
      'scope=matomo:read',
    ]);
    expect(tokens.status).toBe(200);
    expect(Object.keys(tokens.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(tokens.body.token_type).toBe('Bearer');
  });

  test('refresh token, confidential client', async () => {
    const location = await authorize(false);
    const first = await curlPost(tokenUrl(), [
      'grant_type=authorization_code',
      'client_id=analytics_app',
      'client_secret=7fa9c0f81b8b4a12',
      'redirect_uri=https://example-app.com/oauth/callback',
      `code=${location.searchParams.get('code')}`,
    ]);
    const refreshed = await curlPost(tokenUrl(), [
      'grant_type=refresh_token',
      'client_id=analytics_app',
      'client_secret=7fa9c0f81b8b4a12',
      `refresh_token=${first.body.refresh_token}`,
    ]);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
  });
});
