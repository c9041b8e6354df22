// The demo dashboard (apps/demo), served by the server at /demo/ in demo mode, in headless Chromium:
// the newcomer's two clicks to a signed-in dashboard, denied consent, a network error, sign-out
// that ends the session at the server, two tabs, and screenshots for the README.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { dashboardPath, dashboardShown, signInToDashboard, storedTokens } from '../support/dashboard-session';
import { ensureDashboardBuilt } from '../support/demo-dashboard';
import { startTestServer, type TestServer } from '../support/test-server';

const artifacts =
  process.env.SCREENSHOT_DIR ?? fileURLToPath(new URL('../test-artifacts/dashboard/', import.meta.url));

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ demoVisitsPerDay: 40 });
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(options: BrowserContextOptions = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { context, page, errors };
}

describe('the demo dashboard at /demo/', () => {
  test('sign in with consent: who, the sites, the chart, top pages and referrers; the pickers reload', async () => {
    const { context, page, errors } = await newPage();
    const response = await page.goto(`${server.url}${dashboardPath}`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('#sign-in');
    await signInToDashboard(page, server);
    expect(page.url()).toBe(`${server.url}${dashboardPath}`);
    expect(await page.textContent('#user')).toBe('Signed in as demo');
    expect(await page.textContent('.sites')).toContain('Demo Shop');
    expect(await page.textContent('.sites')).toContain('Tokyo Travel Blog');
    // The chart: 30 days of points, axes with labels, a title.
    expect(await page.locator('svg.chart circle.dot').count()).toBe(30);
    expect(await page.locator('svg.chart text.tick').count()).toBeGreaterThan(5);
    expect(await page.textContent('svg.chart title#chart-title')).toContain('Visits per day, last 30 days');
    expect(await page.locator('#pages-heading + table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#referrers-heading + table tbody tr').count()).toBeGreaterThan(0);

    // The segment picker and the period picker ask again.
    const total = async () => Number((await page.textContent('#chart-desc'))?.split(' ')[0]);
    const allDevices = await total();
    await page.selectOption('#segment', 'deviceType==smartphone');
    await page.waitForFunction(() =>
      document.querySelector('#visits-heading')?.textContent?.includes('smartphone'),
    );
    // Fewer visits from smartphones alone than from all devices: the segment went to the API.
    expect(await total()).toBeLessThan(allDevices);
    expect(await total()).toBeGreaterThan(0);
    await page.selectOption('#period', 'last7');
    await page.waitForFunction(
      () => document.querySelector('#pages-heading')?.textContent === 'Top pages, last 7 days',
    );
    await page.selectOption('#site', '2');
    await page.waitForFunction(() =>
      document.querySelector('#visits-heading')?.textContent?.includes('Tokyo Travel Blog'),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  test('denied consent: a clear message and a way to sign in again', async () => {
    const { context, page } = await newPage();
    await page.goto(`${server.url}${dashboardPath}`);
    await signInToDashboard(page, server, { decision: 'deny' });
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Access not allowed');
    expect(await alert.textContent()).toContain('choose “Allow”');
    expect(page.url()).toBe(`${server.url}${dashboardPath}`);
    expect(await page.locator('#sign-in').textContent()).toBe('Sign in again');
    await context.close();
  });

  test('a network error says so, and "Try again" recovers', async () => {
    const { context, page } = await newPage();
    await signInToDashboard(page, server);
    await context.route('**/index.php', (route) => route.abort('internetdisconnected'));
    await page.selectOption('#period', 'yesterday');
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The server could not be reached');
    await context.unroute('**/index.php');
    await page.click('#retry');
    await dashboardShown(page);
    await context.close();
  });

  test('sign out ends the session at the server: the old tokens fail, the next sign-in asks for the password', async () => {
    const { context, page } = await newPage();
    await signInToDashboard(page, server);
    const old = await storedTokens(page);
    await Promise.all([page.waitForURL(`${server.url}${dashboardPath}?state=**`), page.click('#sign-out')]);
    await page.waitForSelector('#sign-in');
    expect(await page.textContent('.notice')).toContain('You are signed out');
    expect(page.url()).toBe(`${server.url}${dashboardPath}`);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    const api = await fetch(`${server.url}/index.php`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${old.access_token}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'module=API&method=SitesManager.getSitesWithAtLeastViewAccess&format=json',
    });
    expect(api.status).toBe(401);
    const refresh = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: old.refresh_token,
        client_id: 'matomo_demo_dashboard',
      }),
    });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');

    await Promise.all([page.waitForURL(`${server.url}/oauth2/authorize?**`), page.click('#sign-in')]);
    expect(await page.locator('#password').count()).toBe(1);
    await context.close();
  });

  test('two tabs: the second is signed in too, and signing out in one signs out the other', async () => {
    const { context, page: first } = await newPage();
    await signInToDashboard(first, server);
    const second = await context.newPage();
    await second.goto(`${server.url}${dashboardPath}`);
    await dashboardShown(second);
    expect(await second.textContent('#user')).toBe('Signed in as demo');
    await Promise.all([first.waitForURL(`${server.url}${dashboardPath}?state=**`), first.click('#sign-out')]);
    await second.waitForSelector('#sign-in');
    expect(await second.textContent('.notice')).toContain('signed out in another tab');
    await context.close();
  });

  test('screenshots of the dashboard, sign-in and consent pages: desktop and phone, light and dark', async () => {
    const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
    for (const [size, viewport] of Object.entries(sizes)) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { context, page } = await newPage({ viewport, colorScheme, deviceScaleFactor: 1 });
        // The server's own pages on the way, as a newcomer sees them.
        await signInToDashboard(page, server, {
          onPage: async (step) => {
            // The page has just been reached by a redirect: let it finish loading first.
            await page.waitForLoadState('load');
            await page.screenshot({ path: join(artifacts, `${step}-${size}-${colorScheme}.png`) });
          },
        });
        // Nothing sticks out sideways at phone width.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        );
        await page.screenshot({
          path: join(artifacts, `dashboard-${size}-${colorScheme}.png`),
          fullPage: true,
        });
        await context.close();
      }
    }
  }, 60_000);
});
