// OpenID Connect pages in a real browser (headless Chromium): the consent page with identity
// scopes, the ID token it leads to, and RP-initiated logout with and without an id_token_hint.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startLoopbackServer } from '../support/loopback-server';
import { startTestServer, type TestServer } from '../support/test-server';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const screenshots = process.env.SCREENSHOT_DIR;

let server: TestServer;
let browser: Browser;
let app: Awaited<ReturnType<typeof startLoopbackServer>>;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  app = await startLoopbackServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>App</title><p>The application.</p>');
  });
  if (screenshots) mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.stop();
});

function authorizeUrl(params: Record<string, string> = {}): string {
  return `${server.url}/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'matomo_demo_spa',
    redirect_uri: `${app.url}/callback`,
    scope: 'openid profile email matomo:read',
    state: 'xyz',
    nonce: 'n-0S6_WzA2Mj',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...params,
  })}`;
}

/** Signs in as demo and allows: the ID token of the code. */
async function signInAndAllow(page: Page, shot?: string): Promise<string> {
  await page.goto(authorizeUrl());
  await page.fill('#login', 'demo');
  await page.fill('#password', 'demo');
  await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);
  if (shot && screenshots) await page.screenshot({ path: join(screenshots, shot), fullPage: true });
  await Promise.all([page.waitForURL(`${app.url}/callback?**`), page.click('button[value=allow]')]);
  const code = new URL(page.url()).searchParams.get('code') ?? '';
  const response = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'matomo_demo_spa',
      redirect_uri: `${app.url}/callback`,
      code,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as { id_token?: string; scope: string };
  expect(body.scope).toBe('matomo:read openid profile email');
  return body.id_token ?? '';
}

/** Whether the browser's session still lives: the authorization endpoint asks for a password once it has ended. */
async function signedIn(page: Page): Promise<boolean> {
  await page.goto(authorizeUrl());
  return (await page.locator('#password').count()) === 0;
}

describe('in Chromium', () => {
  test('the consent page says what the identity scopes reveal; the ID token carries the nonce', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl());
    await page.fill('#login', 'demo');
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);
    const identity = await page.locator('ul.identity li').allTextContents();
    expect(identity).toEqual([
      'Know who you are: your Matomo login.',
      'See your name.',
      'See your email address.',
    ]);
    if (screenshots) await page.screenshot({ path: join(screenshots, 'consent-openid.png'), fullPage: true });
    await context.close();

    const again = await browser.newContext();
    const idToken = await signInAndAllow(await again.newPage());
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'demo', aud: 'matomo_demo_spa', nonce: 'n-0S6_WzA2Mj' });
    await again.close();
  });

  test('logout with an id_token_hint ends the session and returns to the app with state', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const idToken = await signInAndAllow(page);
    await page.goto(
      `${server.url}/oauth2/logout?${new URLSearchParams({
        id_token_hint: idToken,
        post_logout_redirect_uri: `${app.url}/`,
        state: 'bye',
      })}`,
    );
    expect(page.url()).toBe(`${app.url}/?state=bye`);
    expect(await signedIn(page)).toBe(false);
    await context.close();
  });

  test('logout without a hint asks first; "Sign out" ends the session and returns to the app', async () => {
    const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInAndAllow(page);
    await page.goto(
      `${server.url}/oauth2/logout?${new URLSearchParams({
        client_id: 'matomo_demo_spa',
        post_logout_redirect_uri: `${app.url}/`,
        state: 'bye',
      })}`,
    );
    expect(await page.textContent('h1')).toBe('Sign out of Matomo?');
    expect(await page.textContent('main')).toContain('Matomo demo single-page app');
    if (screenshots) await page.screenshot({ path: join(screenshots, 'logout-confirm.png'), fullPage: true });
    await Promise.all([page.waitForURL(`${app.url}/?state=bye`), page.click('button[value=yes]')]);
    expect(await signedIn(page)).toBe(false);
    await context.close();
  });

  test('a form of another site posting to /oauth2/logout ends the session (on as a GET with the cookie)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const idToken = await signInAndAllow(page);
    // The application's page, on another site than the server (localhost, not 127.0.0.1).
    const other = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><title>Sign out</title>
<form method="post" action="${server.url}/oauth2/logout">
  <input type="hidden" name="id_token_hint" value="${idToken}">
  <input type="hidden" name="post_logout_redirect_uri" value="${app.url}/">
  <input type="hidden" name="state" value="bye">
  <button type="submit">Sign out</button>
</form>`);
    });
    try {
      await page.goto(other.url.replace('127.0.0.1', 'localhost'));
      await Promise.all([page.waitForURL(`${app.url}/?state=bye`), page.click('button')]);
      expect(await signedIn(page)).toBe(false);
    } finally {
      await other.close();
    }
    await context.close();
  });

  test('remembered consent skips the page; prompt=login asks for the password, prompt=consent for consent', async () => {
    const context = await browser.newContext();
    // The confidential demo client's redirect URI is not reachable from here: the test reads where
    // the browser is sent (the request), each time in a new tab of the same browser.
    const sentBack = async (steps: (page: Page) => Promise<unknown>): Promise<URL> => {
      const page = await context.newPage();
      const [request] = await Promise.all([
        page.waitForRequest((candidate) => candidate.url().startsWith('https://example-app.com/'), {
          timeout: 10_000,
        }),
        // The navigation to the app fails (no network): only that error is expected.
        steps(page).catch((error: Error) => {
          if (!/ERR_NAME_NOT_RESOLVED|ERR_|interrupted/.test(error.message)) throw error;
        }),
      ]);
      await page.close();
      return new URL(request.url());
    };
    const url = (params: Record<string, string> = {}) =>
      `${server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'analytics_app',
        redirect_uri: 'https://example-app.com/oauth/callback',
        scope: 'openid matomo:read',
        state: 'abc',
        ...params,
      })}`;
    const signIn = async (page: Page) => {
      await page.fill('#login', 'demo');
      await page.fill('#password', 'demo');
    };

    const first = await sentBack(async (page) => {
      await page.goto(url());
      await signIn(page);
      await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);
      await page.click('button[value=allow]');
    });
    // The code is redeemed, so the grant lives.
    const redeemed = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: first.searchParams.get('code') ?? '',
        redirect_uri: 'https://example-app.com/oauth/callback',
        client_id: 'analytics_app',
        client_secret: '7fa9c0f81b8b4a12',
      }),
    });
    expect(redeemed.status).toBe(200);

    // Again: straight back to the app, no page.
    const again = await sentBack((page) => page.goto(url({ state: 'again' })));
    expect(again.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
    expect(again.searchParams.get('state')).toBe('again');

    // prompt=consent: the consent page.
    const consentPage = await context.newPage();
    await consentPage.goto(url({ prompt: 'consent' }));
    expect(await consentPage.textContent('h1')).toContain('is requesting access');
    await consentPage.close();

    // prompt=login: the password, then (consent remembered) back to the app.
    const afterLogin = await sentBack(async (page) => {
      await page.goto(url({ prompt: 'login', state: 'login' }));
      expect(await page.locator('#password').count()).toBe(1);
      // A wrong password first: the form shown again (by /login) still leads on to the app.
      await page.fill('#login', 'demo');
      await page.fill('#password', 'not-the-password');
      await Promise.all([page.waitForURL(`${server.url}/login`), page.click('button[type=submit]')]);
      expect(await page.textContent('main')).toContain('Wrong username or password.');
      await signIn(page);
      await page.click('button[type=submit]');
    });
    expect(afterLogin.searchParams.get('state')).toBe('login');
    expect(afterLogin.searchParams.has('code')).toBe(true);
    await context.close();
  });
});
