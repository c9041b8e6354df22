// The admin pages for OAuth clients in a real browser (headless Chromium): the life of a client
// from creation to deletion, with its secret used at the token endpoint and its tokens at the API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clientRepository } from '@matomo-oauth2/server';
import { basic, postToken } from '@matomo-oauth2/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { adminPassword, startTestServer, type TestServer } from '../support/test-server';

const screenshots = process.env.SCREENSHOT_DIR;
const desktop = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** The client this file follows through its life, and what it has been given so far. */
const robot = { name: 'Reporting robot', id: '', secret: '' };

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: desktop });
  page = await context.newPage();
  await signIn(page, 'admin', adminPassword);
  if (screenshots) mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs in through the sign-in page that the admin pages send a signed-out visitor to. */
async function signIn(on: Page, login: string, password: string): Promise<void> {
  await on.goto(`${server.url}/admin/clients`);
  expect(new URL(on.url()).pathname).toBe('/login');
  await on.fill('#login', login);
  await on.fill('#password', password);
  await Promise.all([on.waitForURL(`${server.url}/admin/clients`), on.click('button[type=submit]')]);
}

/** Clicks a form's submit button and waits for the page it leads to: the status of the POST. */
async function submit(button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().method() === 'POST'),
    page.waitForNavigation(),
    page.click(button),
  ]);
  return response.status();
}

async function token(clientId: string, secret: string) {
  return postToken(
    server.url,
    { grant_type: 'client_credentials' },
    { headers: { Authorization: basic(clientId, secret) } },
  );
}

async function apiStatus(accessToken: string): Promise<number> {
  const response = await fetch(`${server.url}/api/API.getMatomoVersion`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  return response.status;
}

async function accessToken(): Promise<string> {
  const result = await token(robot.id, robot.secret);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.access_token as string;
}

/** Every client as stored, to show that a refused form changed nothing. */
async function stored(): Promise<string> {
  return JSON.stringify(await clientRepository.list(server.db));
}

async function text(selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').trim();
}

describe('in Chromium', () => {
  test('create a confidential client: the secret is shown once, with a copy button, then masked', async () => {
    await page.click('text=New application');
    await page.waitForURL(`${server.url}/admin/clients/new`);
    // Keyboard order follows the page: from the name to the type.
    await page.focus('#name');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('type-0');

    await page.fill('#name', robot.name);
    await page.check('input[name=type][value=confidential]');
    await page.uncheck('input[name=grantTypes][value=authorization_code]');
    await page.uncheck('input[name=grantTypes][value=refresh_token]');
    await page.check('input[name=grantTypes][value=client_credentials]');
    await page.selectOption('#scope', 'matomo:read');
    await page.fill('#description', 'Nightly exports');
    await page.fill('#passwordConfirmation', adminPassword);
    expect(await submit('button:has-text("Create application")')).toBe(303);
    expect(page.url()).toMatch(/\/admin\/clients\/[0-9a-f]{32}\?done=created$/);
    robot.id = /\/admin\/clients\/([0-9a-f]{32})/.exec(page.url())?.[1] ?? '';

    expect(await text('.notice')).toBe('Application created.');
    expect(await text('.secret')).toContain('Copy it now: it will not be shown again.');
    robot.secret = await page.inputValue('#client-secret');
    expect(robot.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    if (screenshots)
      await page.screenshot({ path: join(screenshots, 'admin-client-secret.png'), fullPage: true });
    // The copy button appears when scripts run, and copies the secret.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    expect(await page.isVisible('button[data-copy=client-secret]')).toBe(true);
    await page.click('button[data-copy=client-secret]');
    await page.waitForFunction(() => document.querySelector('button[data-copy]')?.textContent === 'Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(robot.secret);

    await page.reload();
    expect(await page.locator('#client-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(robot.secret);
    expect(await text('main')).toContain('hidden; rotate to get a new one');
    expect(await page.inputValue('#name')).toBe(robot.name);
  });

  test('the secret works at the token endpoint, and its token at the API', async () => {
    expect(await apiStatus(await accessToken())).toBe(200);
  });

  test('rotate: the old secret fails at once, the new one works', async () => {
    await page.goto(`${server.url}/admin/clients/${robot.id}`);
    await page.click(`a[aria-label="Rotate secret of ${robot.name}"]`);
    expect(await text('h1')).toBe(`Rotate the secret of ${robot.name}?`);
    await page.fill('#passwordConfirmation', adminPassword);
    expect(await submit('button:has-text("Rotate secret")')).toBe(303);
    expect(page.url()).toBe(`${server.url}/admin/clients/${robot.id}?done=rotated`);
    const fresh = await page.inputValue('#client-secret');
    expect(fresh).not.toBe(robot.secret);

    const old = await token(robot.id, robot.secret);
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
    robot.secret = fresh;
    expect(await apiStatus(await accessToken())).toBe(200);
  });

  test('pause: its token is rejected by the API; resume: a new token works', async () => {
    const before = await accessToken();
    await page.goto(`${server.url}/admin/clients`);
    await page.click(`a[aria-label="Pause ${robot.name}"]`);
    expect(await text('h1')).toBe(`Pause ${robot.name}?`);
    expect(await text('main')).toContain(
      'Its tokens stop working at once; users must sign in again after resuming.',
    );
    expect(await submit(`button:has-text("Pause ${robot.name}")`)).toBe(303);
    expect(page.url()).toBe(`${server.url}/admin/clients?done=paused`);
    expect(await text('.notice')).toContain('Application paused');
    const row = page.locator('tr', { has: page.locator(`a[href="/admin/clients/${robot.id}"]`) });
    expect(await row.locator('.badge').textContent()).toBe('Paused');
    // On a desktop the whole table fits: nothing to scroll sideways.
    expect(
      // (a pixel of rounding aside)
      await page.$eval('.table-wrap', (wrap) => wrap.scrollWidth <= wrap.clientWidth + 1),
    ).toBe(true);
    if (screenshots) await page.screenshot({ path: join(screenshots, 'admin-clients.png'), fullPage: true });

    expect(await apiStatus(before)).toBe(401);
    expect((await token(robot.id, robot.secret)).status).toBe(401);

    await page.click(`a[aria-label="Resume ${robot.name}"]`);
    expect(await submit(`button:has-text("Resume ${robot.name}")`)).toBe(303);
    expect(await text('.notice')).toBe('Application resumed.');
    expect(await row.locator('.badge').textContent()).toBe('Active');
    expect(await apiStatus(await accessToken())).toBe(200);
  });

  test('the list on a phone, in dark mode: only the table scrolls sideways', async () => {
    const phone = await browser.newContext({
      storageState: await context.storageState(),
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    });
    const small = await phone.newPage();
    await small.emulateMedia({ colorScheme: 'dark' });
    await small.goto(`${server.url}/admin/clients`);
    expect(await small.textContent('h1')).toBe('Applications');
    const widths = await small.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      table: document.querySelector('.table-wrap')?.scrollWidth ?? 0,
      wrap: document.querySelector('.table-wrap')?.clientWidth ?? 0,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(widths.table).toBeGreaterThan(widths.wrap);
    if (screenshots)
      await small.screenshot({ path: join(screenshots, 'admin-clients-phone-dark.png'), fullPage: true });
    await phone.close();
  });

  test('change its type to public (the secret goes) and back (a new secret, shown once)', async () => {
    await page.goto(`${server.url}/admin/clients/${robot.id}`);
    expect(await text('#type-hint')).toContain('Changing to public removes its secret and ends its tokens');
    await page.check('input[name=type][value=public]');
    await page.uncheck('input[name=grantTypes][value=client_credentials]');
    await page.check('input[name=grantTypes][value=authorization_code]');
    await page.fill('#redirectUris', 'http://127.0.0.1:8080/callback');
    await page.fill('#passwordConfirmation', adminPassword);
    expect(await submit('button:has-text("Save changes")')).toBe(303);
    expect(await text('.notice')).toBe('Application updated.');
    expect(await text('main')).toContain('a public client has no secret');
    expect(await page.locator('#client-secret').count()).toBe(0);
    expect((await token(robot.id, robot.secret)).status).toBe(401);

    await page.check('input[name=type][value=confidential]');
    await page.check('input[name=grantTypes][value=client_credentials]');
    await page.fill('#passwordConfirmation', adminPassword);
    expect(await submit('button:has-text("Save changes")')).toBe(303);
    robot.secret = await page.inputValue('#client-secret');
    expect(await apiStatus(await accessToken())).toBe(200);
    await page.reload();
    expect(await page.locator('#client-secret').count()).toBe(0);
  });

  test('OpenID Connect: scopes ticked by their labels and a post-logout URI; a refusal keeps them; saved, the page shows them', async () => {
    await page.goto(`${server.url}/admin/clients/${robot.id}`);
    expect(await text('fieldset:has(input[name=identityScopes]) legend')).toBe('OpenID Connect scopes');
    await page.getByLabel('email: See your email address.').check();
    await page.getByLabel('Post-logout redirect URIs').fill('http://127.0.0.1:8080/');
    await page.fill('#passwordConfirmation', adminPassword);
    const before = await stored();
    expect(await submit('button:has-text("Save changes")')).toBe(400);
    expect(await text('#identityScopes-error')).toBe('profile and email need openid');
    expect(await page.getAttribute('fieldset:has(input[name=identityScopes])', 'aria-describedby')).toContain(
      'identityScopes-error',
    );
    expect(await page.isChecked('input[name=identityScopes][value=email]')).toBe(true);
    expect(await page.isChecked('input[name=identityScopes][value=openid]')).toBe(false);
    expect(await page.inputValue('#postLogoutRedirectUris')).toBe('http://127.0.0.1:8080/');
    expect(await stored()).toBe(before);

    await page.getByLabel('openid: Know who you are: your Matomo login.').check();
    await page.fill('#passwordConfirmation', adminPassword);
    expect(await submit('button:has-text("Save changes")')).toBe(303);
    expect(await text('.notice')).toBe('Application updated.');
    expect(await text('dt:has-text("OpenID Connect scopes") + dd')).toBe('openid, email');
    expect(await text('dt:has-text("Post-logout redirect URIs") + dd')).toBe('http://127.0.0.1:8080/');
    expect(await page.inputValue('#postLogoutRedirectUris')).toBe('http://127.0.0.1:8080/');
    const client = await clientRepository.find(server.db, robot.id);
    expect([client?.identityScopes, client?.postLogoutRedirectUris]).toEqual([
      ['openid', 'email'],
      ['http://127.0.0.1:8080/'],
    ]);
  });

  describe('every validation message, beside its field, with what was typed kept', () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['no name', { name: '' }, 'name', 'Please provide a value for "name".'],
      ['a name too long', { name: 'n'.repeat(256) }, 'name', 'The name must be at most 255 characters.'],
      [
        'a public client with client_credentials',
        { type: 'public', client_credentials: 'on' },
        'grantTypes',
        'Public clients cannot use the client_credentials grant type',
      ],
      [
        'no grant type',
        { authorization_code: 'off', refresh_token: 'off' },
        'grantTypes',
        'Please provide a value for "grantTypes".',
      ],
      [
        'authorization_code without a redirect URI',
        { redirectUris: '' },
        'redirectUris',
        'Invalid redirect_uri: the authorization_code grant needs at least one redirect URI.',
      ],
      [
        'http off loopback',
        { redirectUris: 'https://ok.example/cb\nhttp://app.example/callback' },
        'redirectUris',
        'Invalid redirect_uri: http://app.example/callback (must use https (http only on loopback))',
      ],
      [
        'a wildcard',
        { redirectUris: 'https://*.example/cb' },
        'redirectUris',
        'Invalid redirect_uri: https://*.example/cb (must not contain wildcards)',
      ],
      [
        'a fragment',
        { redirectUris: 'https://app.example/cb#x' },
        'redirectUris',
        'Invalid redirect_uri: https://app.example/cb#x (must not contain a fragment)',
      ],
      [
        'user info',
        { redirectUris: 'https://u:p@app.example/cb' },
        'redirectUris',
        'Invalid redirect_uri: https://u:p@app.example/cb (must not contain credentials)',
      ],
      [
        'a space',
        { redirectUris: 'https://app.example/a b' },
        'redirectUris',
        'Invalid redirect_uri: https://app.example/a b (must not contain whitespace)',
      ],
      [
        'a description too long',
        { description: 'd'.repeat(2001) },
        'description',
        'The description must be at most 2000 characters.',
      ],
      [
        'no password',
        { passwordConfirmation: '' },
        'passwordConfirmation',
        'Please type your password to confirm this change.',
      ],
      [
        'a wrong password',
        { passwordConfirmation: 'not-my-password' },
        'passwordConfirmation',
        'The current password you entered is not correct.',
      ],
    ];

    test.each(cases)('%s', async (label, change, field, message) => {
      const typed = {
        name: 'Data warehouse',
        type: 'confidential',
        scope: 'matomo:write',
        redirectUris: 'https://warehouse.example/callback',
        description: 'Loads reports every hour',
        passwordConfirmation: adminPassword,
        ...change,
      };
      const before = await stored();
      await page.goto(`${server.url}/admin/clients/new`);
      await page.fill('#name', typed.name);
      await page.check(`input[name=type][value=${typed.type}]`);
      for (const grant of ['authorization_code', 'refresh_token', 'client_credentials'] as const) {
        if (change[grant] === 'on') await page.check(`input[name=grantTypes][value=${grant}]`);
        if (change[grant] === 'off') await page.uncheck(`input[name=grantTypes][value=${grant}]`);
      }
      const checkedGrants = await page.$$eval('input[name=grantTypes]:checked', (inputs) =>
        inputs.map((input) => (input as HTMLInputElement).value),
      );
      await page.selectOption('#scope', typed.scope);
      await page.fill('#redirectUris', typed.redirectUris);
      await page.fill('#description', typed.description);
      await page.fill('#passwordConfirmation', typed.passwordConfirmation);
      expect(await submit('button:has-text("Create application")')).toBe(400);

      expect(await text(`#${field}-error`)).toBe(message);
      expect(await page.locator('.field-error').count()).toBe(1);
      expect(await text('[role=alert]')).toContain('Nothing was saved');
      if (field !== 'grantTypes') expect(await page.getAttribute(`#${field}`, 'aria-invalid')).toBe('true');
      expect(await page.inputValue('#name')).toBe(typed.name);
      expect(await page.isChecked(`input[name=type][value=${typed.type}]`)).toBe(true);
      expect(
        await page.$$eval('input[name=grantTypes]:checked', (inputs) =>
          inputs.map((input) => (input as HTMLInputElement).value),
        ),
      ).toEqual(checkedGrants);
      expect(await page.inputValue('#scope')).toBe(typed.scope);
      expect(await page.inputValue('#redirectUris')).toBe(typed.redirectUris);
      expect(await page.inputValue('#description')).toBe(typed.description);
      expect(await page.inputValue('#passwordConfirmation')).toBe('');
      expect(await stored()).toBe(before);
      if (screenshots && label === 'http off loopback')
        await page.screenshot({ path: join(screenshots, 'admin-client-new.png'), fullPage: true });
    });
  });

  test('a form posted without its anti-CSRF token changes nothing', async () => {
    const before = await stored();
    await page.goto(`${server.url}/admin/clients/${robot.id}`);
    await page.fill('#name', 'Hijacked');
    await page.fill('#passwordConfirmation', adminPassword);
    await page.evaluate(() => {
      for (const input of document.querySelectorAll('form input[name=csrf_token]')) input.remove();
    });
    expect(await submit('button:has-text("Save changes")')).toBe(403);
    expect(await text('h1')).toBe('This form has expired');

    await page.goto(`${server.url}/admin/clients/${robot.id}/delete`);
    await page.fill('#passwordConfirmation', adminPassword);
    await page.evaluate(() => {
      for (const input of document.querySelectorAll('form input[name=csrf_token]')) input.remove();
    });
    expect(await submit(`button:has-text("Delete ${robot.name}")`)).toBe(403);
    expect(await stored()).toBe(before);
    await page.goto(`${server.url}/admin/clients/${robot.id}`);
    expect(await page.inputValue('#name')).toBe(robot.name);
  });

  test('delete: asks for the password and an explicit confirmation; then the client is gone', async () => {
    await page.goto(`${server.url}/admin/clients`);
    await page.click(`a[aria-label="Delete ${robot.name}"]`);
    expect(await text('h1')).toBe(`Delete ${robot.name}?`);
    await page.fill('#passwordConfirmation', adminPassword);
    expect(await submit(`button:has-text("Delete ${robot.name}")`)).toBe(303);
    expect(page.url()).toBe(`${server.url}/admin/clients?done=deleted`);
    expect(await text('.notice')).toBe('Application deleted.');
    expect(await page.locator(`a[href="/admin/clients/${robot.id}"]`).count()).toBe(0);
    expect((await token(robot.id, robot.secret)).status).toBe(401);
  });

  test('a user who is not a super user gets 403', async () => {
    const other = await browser.newContext();
    const demo = await other.newPage();
    await demo.goto(`${server.url}/admin/clients`);
    await demo.fill('#login', 'demo');
    await demo.fill('#password', 'demo');
    const [response] = await Promise.all([
      demo.waitForResponse((candidate) => candidate.url() === `${server.url}/admin/clients`),
      demo.click('button[type=submit]'),
    ]);
    expect(response.status()).toBe(403);
    expect(await demo.textContent('h1')).toBe('Super users only');
    await other.close();
  });
});
