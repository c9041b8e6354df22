import { type ServerOptions, serverResolver } from './discovery';
import type { components } from './generated/openapi';
import { fetchOf } from './http';
import { processTokenResponse, tokenRequest } from './token-endpoint';
import { createTokenManager, type TokenManager } from './token-manager';

/**
 * Options of `createClientCredentials`. The secret is sent with HTTP Basic unless `authMethod` is
 * `client_secret_post`.
 *
 * @example
 * ```ts
 * const options: ClientCredentialsOptions = {
 *   baseUrl: 'https://auth.example.com',
 *   clientId: 'nightly-export',
 *   clientSecret: process.env.MATOMO_CLIENT_SECRET ?? '',
 *   scope: 'matomo:read',
 * };
 * ```
 */
export interface ClientCredentialsOptions extends ServerOptions {
  clientId: string;
  clientSecret: string;
  /** The client's scope (the server requires exactly the client's scope; omitted means that one). */
  scope?: components['schemas']['Scope'];
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Seconds of margin before expiry (default 30). */
  skew?: number;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/**
 * Creates a client-credentials token source for backends: a token manager (in memory) whose tokens
 * come from the client credentials grant. It fetches a token, caches it until `skew` seconds before it
 * expires, makes one request for any number of concurrent callers, and fetches anew (once) when the
 * API rejects the cached token. Pass it as `auth` to `createMatomoClient`.
 *
 * @example
 * ```ts
 * const auth = createClientCredentials({ baseUrl, clientId, clientSecret });
 * const matomo = createMatomoClient({ baseUrl, auth });
 * ```
 */
export function createClientCredentials(options: ClientCredentialsOptions): TokenManager {
  const { clientId, clientSecret, scope } = options;
  const doFetch = fetchOf(options.fetch);
  const server = serverResolver(options);
  const auth = { clientId, clientSecret, method: options.authMethod ?? 'client_secret_basic' };
  return createTokenManager({
    skew: options.skew,
    now: options.now,
    acquire: async () => {
      const { token_endpoint } = await server();
      const request = tokenRequest(token_endpoint, auth, {
        grant_type: 'client_credentials',
        ...(scope && { scope }),
      });
      return processTokenResponse(await doFetch(request), [clientSecret]);
    },
  });
}
