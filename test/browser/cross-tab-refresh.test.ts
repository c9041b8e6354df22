// Two tabs of one origin in headless Chromium need a refresh at the same moment: exactly one
// refresh request, both end up with the same valid tokens, and the grant stays alive.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startLoopbackServer } from '../support/loopback-server';
import { loginWithSdk } from '../support/sdk-login';
import { startTestServer, type TestServer } from '../support/test-server';

const sdkEntry = fileURLToPath(new URL('../../packages/sdk/src/index.ts', import.meta.url));
// The BroadcastChannel lock for browsers without Web Locks lives on its own subpath.
const lockEntry = fileURLToPath(new URL('../../packages/sdk/src/broadcast-lock.ts', import.meta.url));

let server: TestServer;
let browser: Browser;
let app: Awaited<ReturnType<typeof startLoopbackServer>>;

beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 5 });
  const bundle = await build({
    stdin: {
      contents: `export * from ${JSON.stringify(sdkEntry)}; export * from ${JSON.stringify(lockEntry)};`,
      loader: 'ts',
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    },
    bundle: true,
    format: 'iife',
    globalName: 'MatomoOAuth2',
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

async function count(event: string, grantType?: string): Promise<number> {
  await server.flushAuditLog();
  const rows = await server.db.selectFrom('audit_log').select('detail').where('event', '=', event).execute();
  return rows.filter(
    (row) =>
      grantType === undefined || (JSON.parse(row.detail) as { grant_type?: string }).grant_type === grantType,
  ).length;
}

interface TabState {
  refreshRequests: number;
  accessToken: string;
  sources: string[];
}

/** Opens a tab of the app with a browser login on shared localStorage. */
async function openTab(context: BrowserContext, fallbackLock: boolean): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${app.url}/`);
  await page.evaluate(
    ({ baseUrl, fallback }) => {
      const sdk = (
        window as unknown as {
          MatomoOAuth2: typeof import('@matomo-oauth2/sdk') &
            typeof import('@matomo-oauth2/sdk/broadcast-lock');
        }
      ).MatomoOAuth2;
      const state = { refreshRequests: 0, sources: [] as string[] };
      const login = sdk.createBrowserLogin({
        baseUrl,
        clientId: 'matomo_demo_spa',
        redirectUri: `${location.origin}/callback`,
        storage: 'localStorage',
        ...(fallback
          ? {
              crossTab: sdk.createTabCoordinator('matomo-oauth2:matomo_demo_spa', {
                locks: null,
                fallbackLock: sdk.createBroadcastLock,
              }),
            }
          : {}),
        fetch: async (request: Request) => {
          if (request.url.endsWith('/oauth2/token')) state.refreshRequests++;
          return fetch(request);
        },
      });
      login.tokens.on('tokens', (_tokens, source) => state.sources.push(source));
      Object.assign(window, { login, tabState: state });
    },
    { baseUrl: server.url, fallback: fallbackLock },
  );
  return page;
}

function tabState(page: Page): Promise<Omit<TabState, 'accessToken'>> {
  return page.evaluate(() => (window as unknown as { tabState: Omit<TabState, 'accessToken'> }).tabState);
}

async function scenario(fallbackLock: boolean) {
  const context = await browser.newContext();
  // Signed in once (through the SDK and the real pages); the access token has since expired.
  const { tokens, login: nodeLogin } = await loginWithSdk(server);
  nodeLogin.close();
  const [first, second] = [await openTab(context, fallbackLock), await openTab(context, fallbackLock)];
  await first.evaluate(
    async (set) => {
      await (
        window as unknown as { login: import('@matomo-oauth2/sdk').BrowserLogin }
      ).login.tokens.setTokens(set);
    },
    { ...tokens, expires_at: Date.now() - 1000 },
  );

  const refreshesBefore = await count('token.issued', 'refresh_token');
  const reuseBefore = await count('refresh_token.reuse_detected');

  // Both tabs need a token at the same moment.
  const getToken = (page: Page) =>
    page.evaluate(() =>
      (window as unknown as { login: import('@matomo-oauth2/sdk').BrowserLogin }).login.getAccessToken(),
    );
  const [tokenA, tokenB] = await Promise.all([getToken(first), getToken(second)]);

  const [stateA, stateB] = [await tabState(first), await tabState(second)];
  expect(stateA.refreshRequests + stateB.refreshRequests).toBe(1);
  expect((await count('token.issued', 'refresh_token')) - refreshesBefore).toBe(1);
  expect((await count('refresh_token.reuse_detected')) - reuseBefore).toBe(0);
  expect(tokenA).toBe(tokenB);
  expect(tokenA).not.toBe(tokens.access_token);
  // The tab that did not refresh got the tokens from the other one.
  expect([...stateA.sources, ...stateB.sources]).toEqual(expect.arrayContaining(['refresh']));

  // Both tabs' token works, and the grant is alive: the other tab can refresh next time.
  const api = await fetch(`${server.url}/api/API.getMatomoVersion`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokenA}` },
  });
  expect(api.status).toBe(200);
  const refreshed = await second.evaluate(async () => {
    const { login } = window as unknown as { login: import('@matomo-oauth2/sdk').BrowserLogin };
    const set = await login.tokens.refresh();
    return set.access_token;
  });
  expect(refreshed).not.toBe(tokenA);
  const afterwards = await fetch(`${server.url}/api/API.getMatomoVersion`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${refreshed}` },
  });
  expect(afterwards.status).toBe(200);
  expect((await count('refresh_token.reuse_detected')) - reuseBefore).toBe(0);
  // And the first tab now uses the second tab's new token.
  await expect.poll(() => getToken(first)).toBe(refreshed);
  await context.close();
}

describe('cross-tab refresh in Chromium', () => {
  test('with Web Locks', async () => {
    await scenario(false);
  });

  test('with the BroadcastChannel fallback lock', async () => {
    await scenario(true);
  });

  test('Web Locks are really there (the first test did not fall back)', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    expect(await page.evaluate(() => typeof navigator.locks?.request)).toBe('function');
    await page.close();
  });
});
