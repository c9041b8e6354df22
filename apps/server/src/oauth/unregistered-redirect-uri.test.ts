// Regression: a redirect_uri the client did not register (Vite opens http://localhost:5173, the demo
// client has http://127.0.0.1/callback) gave a page that said only "This sign-in link is not valid",
// named no URI and logged nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../test/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function authorize(clientId: string, redirectUri: string) {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'matomo:read',
    state: 'abc',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  });
  const response = await fetch(`${server.url}/oauth2/authorize?${query}`, { redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), page: await response.text() };
}

const warnings = () =>
  server
    .logLines()
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'authorize: redirect_uri is not registered for the client');

describe('an unregistered redirect_uri', () => {
  test('localhost for a client registered on 127.0.0.1: the page names the URI and the fix', async () => {
    const { status, location, page } = await authorize('matomo_demo_spa', 'http://localhost:5173/callback');
    expect(status).toBe(400);
    expect(location).toBeNull();
    expect(page).toContain('This sign-in link is not valid');
    expect(page).toContain('http://localhost:5173/callback');
    expect(page).toContain('registered with 127.0.0.1 in place of localhost');
    expect(page).toContain('registered per application (client id)');
  });

  test('any other URI: what to check, and the URI escaped', async () => {
    const uri = 'https://example-app.com/oauth/callback?<script>alert(1)</script>';
    const { status, page } = await authorize('analytics_app', uri);
    expect(status).toBe(400);
    expect(page).toContain('https://example-app.com/oauth/callback?&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('localhost and 127.0.0.1 are different addresses');
  });

  test('logs one warning with the client id and the URI, bound to the request id', async () => {
    const before = warnings().length;
    await authorize('matomo_demo_spa', 'http://localhost:5174/cb');
    const logged = warnings().slice(before);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 40,
        clientId: 'matomo_demo_spa',
        redirectUri: 'http://localhost:5174/cb',
        reqId: expect.any(String),
      }),
    ]);
  });

  test('an unknown client logs no such warning (nothing to compare the URI with)', async () => {
    const before = warnings().length;
    const { page } = await authorize('nobody', 'http://localhost:5173/callback');
    expect(page).toContain('not registered with this Matomo');
    expect(warnings().length).toBe(before);
  });
});
