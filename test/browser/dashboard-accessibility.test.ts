// The demo dashboard against axe-core's WCAG 2.0/2.1 A and AA rules, signed out and signed in,
// in light and dark colour schemes.
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { dashboardPath, signInToDashboard } from '../support/dashboard-session';
import { ensureDashboardBuilt } from '../support/demo-dashboard';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureDashboardBuilt();
  server = await startTestServer({ demoVisitsPerDay: 20 });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** What axe-core found, one line per violation and element. */
async function violationsOn(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugger protocol: the page's CSP (no inline script) does not apply.
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  );
  return result.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${violation.id} at ${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
    ),
  );
}

describe('the demo dashboard, axe-core WCAG 2.1 AA', () => {
  test.each(['light', 'dark'] as const)('%s: signed out, signed in, denied consent', async (colorScheme) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(`${server.url}${dashboardPath}`);
    await page.waitForSelector('#sign-in');
    expect(await violationsOn(page)).toEqual([]);

    await signInToDashboard(page, server, { decision: 'deny' });
    await page.waitForSelector('[role=alert]');
    expect(await violationsOn(page)).toEqual([]);

    await signInToDashboard(page, server);
    expect(await violationsOn(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(
      () => (document.querySelector('svg.chart')?.getAttribute('viewBox') ?? '').length > 0,
    );
    expect(await violationsOn(page)).toEqual([]);
    await context.close();
  });
});
