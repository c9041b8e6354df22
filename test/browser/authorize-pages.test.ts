// The sign-in and consent pages in a real browser (headless Chromium).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startLoopbackServer } from '../support/loopback-server';
import { startTestServer, type TestServer } from '../support/test-server';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const screenshots = process.env.SCREENSHOT_DIR;

let server: TestServer;
let browser: Browser;
let callback: Awaited<ReturnType<typeof startLoopbackServer>>;
const received: URL[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  callback = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') received.push(url);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Callback</title><p>Signed in.</p>');
  });
  if (screenshots) mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await server?.stop();
});

function authorizeUrl(scope: string, path = '/oauth2/authorize?') {
  return `${server.url}${path}${new URLSearchParams({
    response_type: 'code',
    client_id: 'matomo_demo_spa',
    redirect_uri: `${callback.url}/callback`,
    scope,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })}`;
}

describe('in Chromium', () => {
  test('sign in, choose a scope, allow: the app receives a code that redeems', async () => {
    const page = await browser.newPage();
    await page.goto(authorizeUrl('matomo:read matomo:write'));
    expect(await page.textContent('h1')).toBe('Sign in to Matomo');
    expect(await page.textContent('main')).toContain('Matomo demo single-page app');
    if (screenshots) await page.screenshot({ path: join(screenshots, 'sign-in.png') });

    await page.fill('#login', 'demo');
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);

    expect(await page.textContent('h1')).toContain('is requesting access to your Matomo account');
    const radios = page.locator('input[type=radio][name=selected_scope]');
    expect(await radios.count()).toBe(2);
    expect(await page.isChecked('input[value="matomo:read"]')).toBe(true);
    if (screenshots) await page.screenshot({ path: join(screenshots, 'consent.png') });

    await page.check('input[value="matomo:write"]');
    await Promise.all([page.waitForURL(`${callback.url}/callback?**`), page.click('button[value=allow]')]);
    const location = received.at(-1);
    expect(location?.searchParams.get('state')).toBe('xyz');
    expect(location?.searchParams.get('iss')).toBe(server.issuer);

    const tokens = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'matomo_demo_spa',
        redirect_uri: `${callback.url}/callback`,
        code: location?.searchParams.get('code') ?? '',
        code_verifier: verifier,
      }),
    });
    expect(tokens.status).toBe(200);
    expect(((await tokens.json()) as { scope: string }).scope).toBe('matomo:write');
    await page.close();
  });

  test('deny: the app receives access_denied', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl('matomo:read', '/index.php?module=OAuth2&action=authorize&'));
    await page.fill('#login', 'demo');
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForURL(/action=authorize/), page.click('button[type=submit]')]);
    await Promise.all([page.waitForURL(`${callback.url}/callback?**`), page.click('button[value=deny]')]);
    expect(received.at(-1)?.searchParams.get('error')).toBe('access_denied');
    await context.close();
  });

  test('a wrong password shows the error on the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill('#login', 'demo');
    await page.fill('#password', 'not-the-password');
    await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
    expect(await page.textContent('[role=alert]')).toBe('Wrong username or password.');
    await context.close();
  });

  test('another site cannot frame the pages (clickjacking)', async () => {
    const attacker = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><iframe id="f" src="${authorizeUrl('matomo:read')}"></iframe>`);
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(attacker.url);
      await page.waitForTimeout(500);
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      const framed = frame ? await frame.$('#login').catch(() => null) : null;
      expect(framed).toBeNull();
      await context.close();
    } finally {
      await attacker.close();
    }
  });
});
