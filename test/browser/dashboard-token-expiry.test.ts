// The demo dashboard across an access token's expiry (a server with 60-second access tokens, its
// clock moved on): the SDK refreshes silently and the dashboard keeps working; once the refresh
// token is revoked too, the dashboard says the session has ended and offers to sign in again.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { dashboardPath, dashboardShown, signInToDashboard, storedTokens } from '../support/dashboard-session';
import { ensureDashboardBuilt } from '../support/demo-dashboard';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ demoVisitsPerDay: 20, accessTokenTtl: 60 });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the demo dashboard and token lifetimes', () => {
  test('an expired access token is refreshed silently; a revoked session asks to sign in again', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInToDashboard(page, server);
    const before = await storedTokens(page);

    // The server's clock passes the access token's expiry: the next calls get 401 invalid_token.
    server.clock.advance(61_000);
    await page.selectOption('#period', 'last7');
    await page.waitForFunction(
      () => document.querySelector('#pages-heading')?.textContent === 'Top pages, last 7 days',
    );
    expect(await page.locator('[role=alert]').count()).toBe(0);
    const after = await storedTokens(page);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token); // rotated: a refresh happened

    // A reload after another expiry: still signed in, the dashboard is there.
    server.clock.advance(61_000);
    await page.reload();
    await dashboardShown(page);
    expect(await page.locator('[role=alert]').count()).toBe(0);

    // The login is revoked at the server and the access token expires: the session has ended.
    const current = await storedTokens(page);
    const revoked = await fetch(`${server.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: current.refresh_token, client_id: 'matomo_demo_dashboard' }),
    });
    expect(revoked.status).toBe(200);
    server.clock.advance(61_000);
    await page.selectOption('#segment', 'deviceType==desktop');
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Your session has ended');
    await Promise.all([page.waitForURL(`${server.url}/oauth2/authorize?**`), page.click('#sign-in')]);
    expect(new URL(page.url()).searchParams.get('client_id')).toBe('matomo_demo_dashboard');
    expect(new URL(page.url()).searchParams.get('redirect_uri')).toBe(`${server.url}${dashboardPath}`);
    await context.close();
  });
});
