import type { Page } from 'playwright-core';
import type { TestServer } from './test-server';

export const dashboardPath = '/demo/';

/**
 * The newcomer's two clicks: "Sign in with Matomo" on the dashboard, then the server's sign-in
 * page (demo / demo) and, unless remembered, its consent page ("Allow"), back to the dashboard.
 */
export async function signInToDashboard(
  page: Page,
  server: TestServer,
  {
    decision = 'allow',
    onPage,
  }: {
    decision?: 'allow' | 'deny';
    /** Called on the server's sign-in and consent pages, before they are filled in (screenshots). */
    onPage?: (step: 'sign-in' | 'consent') => Promise<void>;
  } = {},
): Promise<void> {
  if (new URL(page.url()).pathname !== dashboardPath) await page.goto(`${server.url}${dashboardPath}`);
  await Promise.all([page.waitForURL(`${server.url}/oauth2/authorize?**`), page.click('#sign-in')]);
  if ((await page.locator('#password').count()) > 0) {
    await onPage?.('sign-in');
    await page.fill('#login', 'demo');
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForURL(/\/oauth2\/authorize\?|\/demo\//), page.click('button[type=submit]')]);
  }
  if (new URL(page.url()).pathname !== dashboardPath) {
    await onPage?.('consent');
    await Promise.all([
      page.waitForURL(`${server.url}${dashboardPath}?**`),
      page.click(`button[value=${decision}]`),
    ]);
  }
  if (decision === 'allow') await dashboardShown(page);
}

/** The dashboard is there: who is signed in, the chart, top pages and referrers. */
export async function dashboardShown(page: Page): Promise<void> {
  await page.waitForSelector('#user');
  await page.waitForSelector('svg.chart');
  await page.waitForSelector('#pages-heading');
  await page.waitForSelector('#referrers-heading');
}

/** The tokens the dashboard keeps in localStorage (the SDK's stored token set). */
export async function storedTokens(page: Page): Promise<{ access_token: string; refresh_token: string }> {
  const values = await page.evaluate(() => Object.values(localStorage));
  for (const value of values) {
    try {
      const parsed = JSON.parse(value) as { access_token?: string; refresh_token?: string };
      if (parsed.access_token && parsed.refresh_token)
        return { access_token: parsed.access_token, refresh_token: parsed.refresh_token };
    } catch {
      // not the token set
    }
  }
  throw new Error('no token set in localStorage');
}
