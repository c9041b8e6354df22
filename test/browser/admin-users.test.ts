// The users and audit admin pages in a real browser (headless Chromium): a super user creates a
// user and gives them view access to one website; that user signs in through an OAuth client and
// sees only that website through the API; the audit log shows what happened, and no password.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startLoopbackServer } from '../support/loopback-server';
import { adminPassword, startTestServer, type TestServer } from '../support/test-server';

const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const screenshots = process.env.SCREENSHOT_DIR;
const viewport = { width: 1280, height: 800 };

const newUser = { login: 'site2.viewer', email: 'viewer@example.org', password: 'amber falcon meadow 7' };

let server: TestServer;
let browser: Browser;
let admin: BrowserContext;
let callback: Awaited<ReturnType<typeof startLoopbackServer>>;
const received: URL[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  admin = await browser.newContext({ viewport });
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

/** Submits the form holding `button` and waits for the page it leads to. */
async function submit(page: Page, button: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(button)]);
}

/** The audit table's rows, each cell's text. */
async function auditRows(page: Page): Promise<string[][]> {
  return page.$$eval('table.audit tbody tr', (rows) =>
    rows.map((row) =>
      [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()),
    ),
  );
}

describe('in Chromium, as the super user', () => {
  let accessToken = '';
  let code = '';

  test('create a user and give them view access to one website', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/admin/users`);
    // Signed out: the sign-in page, which comes back here.
    expect(await page.textContent('h1')).toBe('Sign in to Matomo');
    await page.fill('#login', 'admin');
    await page.fill('#password', adminPassword);
    await submit(page, 'button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    expect(await page.textContent('h1')).toBe('Users');

    await submit(page, 'a:has-text("New user")');
    expect(await page.textContent('.field:has(#password) .hint')).toContain('At least 12 characters');
    await page.fill('#login', newUser.login);
    await page.fill('#email', newUser.email);
    await page.fill('#password', newUser.password);
    await page.fill('#passwordConfirmation', adminPassword);
    await submit(page, 'button:has-text("Create user")');
    expect(new URL(page.url()).pathname).toBe(`/admin/users/${encodeURIComponent(newUser.login)}`);
    expect(await page.textContent('.notice')).toContain('User created.');

    // Every site starts at "No access"; view access to the second one only.
    for (const idsite of [1, 2, 3]) expect(await page.inputValue(`#access-${idsite}`)).toBe('none');
    await page.selectOption('#access-2', 'view');
    await page.fill('#access-passwordConfirmation', adminPassword);
    await submit(page, 'button:has-text("Save access")');
    expect(await page.textContent('.notice')).toContain('Access saved.');
    expect(await page.inputValue('#access-2')).toBe('view');
    expect(await page.inputValue('#access-1')).toBe('none');

    await page.goto(`${server.url}/admin/users`);
    const row = page.locator('tr', { has: page.locator(`a:text-is("${newUser.login}")`) });
    expect(await row.textContent()).toContain('1 site: 1 view');
    if (screenshots) await page.screenshot({ path: join(screenshots, 'admin-users.png') });
    await page.close();
  });

  test('the user signs in through an OAuth client (code + PKCE) and sees only that website through the API', async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const redirectUri = `${callback.url}/callback`;
    await page.goto(
      `${server.url}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'matomo_demo_spa',
        redirect_uri: redirectUri,
        scope: 'matomo:read',
        state: 'admin-users',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
    );
    await page.fill('#login', newUser.login);
    await page.fill('#password', newUser.password);
    await submit(page, 'button[type=submit]');
    await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click('button[value=allow]')]);
    code = received.at(-1)?.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    await context.close();

    const tokens = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'matomo_demo_spa',
        redirect_uri: redirectUri,
        code,
        code_verifier: verifier,
      }),
    });
    expect(tokens.status).toBe(200);
    accessToken = ((await tokens.json()) as { access_token: string }).access_token;

    const sites = await fetch(`${server.url}/api/SitesManager.getSitesWithAtLeastViewAccess?format=json`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(sites.status).toBe(200);
    const list = (await sites.json()) as { idsite: number }[];
    expect(list.map((site) => site.idsite)).toEqual([2]);
  });

  test('the audit log shows what these actions produced, and no password, code or token', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/admin/audit`);
    expect(await page.textContent('h1')).toBe('Audit log');
    const rows = await auditRows(page);
    const entry = (event: string, actor: string) => rows.find((row) => row[2] === event && row[1] === actor);
    expect(entry('user.created', 'admin')?.[4]).toBe(newUser.login);
    expect(entry('user.access_changed', 'admin')?.[6]).toContain('idsite: 2');
    expect(entry('user.access_changed', 'admin')?.[6]).toContain('access: view');
    expect(entry('login.succeeded', newUser.login)).toBeDefined();
    expect(entry('login.succeeded', 'admin')).toBeDefined();
    expect(entry('consent.allowed', newUser.login)?.[3]).toBe('matomo_demo_spa');
    expect(entry('token.issued', newUser.login)?.[3]).toBe('matomo_demo_spa');
    for (const row of rows) expect(row[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const html = await page.content();
    for (const secret of [newUser.password, adminPassword, code, accessToken])
      expect(html).not.toContain(secret);
    if (screenshots) await page.screenshot({ path: join(screenshots, 'admin-audit.png') });

    // The filter form: one event; the filter stays in the address.
    await page.selectOption('#event', 'user.access_changed');
    await submit(page, 'button:has-text("Filter")');
    expect(new URL(page.url()).searchParams.get('event')).toBe('user.access_changed');
    const filtered = await auditRows(page);
    expect(filtered).toHaveLength(1);
    expect(filtered[0]?.[4]).toBe(newUser.login);
    await page.close();
  });
});
