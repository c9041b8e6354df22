import type { AccessTokenProvider } from './access-token-provider';
import type { ClientAuth } from './client-auth';
import { s256 } from './code-challenge';
import { type AuthorizationServer, type ServerOptions, serverResolver } from './discovery';
import { OAuthResponseError, ProtocolError } from './errors';
import { fetchOf } from './http';
import { randomToken } from './random-token';
import { createWebStorageStore, type StorageOption, type WebStorageLike } from './storage';
import { createTabCoordinator, type RefreshCoordinator } from './tab-coordinator';
import {
  processRevocationResponse,
  processTokenResponse,
  revocationRequest,
  type TokenParams,
  type TokenResponse,
  tokenParamPairs,
  tokenRequest,
} from './token-endpoint';
import { createTokenManager, type TokenManager } from './token-manager';
import type { TokenSet } from './token-set';

/**
 * Options of `createBrowserLogin`: where the server is (`baseUrl` for discovery, or `server`), the
 * public client, and optionally where tokens go and how the page is navigated.
 *
 * @example
 * ```ts
 * const options: BrowserLoginOptions = {
 *   baseUrl: 'https://auth.example.com',
 *   clientId: 'dashboard',
 *   redirectUri: 'https://app.example.com/callback',
 *   scope: 'matomo:read',
 * };
 * ```
 */
export interface BrowserLoginOptions extends ServerOptions {
  clientId: string;
  redirectUri: string;
  /**
   * One of `matomo:read`, `matomo:write`, `matomo:admin`, `matomo:superuser` (space-separated to offer
   * several). For `openid`, `profile` and `email` use `createOpenIdLogin`, which checks the ID token.
   */
  scope?: string;
  /** Where tokens are kept (default: memory; see the README on the trade-offs). */
  storage?: StorageOption;
  /**
   * Coordinate refreshes with the other tabs of this origin, or a coordinator of your own. Default:
   * true in a browser (where there is a `location`), false elsewhere, so that two logins of one client
   * in a Node process do not share tokens over `BroadcastChannel`.
   */
  crossTab?: boolean | RefreshCoordinator;
  /**
   * Extra parameters of the code exchange and of every refresh, e.g. `{ resource: [...] }` (RFC 8707,
   * may repeat) or `{ audience: '…' }`. Names the SDK sets itself are refused (`ERR_CONFIGURATION`).
   */
  tokenParams?: TokenParams;
  /** Seconds of margin before expiry (default 30). */
  skew?: number;
  /** Keeps the verifier and `state` between `login()` and the callback (default `sessionStorage`). */
  transientStorage?: WebStorageLike;
  /** Goes to the authorization URL (default `location.assign`). */
  navigate?: (url: string) => void | Promise<void>;
  /** Replaces the address bar's URL after the callback (default `history.replaceState`). */
  replaceUrl?: (url: string) => void;
}

/**
 * Options of one `login()`: `returnTo` comes back from `handleRedirectCallback()`; `params` are added
 * to the authorization URL.
 *
 * @example
 * ```ts
 * await login.login({ returnTo: location.pathname, params: { prompt: 'login' } });
 * ```
 */
export interface LoginOptions {
  scope?: string;
  returnTo?: string;
  params?: Record<string, string>;
}

/**
 * The PKCE login of a single-page app. It is also an `AccessTokenProvider` for `createMatomoClient`.
 *
 * @example
 * ```ts
 * const matomo = createMatomoClient({ baseUrl: 'https://matomo.example.com', auth: login });
 * ```
 */
export interface BrowserLogin extends Required<AccessTokenProvider> {
  /** The session's token manager (events, storage, refresh). */
  readonly tokens: TokenManager;
  /** Prepares a login (verifier and `state` into transient storage) and returns the authorization URL. */
  createAuthorizationUrl(options?: LoginOptions): Promise<string>;
  /** `createAuthorizationUrl()`, then navigates there. */
  login(options?: LoginOptions): Promise<void>;
  /**
   * Completes the login on the redirect URI; `url` defaults to `location.href`. Leave the redirect URI
   * afterwards (`history.replaceState`): an address without `code`, `state` or `error` is
   * `ERR_NO_AUTHORIZATION_RESPONSE`.
   */
  handleRedirectCallback(url?: string): Promise<{ tokens: TokenSet; returnTo?: string }>;
  /**
   * Revokes the refresh token when the server has a revocation endpoint (RFC 7009) and forgets the
   * tokens in every tab. Resolves to `{ revoked }`, also passed to the `sessionEnded` event:
   * `revoked: false` when the server has no revocation endpoint (the Matomo plugin has none), so the
   * tokens stay valid at the server until they expire.
   */
  logout(): Promise<{ revoked: boolean }>;
  /**
   * "Am I signed in?": whether there are tokens that are fresh, or a refresh token to renew them. Reads
   * the storage only and sends nothing, so it cannot know whether the server revoked them meanwhile:
   * the next call finds out (a `LoginRequiredError`).
   */
  isAuthenticated(): Promise<boolean>;
  /** Stops the cross-tab coordination. */
  close(): void;
}

/**
 * What `createOpenIdLogin` adds to the login flow (internal): the server it found, and a check of each
 * token response before its tokens are stored, given the server and either the authorization
 * request's extra parameters (code exchange) or the tokens being replaced (refresh).
 */
export interface LoginExtension {
  server: () => Promise<AuthorizationServer>;
  check(
    response: TokenResponse,
    server: AuthorizationServer,
    params: Record<string, string> | undefined,
    previous?: TokenSet,
  ): void;
}

// The browser globals used here, typed without the DOM library.
export const browser = globalThis as unknown as {
  location?: { href: string; assign(url: string): void };
  history?: { state: unknown; replaceState(state: unknown, unused: string, url: string): void };
  sessionStorage?: WebStorageLike;
};

const CALLBACK_PARAMS = 'code state iss error error_description error_uri session_state'.split(' ');

/**
 * Creates the PKCE login of a single-page app (public client, S256 always). `login()` sends the
 * browser to the authorization endpoint; on the redirect URI, `handleRedirectCallback()` checks
 * `state` (single use) and `iss` (when the server supports RFC 9207), turns `error=` into an
 * `OAuthResponseError`, exchanges the code, cleans `code`/`state` out of the address bar and stores
 * the tokens. Calling it again for the same redirect (React StrictMode) returns the same promise.
 * Then leave the redirect URI (`history.replaceState`): a reload there has nothing left to complete.
 * `isAuthenticated()` answers "am I signed in?" from storage, before any API call.
 * For the ID token, `getUser()`, `prompt` and signing out of the server, see
 * `createOpenIdLogin` (`@matomo-oauth2/sdk/openid`), which passes the internal `extension`.
 *
 * @example
 * ```ts
 * const login = createBrowserLogin({ baseUrl, clientId: 'dashboard', redirectUri: `${location.origin}/callback` });
 * if (location.pathname === '/callback') {
 *   const { returnTo } = await login.handleRedirectCallback();
 *   history.replaceState(null, '', returnTo ?? '/');
 * } else if (!(await login.isAuthenticated())) await login.login({ returnTo: location.pathname });
 * ```
 */
export function createBrowserLogin(options: BrowserLoginOptions, extension?: LoginExtension): BrowserLogin {
  const { clientId, redirectUri } = options;
  const doFetch = fetchOf(options.fetch);
  const server = extension?.server ?? serverResolver(options);
  const auth: ClientAuth = { clientId }; // a public client: no secret, so only client_id is sent
  const prefix = `matomo-oauth2:${clientId}`;
  const { crossTab = !!browser.location } = options;
  const coordinator =
    typeof crossTab === 'object' ? crossTab : crossTab ? createTabCoordinator(prefix) : undefined;
  const extra = tokenParamPairs(options.tokenParams);
  const requestTokens = async (
    params: Record<string, string>,
    secrets: string[],
    sent?: Record<string, string>,
    previous?: TokenSet,
  ): Promise<TokenResponse> => {
    const metadata = await server();
    const response = await processTokenResponse(
      await doFetch(tokenRequest(metadata.token_endpoint, auth, [...Object.entries(params), ...extra])),
      secrets,
    );
    extension?.check(response, metadata, sent, previous);
    return response;
  };
  const tokens = createTokenManager({
    storage: options.storage,
    key: `${prefix}:tokens`,
    coordinator,
    skew: options.skew,
    refresh: (refresh_token, previous) =>
      requestTokens({ grant_type: 'refresh_token', refresh_token }, [refresh_token], undefined, previous),
  });
  const transientArea = () => options.transientStorage ?? browser.sessionStorage;
  const transient = createWebStorageStore(transientArea);
  // Whether the transient storage holds no pending login of this client at all (false: it does, or it
  // cannot list its keys). Web Storage is per origin: a login started on another origin left nothing here.
  const nonePending = () => {
    const area = transientArea();
    if (!area?.key) return false;
    for (let i = 0; i < (area.length as number); i++) {
      if ((area.key(i) as string).startsWith(`${prefix}:login:`)) return false;
    }
    return true;
  };
  let lastCallback: Promise<{ tokens: TokenSet; returnTo?: string }> | undefined;
  // Claimed synchronously while in flight, so that two calls for one redirect never both reach the
  // token endpoint; once settled, the state is used up and a later call is refused.
  const inFlight = new Map<string, Promise<{ tokens: TokenSet; returnTo?: string }>>();

  const createAuthorizationUrl = async ({ scope = options.scope, returnTo, params }: LoginOptions = {}) => {
    const { authorization_endpoint } = await server();
    if (!authorization_endpoint) throw new ProtocolError('ERR_CONFIGURATION', 'No authorization endpoint');
    const verifier = randomToken(); // 32 random bytes: a 43-character PKCE verifier
    const state = randomToken();
    const url = new URL(authorization_endpoint);
    const query = {
      ...params,
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      ...(scope && { scope }),
      state,
      code_challenge: await s256(verifier),
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    // The extra parameters are kept with the verifier: an extension checks the response against them.
    await transient.set(`${prefix}:login:${state}`, JSON.stringify({ verifier, returnTo, params }));
    return url.href;
  };

  const completeCallback = async (url: URL) => {
    const query = new URLSearchParams(url.search); // a copy: the URL is cleaned next
    const state = query.get('state');
    // Out of the address bar (and history, and Referer) at once, whatever happens next.
    for (const name of CALLBACK_PARAMS) url.searchParams.delete(name);
    (options.replaceUrl ?? ((href) => browser.history?.replaceState(browser.history.state, '', href)))(
      url.href,
    );
    const key = `${prefix}:login:${state}`;
    const saved = state ? await transient.get(key) : null;
    if (!state || !saved) {
      // Neither state, code nor error: the redirect URI was opened directly, or reloaded after a callback.
      if (state === null && !query.has('code') && !query.has('error')) {
        throw new ProtocolError('ERR_NO_AUTHORIZATION_RESPONSE', 'No authorization response in the address');
      }
      const hint = nonePending() ? `; no login is pending in ${url.origin}, whose storage is per origin` : '';
      throw new ProtocolError('ERR_STATE_MISMATCH', `Unknown or already used state${hint}`);
    }
    await transient.remove(key);
    const { verifier, returnTo, params } = JSON.parse(saved) as {
      verifier: string;
      returnTo?: string;
      params?: Record<string, string>;
    };
    const metadata = await server();
    const iss = query.get('iss');
    const expected = metadata.issuer;
    if (
      metadata.authorization_response_iss_parameter_supported
        ? iss !== expected
        : iss && expected && iss !== expected
    ) {
      throw new ProtocolError('ERR_ISSUER_MISMATCH', 'Unexpected iss');
    }
    const error = query.get('error');
    if (error) {
      const description = query.get('error_description');
      throw new OAuthResponseError('ERR_AUTHORIZATION_RESPONSE', {
        error,
        ...(description && { error_description: description }),
      });
    }
    const code = query.get('code');
    if (!code) throw new ProtocolError('ERR_INVALID_RESPONSE', 'No code in the response');
    const response = await requestTokens(
      { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
      [code, verifier],
      params,
    );
    return { tokens: await tokens.setTokens(response), returnTo };
  };

  return {
    tokens,
    createAuthorizationUrl,
    async login(loginOptions) {
      const url = await createAuthorizationUrl(loginOptions);
      await (options.navigate ?? ((href) => browser.location?.assign(href)))(url);
    },
    handleRedirectCallback(href = browser.location?.href ?? '') {
      const url = new URL(href);
      const state = url.searchParams.get('state');
      // A second call for the same redirect (StrictMode) finds the address bar already cleaned,
      // or, when given the URL, the same state: either way it gets the first call's result.
      if (state === null && lastCallback) return lastCallback;
      // A missing state (null) never finds an entry: while one runs, lastCallback is set and returned above.
      const pending = inFlight.get(state as string);
      if (pending) return pending;
      const callback = completeCallback(url);
      lastCallback = callback;
      inFlight.set(state as string, callback);
      const settle = () => inFlight.delete(state as string);
      callback.then(settle, settle);
      return callback;
    },
    async logout() {
      const current = await tokens.getTokens();
      const ended = { revoked: false };
      try {
        const { revocation_endpoint } = await server();
        // The refresh token names the session; without one, the access token.
        const hint = current?.refresh_token ? 'refresh_token' : 'access_token';
        const token = current?.[hint];
        if (revocation_endpoint && token) {
          await processRevocationResponse(
            await doFetch(revocationRequest(revocation_endpoint, auth, token, hint)),
            [token],
          );
          ended.revoked = true;
        }
      } finally {
        await tokens.clear(ended);
      }
      return ended;
    },
    // The token manager's methods are closures (no `this`): shared as they are.
    getAccessToken: tokens.getAccessToken,
    renewAccessToken: tokens.renewAccessToken,
    isAuthenticated: tokens.isAuthenticated,
    close() {
      tokens.close();
      if (coordinator !== options.crossTab) coordinator?.close();
    },
  };
}
