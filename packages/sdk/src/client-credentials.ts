import type { ClientAuth } from './client-auth';
import { type ServerOptions, serverResolver } from './discovery';
import { OAuthResponseError, ProtocolError } from './errors';
import { formEncode } from './form';
import { fetchOf } from './http';
import type { MatomoScope, ScopeList } from './scope-list';
import { processTokenResponse, type TokenParams, tokenParamPairs, tokenRequest } from './token-endpoint';
import { createTokenManager, type TokenManager } from './token-manager';

export type { TokenParams } from './token-endpoint';

// The Matomo OAuth2 plugin's token route (see matomoEndpoints).
const PLUGIN_TOKEN_ENDPOINT = /[?&]module=OAuth2&action=token(&|$)/;

/**
 * Options of `createClientCredentials`. An empty `clientId`, `clientSecret` or `scope` (an unset
 * environment variable) is refused up front. `scope` is sent with every token request: a server may
 * answer a request without one with a token without scope (league/oauth2-server, the Matomo plugin's
 * library, does), so the SDK never leaves it to the server.
 *
 * Without `authMethod` the SDK picks how to send the secret:
 * - at the token endpoint of a Matomo with the OAuth2 plugin (`index.php?module=OAuth2&action=token`,
 *   as `matomoEndpoints()` gives), `client_secret_post`: the plugin's library, league/oauth2-server,
 *   never form-decodes HTTP Basic credentials (RFC 6749 §2.3.1 says to), so only in the body does a
 *   secret work whatever it contains;
 * - where the server's metadata lists `token_endpoint_auth_methods_supported`, HTTP Basic when listed,
 *   unless the id or secret has characters outside the form-safe set (`A-Z a-z 0-9 * - . _`) and
 *   `client_secret_post` is listed too; otherwise `client_secret_post`;
 * - without that list, HTTP Basic (RFC 8414's default); when the id or secret is not form-safe and the
 *   server answers `invalid_client`, once more with `client_secret_post`, which is then kept.
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
  /**
   * The scope to ask for, always sent (e.g. `'matomo:read'`; space-separated for several). The
   * reference server grants it when it is within the client's scope; other servers have their rules.
   */
  scope: ScopeList<MatomoScope>;
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
 * a parameter the SDK sets, throw `ERR_CONFIGURATION` here, before any request. How the secret is
 * sent: see `ClientCredentialsOptions`.
 *
 * @example
 * ```ts
 * const auth = createClientCredentials({ baseUrl, clientId, clientSecret, scope: 'matomo:read' });
 * const matomo = createMatomoClient({ baseUrl, auth });
 * ```
 */
export function createClientCredentials(options: ClientCredentialsOptions): TokenManager {
  const { clientId, clientSecret, scope } = options;
  // An unset environment variable (`process.env.X ?? ''`) must not reach the server as a credential.
  for (const [name, value] of Object.entries({ clientId, clientSecret, scope })) {
    if (!value)
      throw new ProtocolError('ERR_CONFIGURATION', `${name} is empty (an unset environment variable?)`);
  }
  const params: [string, string][] = [
    ['grant_type', 'client_credentials'],
    ['scope', scope],
    ...tokenParamPairs(options.tokenParams),
  ];
  const doFetch = fetchOf(options.fetch);
  const server = serverResolver(options);
  // Form-encoding leaves these as they are: read alike by servers that decode Basic credentials and not.
  const formSafe = formEncode(clientId) === clientId && formEncode(clientSecret) === clientSecret;
  let method = options.authMethod;
  return createTokenManager({
    skew: options.skew,
    now: options.now,
    acquire: async () => {
      const { token_endpoint, token_endpoint_auth_methods_supported } = await server();
      const listed = PLUGIN_TOKEN_ENDPOINT.test(token_endpoint)
        ? ['client_secret_post']
        : token_endpoint_auth_methods_supported;
      const request = async (chosen: ClientAuth['method']) =>
        processTokenResponse(
          await doFetch(tokenRequest(token_endpoint, { clientId, clientSecret, method: chosen }, params)),
          [clientSecret],
        );
      if (method) return request(method);
      if (listed) {
        const post = listed.includes('client_secret_post');
        const basic = listed.includes('client_secret_basic') && (formSafe || !post);
        return request(basic ? 'client_secret_basic' : 'client_secret_post');
      }
      const invalidClient = (error: unknown) =>
        error instanceof OAuthResponseError && error.error === 'invalid_client';
      try {
        return await request('client_secret_basic');
      } catch (error) {
        if (formSafe || !invalidClient(error)) throw error;
        // league/oauth2-server does not form-decode Basic credentials: the same secret in the body.
        // Refused there too, the secret is wrong: the first answer (with its Basic challenge) stands.
        const tokens = await request('client_secret_post').catch((again: unknown) => {
          throw invalidClient(again) ? error : again;
        });
        method = 'client_secret_post';
        return tokens;
      }
    },
  });
}
