// examples/vite-spa built with Vite as a user builds it, served on 127.0.0.1, and signed in with in
// headless Chromium against the real server: "Sign in with Matomo", the real sign-in and consent
// pages, back to the app, which shows the signed-in state and a number from the API.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@matomo-oauth2/testing';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../support/chromium';
import { startLoopbackServer } from '../support/loopback-server';
import { startTestServer, type TestServer } from '../support/test-server';

const exampleDir = fileURLToPath(new URL('../../examples/vite-spa/', import.meta.url));
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

let server: TestServer;
let browser: Browser;
let app: Awaited<ReturnType<typeof startLoopbackServer>>;
let temp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  server = await startTestServer({ demoVisitsPerDay: 20 });
  temp = makeTempDir();
  // The app's origin is known once it listens; the files are built just after, before any request.
  app = await startLoopbackServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // As `vite preview` does: a file of the build, or index.html for the app's routes (/callback).
    const file = join(temp.dir, path.startsWith('/assets/') ? path : 'index.html');
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'text/plain' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  // The example's code as written, with the test's ports for `npm start`'s 8080 and Vite's 5173.
  await build({
    root: exampleDir,
    logLevel: 'silent',
    build: { outDir: temp.dir, emptyOutDir: true },
    plugins: [
      {
        name: 'test-ports',
        transform: (code, id) =>
          id.endsWith('/main.ts')
            ? code
                .replaceAll('http://127.0.0.1:8080', server.url)
                .replaceAll('http://127.0.0.1:5173', app.url)
            : undefined,
      },
    ],
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  temp?.remove();
  await server?.stop();
});

describe('examples/vite-spa', () => {
  test('the root README shows exactly its main.ts', () => {
    const readme = readFileSync(join(exampleDir, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## The SDK\n'));
    const start = section.indexOf('```ts\n') + 6;
    const example = section.slice(start, section.indexOf('\n```', start));
    expect(`${example}\n`).toBe(readFileSync(join(exampleDir, 'main.ts'), 'utf8'));
  });

  test('Sign in with Matomo → sign-in and consent → back, signed in, with visits from the API', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/`);

    await Promise.all([
      page.waitForURL(`${server.url}/oauth2/authorize?**`),
      page.getByRole('button', { name: 'Sign in with Matomo' }).click(),
    ]);
    const authorize = new URL(page.url());
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.url}/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    await page.fill('#login', 'demo');
    await page.fill('#password', 'demo');
    await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.click('button[type=submit]')]);
    await Promise.all([page.waitForURL(`${app.url}/callback?**`), page.click('button[value=allow]')]);

    const main = page.locator('main');
    await expect
      .poll(() => main.textContent())
      .toMatch(/^Signed in\. Site 1 had \d+ visits in the last 7 days\.$/);
    expect(new URL(page.url()).pathname).toBe('/'); // off /callback: a reload works
    const visits = Number((await main.textContent())?.match(/\d+ visits/)?.[0].split(' ')[0]);
    expect(visits).toBeGreaterThan(0);

    await page.reload(); // still signed in, from localStorage
    await expect.poll(() => main.textContent()).toMatch(/^Signed in\./);
    expect(errors).toEqual([]);
    await context.close();
  });
});
