// The SDK's OpenID Connect login running in a page of headless Chromium, against the real server:
// login() with a nonce, the real sign-in and consent pages, getUser(), isAuthenticated(), and
// logout({ endSession: true }) through the end-session endpoint back to the app.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startLoopbackServer } from '../support/loopback-server';
import { startTestServer, type TestServer } from '../support/test-server';

const openidEntry = fileURLToPath(new URL('../../packages/sdk/src/openid.ts', import.meta.url));

let server: TestServer;
let browser: Browser;
let app: Awaited<ReturnType<typeof startLoopbackServer>>;

beforeAll(async () => {
  server = await startTestServer();
  const bundle = await build({
    entryPoints: [openidEntry],
    bundle: true,
    format: 'iife',
    globalName: 'MatomoOpenId',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  app = await startLoopbackServer((req, res) => {
    if (req.url === '/sdk.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(script);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><meta charset="utf-8"><title>App</title><script src="/sdk.js"></script>');
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.stop();
});

type Sdk = typeof import('@matomo-oauth2/sdk/openid');

/** Creates the app's login in the page (as the app would on every load). */
async function setUpLogin(page: Page): Promise<void> {
  await page.evaluate((baseUrl) => {
    const sdk = (window as unknown as { MatomoOpenId: Sdk }).MatomoOpenId;
    const login = sdk.createOpenIdLogin({
      baseUrl,
      clientId: 'matomo_demo_spa',
      redirectUri: `${location.origin}/callback`,
      scope: 'matomo:read openid profile email',
      storage: 'localStorage',
    });
    Object.assign(window, { login });
  }, server.url);
}

type InPage = { login: ReturnType<Sdk['createOpenIdLogin']> };

describe('in Chromium', () => {
  test('sign in, know the user, then sign out of the server through the end-session endpoint', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(`${app.url}/`);
    await setUpLogin(page);
    expect(await page.evaluate(() => (window as unknown as InPage).login.isAuthenticated())).toBe(false);

    // login(): to the server's pages, then back to /callback.
    await Promise.all([
      page.waitForURL(`${server.url}/oauth2/authorize?**`),
      page.evaluate(() => (window as unknown as InPage).login.login({ returnTo: '/reports' })),
    ]);
    expect(new URL(page.url()).searchParams.get('nonce')).toMatch(/^[\w-]{22,}$/);
    await page.fill('#login', 'demo');
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);
    await Promise.all([page.waitForURL(`${app.url}/callback?**`), page.click('button[value=allow]')]);
    await setUpLogin(page);
    const signedIn = await page.evaluate(async () => {
      const { login } = window as unknown as InPage;
      const { returnTo } = await login.handleRedirectCallback();
      return {
        returnTo,
        address: location.href,
        authenticated: await login.isAuthenticated(),
        user: await login.getUser(),
        userInfo: await login.getUserInfo(),
      };
    });
    expect(signedIn.returnTo).toBe('/reports');
    expect(signedIn.address).toBe(`${app.url}/callback`);
    expect(signedIn.authenticated).toBe(true);
    expect(signedIn.user).toMatchObject({ iss: server.issuer, sub: 'demo', aud: 'matomo_demo_spa' });
    expect(signedIn.userInfo).toEqual({
      sub: 'demo',
      preferred_username: 'demo',
      name: 'demo',
      email: 'demo@example.org',
      email_verified: false,
    });

    // A reload keeps the user signed in, from storage alone.
    await page.goto(`${app.url}/reports`);
    await setUpLogin(page);
    expect(await page.evaluate(() => (window as unknown as InPage).login.isAuthenticated())).toBe(true);

    // logout({ endSession: true }): revoked, forgotten, the server's session ended, back to the app.
    await Promise.all([
      page.waitForURL(`${app.url}/?state=**`),
      page.evaluate(
        (uri) => (window as unknown as InPage).login.logout({ endSession: true, postLogoutRedirectUri: uri }),
        `${app.url}/`,
      ),
    ]);
    await setUpLogin(page);
    expect(await page.evaluate(() => (window as unknown as InPage).login.isAuthenticated())).toBe(false);
    expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
    // The next login asks for the password.
    await Promise.all([
      page.waitForURL(`${server.url}/oauth2/authorize?**`),
      page.evaluate(() => (window as unknown as InPage).login.login()),
    ]);
    expect(await page.locator('#password').count()).toBe(1);
    await context.close();
  });
});
