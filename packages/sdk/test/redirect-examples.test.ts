// Regression: the root README's example and the `createBrowserLogin` TSDoc example stayed on /callback
// after `handleRedirectCallback()`, so a reload there failed. Each documented single-page example is run
// here as a browser would: a page load, the sign-in, the callback page, then a reload.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as sdk from '../src/index';
import * as openid from '../src/openid';
import { createFakeServer, createFakeStorage, PUBLIC_CLIENT } from './fake-server';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (...path: string[]) => readFileSync(join(root, ...path), 'utf8');

/** The first ```ts block after `heading` in a Markdown file. */
function markdownExample(markdown: string, heading: string): string {
  const start = markdown.indexOf('```ts\n', markdown.indexOf(`\n${heading}\n`));
  return markdown.slice(start + 6, markdown.indexOf('\n```', start));
}

/** The ```ts block of the TSDoc comment right before `declaration`. */
function tsdocExample(source: string, declaration: string): string {
  const comment = source.slice(source.lastIndexOf('/**', source.indexOf(declaration)));
  const start = comment.indexOf('```ts\n');
  return comment.slice(start + 6, comment.indexOf('\n * ```', start)).replace(/^ \* ?/gm, '');
}

const examples: [string, string][] = [
  ['the root README', markdownExample(read('..', '..', 'README.md'), '## The SDK')],
  ['the SDK README', markdownExample(read('README.md'), '## A single-page app: PKCE login')],
  [
    'the SDK README, OpenID Connect',
    markdownExample(read('README.md'), '## Who is signed in: OpenID Connect'),
  ],
  [
    'the createOpenIdLogin TSDoc',
    tsdocExample(read('src', 'openid-login.ts'), 'export function createOpenIdLogin('),
  ],
  [
    'the createBrowserLogin TSDoc',
    tsdocExample(read('src', 'browser-login.ts'), 'export function createBrowserLogin('),
  ],
];

class Navigated extends Error {}

/** A browser tab on http://127.0.0.1:5173 whose pages run `example`, against a fake server. */
function createTab(example: string) {
  const server = createFakeServer();
  let address = new URL('http://127.0.0.1:5173/');
  const navigations: string[] = [];
  vi.stubGlobal('location', {
    get href() {
      return address.href;
    },
    get origin() {
      return address.origin;
    },
    get pathname() {
      return address.pathname;
    },
    assign(url: string) {
      navigations.push(url);
      throw new Navigated(url); // the page is gone: nothing after this runs
    },
  });
  vi.stubGlobal('history', {
    state: null,
    replaceState: (_state: unknown, _unused: string, url: string) => {
      address = new URL(url, address);
    },
  });
  vi.stubGlobal('sessionStorage', createFakeStorage());
  vi.stubGlobal('localStorage', createFakeStorage());
  // Enough DOM for examples that show a "Sign in with Matomo" button (examples/vite-spa, the root README).
  const buttons: { onclick?: () => Promise<void> }[] = [];
  const element = () => ({ textContent: '', appendChild: <T>(child: T) => child });
  vi.stubGlobal('document', {
    querySelector: () => null,
    body: element(),
    createElement: () => {
      const button = element();
      buttons.push(button);
      return button;
    },
  });
  vi.spyOn(console, 'log').mockImplementation(() => undefined);

  // The example as the body of an async function; its imports come from `sdk`, with the fake server's
  // address, fetch and client id in place of the documented ones.
  const code = ts.transpileModule(example.replace(/^import .*$/gm, ''), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  const page = new AsyncFunction(
    'createBrowserLogin',
    'createOpenIdLogin',
    'createMatomoClient',
    'LoginRequiredError',
    'baseUrl',
    'redirectUri',
    code,
  );
  const logins: sdk.BrowserLogin[] = [];
  const local = (options: sdk.BrowserLoginOptions): sdk.BrowserLoginOptions => ({
    ...options,
    baseUrl: server.issuer,
    clientId: PUBLIC_CLIENT,
    fetch: server.fetch,
    crossTab: false,
  });
  const load = async () => {
    try {
      await page(
        (options: sdk.BrowserLoginOptions) => {
          const login = sdk.createBrowserLogin(local(options));
          logins.push(login);
          return login;
        },
        (options: sdk.BrowserLoginOptions) => {
          const login = openid.createOpenIdLogin(local(options));
          logins.push(login);
          return login;
        },
        (options: sdk.MatomoClientOptions) =>
          sdk.createMatomoClient({ ...options, baseUrl: server.issuer, fetch: server.fetch }),
        sdk.LoginRequiredError,
        server.issuer,
        'http://127.0.0.1:5173/callback',
      );
      await buttons
        .splice(0)
        .find((button) => button.onclick)
        ?.onclick?.(); // the user clicks it
    } catch (error) {
      if (!(error instanceof Navigated)) throw error;
    } finally {
      for (const login of logins.splice(0)) login.close();
    }
  };
  return {
    server,
    navigations,
    load,
    get address() {
      return address;
    },
    /** The user signs in on the server's pages, and the browser follows the redirect. */
    async signIn() {
      address = new URL(await server.authorize(navigations.at(-1) ?? ''));
    },
  };
}

describe('the documented callback handling leaves the redirect URI, so a reload there works', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  test.each(examples)('%s', async (_, example) => {
    expect(example).toContain('handleRedirectCallback');
    const tab = createTab(example);
    await tab.load(); // not signed in: off to the authorization server
    expect(tab.navigations).toHaveLength(1);
    await tab.signIn();
    expect(tab.address.pathname).toBe('/callback');
    await tab.load(); // the callback page
    expect(tab.server.calls.code).toBe(1);
    expect(tab.address.pathname).not.toBe('/callback');
    expect(tab.address.search).toBe('');
    await expect(tab.load()).resolves.toBeUndefined(); // the reload
    expect(tab.server.calls.code).toBe(1);
  });
});
