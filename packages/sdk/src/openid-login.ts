import {
  type BrowserLogin,
  type BrowserLoginOptions,
  browser,
  createBrowserLogin,
  type LoginOptions,
} from './browser-login';
import { discoverOpenId, serverResolver } from './discovery';
import { OAuthResponseError, ProtocolError } from './errors';
import { fetchOf } from './http';
import { checkIdToken, decodeIdToken, type IdTokenClaims } from './id-token';
import { randomToken } from './random-token';
import { processUserInfoResponse, type UserInfo, userInfoRequest } from './user-info';

/**
 * A value of OpenID Connect's `prompt` (Core §3.1.2.1): `none` (show no page: sign in silently or fail
 * with `ERR_INTERACTION_REQUIRED`), `login` (ask for the password even when signed in), `consent`
 * (show the consent page even when consent is remembered), `select_account` (as `login` on this
 * server).
 *
 * @example
 * ```ts
 * const prompt: Prompt = 'login';
 * ```
 */
export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

/**
 * Options of one `login()` of `createOpenIdLogin`: those of `createBrowserLogin`'s, plus `prompt` (one
 * value or several), `maxAge` (seconds: a user who entered the password longer ago is asked again) and
 * `loginHint` (the login to fill in), sent as `prompt`, `max_age` and `login_hint`.
 *
 * @example
 * ```ts
 * await login.login({ returnTo: location.pathname, prompt: 'login', maxAge: 300, loginHint: 'alice' });
 * ```
 */
export interface OpenIdLoginOptions extends LoginOptions {
  prompt?: Prompt | Prompt[];
  maxAge?: number;
  loginHint?: string;
}

/**
 * Options of `logout()`. Without `endSession`, it is `createBrowserLogin`'s `logout()`: the
 * application forgets the user, and the server's sign-in session lives on (the next `login()` may
 * come back without asking for the password). With `endSession: true`, the browser then goes to the
 * server's end-session endpoint (OpenID Connect RP-Initiated Logout 1.0), which ends that session too
 * and sends the browser to `postLogoutRedirectUri` (registered for the client) with `state`
 * (default: a random one).
 *
 * @example
 * ```ts
 * await login.logout({ endSession: true, postLogoutRedirectUri: `${location.origin}/signed-out` });
 * ```
 */
export interface LogoutOptions {
  endSession?: boolean;
  postLogoutRedirectUri?: string;
  state?: string;
}

/**
 * The browser login with OpenID Connect (see `createOpenIdLogin`). It is a `BrowserLogin`, so also an
 * `AccessTokenProvider` for `createMatomoClient`.
 *
 * @example
 * ```ts
 * if (await login.isAuthenticated()) console.log('signed in as', (await login.getUser()).sub);
 * ```
 */
export interface OpenIdLogin extends BrowserLogin {
  /** As `createBrowserLogin`'s, with `prompt`, `maxAge`, `loginHint`, and a `nonce` when the scope has `openid`. */
  createAuthorizationUrl(options?: OpenIdLoginOptions): Promise<string>;
  /** `createAuthorizationUrl()`, then navigates there. */
  login(options?: OpenIdLoginOptions): Promise<void>;
  /**
   * The signed-in user: the claims of the ID token (checked when it arrived), or where there is no ID
   * token, the UserInfo response. `ProtocolError` `ERR_NOT_SUPPORTED` where the server has neither (a
   * Matomo with the OAuth2 plugin).
   */
  getUser(): Promise<IdTokenClaims | UserInfo>;
  /**
   * The UserInfo response (OpenID Connect Core §5.3), always from the server: with the `profile` and
   * `email` scopes, the claims this server keeps out of the ID token (`preferred_username`, `name`,
   * `email`). `ERR_NOT_SUPPORTED` where the server has no UserInfo endpoint; an `OAuthResponseError`
   * with `insufficient_scope` for a token without `openid`.
   */
  getUserInfo(): Promise<UserInfo>;
  /**
   * Revokes the refresh token when the server can, forgets the tokens in every tab, and with
   * `endSession: true` then goes to the server's end-session endpoint (`ERR_NOT_SUPPORTED`, after
   * revoking and forgetting, where there is none). Resolves to `{ revoked }` as `createBrowserLogin`'s
   * (`revoked: false`: the server has no revocation endpoint).
   */
  logout(options?: LogoutOptions): Promise<{ revoked: boolean }>;
}

type Callback = ReturnType<BrowserLogin['handleRedirectCallback']>;

// OpenID Connect Core §3.1.2.6: what `prompt=none` answers when the user would have to act.
const INTERACTION = /^(login|consent|interaction)_required$/;

// The parameters that have a value: an option left out is no parameter, not `undefined`.
const defined = (params: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;

const withQuery = (base: string, params: Record<string, string | undefined>) => {
  const url = new URL(base);
  for (const [name, value] of Object.entries(defined(params))) url.searchParams.set(name, value);
  return url.href;
};

/**
 * Creates the PKCE login of a single-page app with OpenID Connect: `createBrowserLogin` plus
 *
 * - with `openid` in the scope, a `nonce` in the authorization request, kept with the PKCE verifier;
 *   every ID token is checked before any token is stored: the login's as OpenID Connect Core §3.1.3.7
 *   asks (`iss`, `aud`, `azp`, `exp`, `nonce`), a refreshed one as §12.2 asks (the same `iss`, `sub`
 *   and `aud`); a failed check is `ERR_INVALID_ID_TOKEN` and nothing is stored;
 * - `login({ prompt, maxAge, loginHint })`; `prompt: 'none'` answered with `login_required`,
 *   `consent_required` or `interaction_required` is `ERR_INTERACTION_REQUIRED`;
 * - `isAuthenticated()`, `getUser()`, `getUserInfo()`, and `logout({ endSession: true })`.
 *
 * The endpoints come from `{baseUrl}/.well-known/openid-configuration` (`discoverOpenId`), or from
 * `server` (with `issuer`, and `userinfo_endpoint` / `end_session_endpoint` where the server has
 * them).
 *
 * @example
 * ```ts
 * const login = createOpenIdLogin({ baseUrl, clientId: 'dashboard', redirectUri, scope: 'matomo:read openid profile' });
 * if (location.pathname === '/callback') {
 *   const { returnTo } = await login.handleRedirectCallback();
 *   history.replaceState(null, '', returnTo ?? '/');
 * } else if (!(await login.isAuthenticated())) await login.login({ returnTo: location.pathname });
 * console.log('signed in as', (await login.getUser()).sub);
 * ```
 */
export function createOpenIdLogin(options: BrowserLoginOptions): OpenIdLogin {
  const { clientId } = options;
  const doFetch = fetchOf(options.fetch);
  const server = serverResolver(options, discoverOpenId);
  const base = createBrowserLogin(options, {
    server,
    check({ id_token }, { issuer }, params, previous) {
      if (!id_token) return;
      const expected = { issuer, clientId, nonce: params?.nonce, now: Date.now() };
      checkIdToken(id_token, expected, previous && { previous: previous.id_token });
    },
  });
  const { tokens } = base;
  const navigate = options.navigate ?? ((href) => browser.location?.assign(href));
  const callbacks = new WeakMap<Callback, Callback>();

  const interactionRequired = (error: unknown): never => {
    throw error instanceof OAuthResponseError &&
      error.code === 'ERR_AUTHORIZATION_RESPONSE' &&
      INTERACTION.test(error.error)
      ? new OAuthResponseError('ERR_INTERACTION_REQUIRED', {
          error: error.error,
          error_description: error.error_description,
          cause: error,
        })
      : error;
  };

  const createAuthorizationUrl = ({
    prompt,
    maxAge,
    loginHint,
    params,
    ...rest
  }: OpenIdLoginOptions = {}) => {
    const scope = rest.scope ?? options.scope;
    return base.createAuthorizationUrl({
      ...rest,
      params: {
        ...params,
        ...defined({
          prompt: prompt && [prompt].flat().join(' '),
          max_age: maxAge?.toString(),
          login_hint: loginHint,
        }),
        // OpenID Connect Core §3.1.2.1, §15.5.2: binds the ID token to this request and this browser.
        ...(scope?.split(' ').includes('openid') && { nonce: randomToken() }),
      },
    });
  };

  const userInfo = async (endpoint: string, token: string) => {
    const claims = await processUserInfoResponse(await doFetch(userInfoRequest(endpoint, token)), [token]);
    // Core §5.3.4: a UserInfo answer about another user than the ID token's must not be used.
    const idToken = (await tokens.getTokens())?.id_token;
    if (idToken && decodeIdToken(idToken).sub !== claims.sub)
      throw new ProtocolError('ERR_INVALID_RESPONSE', "UserInfo's sub is not the ID token's");
    return claims;
  };

  const getUserInfo = async () => {
    const { userinfo_endpoint } = await server();
    if (!userinfo_endpoint)
      throw new ProtocolError('ERR_NOT_SUPPORTED', 'The server has no UserInfo endpoint');
    const token = await tokens.getAccessToken();
    try {
      return await userInfo(userinfo_endpoint, token);
    } catch (error) {
      // Revoked or expired early: one new token and one more try, as the Matomo client does.
      if (!(error instanceof OAuthResponseError && error.error === 'invalid_token')) throw error;
      return userInfo(userinfo_endpoint, await tokens.renewAccessToken(token));
    }
  };

  return {
    ...base,
    createAuthorizationUrl,
    async login(loginOptions) {
      await navigate(await createAuthorizationUrl(loginOptions));
    },
    handleRedirectCallback(url) {
      const callback = base.handleRedirectCallback(url);
      // The same promise for the same redirect, as the base login promises (React StrictMode).
      let mapped = callbacks.get(callback);
      if (!mapped) {
        mapped = callback.catch(interactionRequired);
        callbacks.set(callback, mapped);
      }
      return mapped;
    },
    async getUser() {
      const idToken = (await tokens.getTokens())?.id_token;
      return idToken ? decodeIdToken(idToken) : getUserInfo();
    },
    getUserInfo,
    async logout({ endSession, postLogoutRedirectUri, state }: LogoutOptions = {}) {
      const current = await tokens.getTokens();
      const ended = await base.logout();
      if (!endSession) return ended;
      const { end_session_endpoint } = await server();
      if (!end_session_endpoint) {
        throw new ProtocolError('ERR_NOT_SUPPORTED', 'The server has no end_session_endpoint');
      }
      await navigate(
        withQuery(end_session_endpoint, {
          id_token_hint: current?.id_token,
          client_id: clientId,
          post_logout_redirect_uri: postLogoutRedirectUri,
          state: state ?? randomToken(),
        }),
      );
      return ended;
    },
  };
}
