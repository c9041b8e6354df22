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
});
