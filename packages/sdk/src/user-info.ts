import { OAuthResponseError, ProtocolError } from './errors';
import type { components } from './generated/openapi';
import { isObject, readJson } from './http';
import { parseBearerChallenge } from './matomo-middleware';

/**
 * The UserInfo response (OpenID Connect Core §5.3) as the contract defines it: `sub` (the Matomo
 * login), `preferred_username` and `name` with the `profile` scope, `email` and `email_verified` with
 * `email`.
 *
 * @example
 * ```ts
 * const user: UserInfo = { sub: 'alice', preferred_username: 'alice', email: 'alice@example.com' };
 * ```
 */
export type UserInfo = components['schemas']['UserInfo'];

/**
 * Builds a UserInfo request: `GET` with the access token as `Authorization: Bearer`. Pair it with
 * `processUserInfoResponse`.
 *
 * @example
 * ```ts
 * const user = await processUserInfoResponse(await fetch(userInfoRequest(endpoint, accessToken)));
 * ```
 */
export function userInfoRequest(endpoint: string, accessToken: string): Request {
  return new Request(endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
}

/**
 * Reads a UserInfo response: the claims, or an `OAuthResponseError` (`ERR_OAUTH_RESPONSE`) with the
 * `error` of its `WWW-Authenticate` challenge (`invalid_token`; `insufficient_scope` when the token's
 * scope lacks `openid`), or a `ProtocolError` (`ERR_INVALID_RESPONSE`) for anything else.
 *
 * @example
 * ```ts
 * const { sub, email } = await processUserInfoResponse(response, [accessToken]);
 * ```
 */
export async function processUserInfoResponse(
  response: Response,
  // Stryker disable next-line ArrayDeclaration: no secrets by default; the mutant's one secret, "Stryker was here", is in no server's text
  secrets: readonly (string | undefined)[] = [],
): Promise<UserInfo> {
  const { status } = response;
  const { error, error_description } = parseBearerChallenge(response.headers.get('www-authenticate'));
  if (error)
    throw new OAuthResponseError('ERR_OAUTH_RESPONSE', {
      status,
      response,
      secrets,
      error,
      error_description,
    });
  const body = await readJson(response);
  if (!response.ok || !isObject(body) || typeof body.sub !== 'string') {
    throw new ProtocolError('ERR_INVALID_RESPONSE', `No UserInfo (HTTP ${status})`, { status, response });
  }
  return body as UserInfo;
}
