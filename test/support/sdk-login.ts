import {
  type BrowserLoginOptions,
  createBrowserLogin,
  type FetchLike,
  type WebStorageLike,
} from '@matomo-oauth2/sdk';
import { authorizeThroughPages, createAgent } from '@matomo-oauth2/testing';
import type { TestServer } from './test-server';

/** `sessionStorage` for Node: the SDK keeps the verifier and `state` there between login and callback. */
export function memoryWebStorage(): WebStorageLike & { size: () => number } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    size: () => items.size,
  };
}

/** Counts what goes to the token endpoint, by grant type, and passes everything on. */
export function countingFetch() {
  const grants: string[] = [];
  const fetchLike: FetchLike = async (request) => {
    if (new URL(request.url).pathname.endsWith('/oauth2/token') || request.url.includes('action=token')) {
      grants.push(new URLSearchParams(await request.clone().text()).get('grant_type') ?? '');
    }
    return fetch(request);
  };
  return {
    fetch: fetchLike,
    grants,
    refreshes: () => grants.filter((grant) => grant === 'refresh_token').length,
  };
}

export const spaRedirectUri = 'http://127.0.0.1:47011/callback';

/**
 * A browser login for the demo public client, run in Node: `login()` has been called, and
 * `authorizationUrl` is where it would have sent the browser.
 */
export async function startSdkLogin(server: TestServer, options: Partial<BrowserLoginOptions> = {}) {
  let authorizationUrl = '';
  let cleanedUrl = '';
  const login = createBrowserLogin({
    baseUrl: server.url,
    clientId: 'matomo_demo_spa',
    redirectUri: spaRedirectUri,
    scope: 'matomo:read matomo:write',
    transientStorage: memoryWebStorage(),
    navigate: (url) => {
      authorizationUrl = url;
    },
    replaceUrl: (url) => {
      cleanedUrl = url;
    },
    crossTab: false,
    ...options,
  });
  await login.login();
  return { login, authorizationUrl, cleanedUrl: () => cleanedUrl };
}

/**
 * Signs `demo` in through the SDK's PKCE login: `login()` builds the authorization URL, the real
 * sign-in and consent pages are driven over HTTP, and `handleRedirectCallback()` gets the redirect.
 */
export async function loginWithSdk(
  server: TestServer,
  options: Partial<BrowserLoginOptions> & { choose?: string } = {},
) {
  const { choose, ...loginOptions } = options;
  const { login, authorizationUrl, cleanedUrl } = await startSdkLogin(server, loginOptions);
  const redirect = await authorizeThroughPages(createAgent(server.url), authorizationUrl, {
    login: 'demo',
    password: 'demo',
    ...(choose ? { scope: choose } : {}),
  });
  const result = await login.handleRedirectCallback(redirect.href);
  return { login, tokens: result.tokens, authorizationUrl, redirect, cleanedUrl };
}
