/**
 * OpenID Connect for the browser login, on its own entry so that applications that only call Matomo
 * do not ship it: `createOpenIdLogin()` (ID token checks, `getUser()`, `isAuthenticated()`, `prompt`,
 * `max_age`, `login_hint`, RP-initiated logout), and the pieces it is built from.
 */
export { discoverOpenId } from './discovery';
export { checkIdToken, decodeIdToken, type IdTokenCheck, type IdTokenClaims } from './id-token';
export {
  createOpenIdLogin,
  type LogoutOptions,
  type OpenIdLogin,
  type OpenIdLoginOptions,
  type Prompt,
} from './openid-login';
export { processUserInfoResponse, type UserInfo, userInfoRequest } from './user-info';
