import { authenticateClient, type ClientAuth } from './client-auth';
import { OAuthResponseError, ProtocolError } from './errors';
import type { components } from './generated/openapi';
import { isObject, readJson } from './http';

/**
 * A successful token response (RFC 6749 §5.1) as the contract defines it, except that `scope` may be
 * missing (the Matomo plugin leaves it out) and so may `expires_in` (RFC 6749 §5.1 only recommends
 * it; without it the token's lifetime is unknown, see `TokenSet`). `id_token` comes when the scope has
 * `openid` (authorization code and refresh grants).
 *
 * @example
 * ```ts
 * const tokens: TokenResponse = { token_type: 'Bearer', access_token: 'eyJ…', expires_in: 3600 };
 * ```
 */
export type TokenResponse = Omit<components['schemas']['TokenResponse'], 'scope' | 'expires_in'> & {
  expires_in?: number;
  scope?: components['schemas']['GrantedScope'];
};

/**
 * Extra parameters of every token request of `createClientCredentials` (its `tokenParams` option):
 * e.g. `resource` (RFC 8707; an array sends it once per value) or `audience`, for a server that serves
 * several APIs.
 *
 * @example
 * ```ts
 * const tokenParams: TokenParams = { resource: ['https://api.example.com', 'https://reports.example.com'], audience: 'reports' };
 * ```
 */
export type TokenParams = Record<string, string | readonly string[]>;

// What the SDK itself sends in token requests: extra parameters may not replace any of them.
const RESERVED = /^(grant_type|code(_verifier)?|client_(id|secret)|redirect_uri|refresh_token|scope)$/;

/**
 * Checks a `tokenParams` option when a client is created, and returns it as name/value pairs for
 * `tokenRequest` (a name given an array once per value). A name the SDK sets itself (`grant_type`,
 * `code`, `code_verifier`, `client_id`, `client_secret`, `redirect_uri`, `refresh_token`, `scope`) is an
 * `ERR_CONFIGURATION`, rather than a request that silently changes the grant or the client.
 */
export function tokenParamPairs(params: TokenParams = {}): [string, string][] {
  return Object.entries(params).flatMap(([name, value]) => {
    if (RESERVED.test(name)) {
      throw new ProtocolError('ERR_CONFIGURATION', `tokenParams cannot set ${name}: the SDK sets it`);
    }
    return [value].flat().map((item): [string, string] => [name, item]);
  });
}

type Secrets = readonly (string | undefined)[];

/**
 * Builds a token request (RFC 6749 §4.1.3, §4.4.2, §6): a form POST with the client's credentials.
 * `params` is a record, or name/value pairs to send a name more than once (RFC 8707 `resource`).
 * Pair it with `processTokenResponse`.
 *
 * @example
 * ```ts
 * const request = tokenRequest(tokenEndpoint, { clientId: 'dashboard' }, {
 *   grant_type: 'refresh_token', refresh_token: refreshToken,
 * });
 * const tokens = await processTokenResponse(await fetch(request), [refreshToken]);
 * ```
 */
export function tokenRequest(
  endpoint: string,
  auth: ClientAuth,
  params: Record<string, string> | [string, string][],
): Request {
  const body = new URLSearchParams(params);
  const headers = new Headers();
  authenticateClient(auth, headers, body);
  return new Request(endpoint, { method: 'POST', headers, body });
}

/**
 * Reads a token endpoint response: the tokens, or an `OAuthResponseError` (`ERR_OAUTH_RESPONSE`) for
 * an `{error}` body, or a `ProtocolError` (`ERR_INVALID_RESPONSE`) for anything else. `secrets` (the
 * code, verifier, refresh token, client secret that were sent) are cut out of error texts.
 *
 * @example
 * ```ts
 * const tokens = await processTokenResponse(await fetch(request), [code, verifier]);
 * ```
 */
export async function processTokenResponse(
  response: Response,
  // Stryker disable next-line ArrayDeclaration: no secrets by default; the mutant's one secret, "Stryker was here", is in no server's text
  secrets: Secrets = [],
): Promise<TokenResponse> {
  const body = await readJson(response);
  if (!response.ok) throw errorFrom(response, body, secrets);
  // expires_in may be missing (RFC 6749 §5.1: the lifetime is then unknown), but not something else.
  const problem =
    !isObject(body) ||
    typeof body.access_token !== 'string' ||
    !body.access_token ||
    !/^bearer$/i.test(String(body.token_type))
      ? 'No Bearer token in the response'
      : body.expires_in === undefined || typeof body.expires_in === 'number'
        ? ''
        : 'expires_in is not a number';
  if (problem)
    throw new ProtocolError('ERR_INVALID_RESPONSE', problem, { status: response.status, response });
  return { ...(body as object), token_type: 'Bearer' } as TokenResponse;
}

/**
 * Builds a revocation request (RFC 7009 §2.1) for a refresh token (or an access token, with `hint`).
 * Pair it with `processRevocationResponse`.
 *
 * @example
 * ```ts
 * await processRevocationResponse(await fetch(revocationRequest(endpoint, auth, refreshToken)), [refreshToken]);
 * ```
 */
export function revocationRequest(
  endpoint: string,
  auth: ClientAuth,
  token: string,
  hint: 'refresh_token' | 'access_token' = 'refresh_token',
): Request {
  return tokenRequest(endpoint, auth, { token, token_type_hint: hint });
}

/**
 * Checks a revocation response: any 2xx is success (the server answers 200 even for unknown tokens);
 * otherwise throws like `processTokenResponse`.
 *
 * @example
 * ```ts
 * await processRevocationResponse(response, [refreshToken]);
 * ```
 */
// Stryker disable next-line ArrayDeclaration: no secrets by default; the mutant's one secret, "Stryker was here", is in no server's text
export async function processRevocationResponse(response: Response, secrets: Secrets = []): Promise<void> {
  if (!response.ok) throw errorFrom(response, await readJson(response), secrets);
}

function errorFrom(response: Response, body: unknown, secrets: Secrets): Error {
  const { status } = response;
  if (!isObject(body) || typeof body.error !== 'string') {
    return new ProtocolError('ERR_INVALID_RESPONSE', `HTTP ${status} without an OAuth error`, {
      status,
      response,
    });
  }
  const { error, error_description, hint } = body;
  return new OAuthResponseError('ERR_OAUTH_RESPONSE', {
    status,
    response,
    secrets,
    error,
    error_description: typeof error_description === 'string' ? error_description : undefined,
    hint: typeof hint === 'string' ? hint : undefined,
    retryAfter: Number(response.headers.get('retry-after')) || undefined,
  });
}
