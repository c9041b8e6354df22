import { type ServerOptions, serverResolver } from './discovery';
import { ProtocolError } from './errors';
import type { components } from './generated/openapi';
import { fetchOf } from './http';
import { processTokenResponse, type TokenParams, tokenParamPairs, tokenRequest } from './token-endpoint';
import { createTokenManager, type TokenManager } from './token-manager';

export type { TokenParams } from './token-endpoint';

/**
 * Options of `createClientCredentials`. The secret is sent with HTTP Basic unless `authMethod` is
 * `client_secret_post`; an empty one (an unset environment variable) is refused up front.
 *
 * @example
 * ```ts
 * const options: ClientCredentialsOptions = {
 *   baseUrl: 'https://auth.example.com',
 *   clientId: 'nightly-export',
 *   clientSecret: process.env.MATOMO_CLIENT_SECRET ?? '', // '' throws ERR_CONFIGURATION
 *   scope: 'matomo:read',
 *   tokenParams: { resource: ['https://matomo.example.com'] }, // RFC 8707, where the server wants it
 * };
 * ```
 */
export interface ClientCredentialsOptions extends ServerOptions {
  clientId: string;
  clientSecret: string;
  /** The client's scope (the server requires exactly the client's scope; omitted means that one). */
  scope?: components['schemas']['Scope'];
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  /**
   * Extra parameters of every token request, e.g. `{ resource: [...] }` (RFC 8707, may repeat) or
   * `{ audience: '…' }`. Names the SDK sets itself are refused (`ERR_CONFIGURATION`).
   */
  tokenParams?: TokenParams;
  /** Seconds of margin before expiry (default 30). */
  skew?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/**
 * Creates a client-credentials token source for backends: a token manager (in memory) whose tokens
 * come from the client credentials grant. It fetches a token, caches it until `skew` seconds before it
 * expires, makes one request for any number of concurrent callers, and fetches anew (once) when the
 * API rejects the cached token (a token of unknown lifetime, without `expires_in`, only then). Pass it
 * as `auth` to `createMatomoClient`. An empty `clientId` or `clientSecret`, or `tokenParams` that name
 * a parameter the SDK sets, throw `ERR_CONFIGURATION` here, before any request.
 *
 * @example
 * ```ts
 * const auth = createClientCredentials({ baseUrl, clientId, clientSecret });
 * const matomo = createMatomoClient({ baseUrl, auth });
 * ```
 */
export function createClientCredentials(options: ClientCredentialsOptions): TokenManager {
  const { clientId, clientSecret, scope } = options;
  // An unset environment variable (`process.env.X ?? ''`) must not reach the server as a credential.
  for (const [name, value] of Object.entries({ clientId, clientSecret })) {
    if (!value)
      throw new ProtocolError('ERR_CONFIGURATION', `${name} is empty (an unset environment variable?)`);
  }
  const extra = tokenParamPairs(options.tokenParams);
  const doFetch = fetchOf(options.fetch);
  const server = serverResolver(options);
  const auth = { clientId, clientSecret, method: options.authMethod ?? 'client_secret_basic' };
  return createTokenManager({
    skew: options.skew,
    now: options.now,
    acquire: async () => {
      const { token_endpoint } = await server();
      const params = Object.entries({ grant_type: 'client_credentials', ...(scope && { scope }) });
      const request = tokenRequest(token_endpoint, auth, [...params, ...extra]);
      return processTokenResponse(await doFetch(request), [clientSecret]);
    },
  });
}
