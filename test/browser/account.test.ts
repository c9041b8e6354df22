// The connected applications page (`/account`) in a real browser (headless Chromium): sign in
// through the demo SPA client, open /account, revoke the app, and its token is refused.
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

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  callback = await startLoopbackServer((_req, res) => {
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

const apiStatus = async (accessToken: string) => {
  const response = await fetch(`${server.url}/api/API.getMatomoVersion`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response.status;
};

async function token(form: Record<string, string>) {
  const response = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'matomo_demo_spa', ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('in Chromium', () => {
  test('sign in through the demo SPA, open /account, revoke: the app’s token is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const redirectUri = `${callback.url}/callback`;
    await page.goto(
      `${server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'matomo_demo_spa',
        redirect_uri: redirectUri,
        scope: 'matomo:read matomo:write',
        state: 'xyz',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
    );
    await page.fill('#login', 'demo');
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);
    await page.check('input[value="matomo:write"]');
    await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click('button[value=allow]')]);
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    const issued = await token({
      grant_type: 'authorization_code',
      redirect_uri: redirectUri,
      code,
      code_verifier: verifier,
    });
    expect(issued.status).toBe(200);
    const tokens = issued.body as { access_token: string; refresh_token: string };
    expect(await apiStatus(tokens.access_token)).toBe(200);

    // The signed-in page leads there.
    await page.goto(`${server.url}/login`);
    if (screenshots) await page.screenshot({ path: join(screenshots, 'signed-in.png') });
    await Promise.all([page.waitForURL(`${server.url}/account`), page.click('a[href="/account"]')]);
    expect(await page.textContent('h1')).toBe('Connected applications');
    const row = page.locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Matomo demo single-page app');
    expect(await row.locator('code.nowrap').textContent()).toBe('matomo:write');
    if (screenshots) await page.screenshot({ path: join(screenshots, 'account.png'), fullPage: true });

    await Promise.all([
      page.waitForURL(`${server.url}/account?revoked=1`),
      page.click('button:has-text("Revoke")'),
    ]);
    expect(await page.textContent('[role=status]')).toContain('Access revoked');
    expect(await page.textContent('main')).toContain('No application has access to your account.');
    if (screenshots) await page.screenshot({ path: join(screenshots, 'account-empty.png'), fullPage: true });

    expect(await apiStatus(tokens.access_token)).toBe(401);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect([refreshed.status, refreshed.body.error]).toEqual([400, 'invalid_grant']);
    await context.close();
  });
});
