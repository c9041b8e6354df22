import { ProtocolError } from './errors';
import { type FetchLike, fetchOf, isObject, readJson } from './http';

/**
 * The endpoints (RFC 8414 names) the SDK needs. Get it from `discover()`, from `matomoEndpoints()` for
 * a Matomo with the OAuth2 plugin, or write it by hand.
 *
 * @example
 * ```ts
 * const server: AuthorizationServer = {
 *   issuer: 'https://auth.example.com',
 *   authorization_endpoint: 'https://auth.example.com/oauth2/authorize',
 *   token_endpoint: 'https://auth.example.com/oauth2/token',
 *   revocation_endpoint: 'https://auth.example.com/oauth2/revoke',
 *   authorization_response_iss_parameter_supported: true,
 * };
 * ```
 */
export interface AuthorizationServer {
  issuer?: string;
  authorization_endpoint?: string;
  token_endpoint: string;
  /** Without it, `logout()` only forgets the tokens. */
  revocation_endpoint?: string;
  /** OpenID Connect: where `getUser()` of `createOpenIdLogin` asks when there is no ID token. */
  userinfo_endpoint?: string;
  /** OpenID Connect RP-Initiated Logout: where `logout({ endSession: true })` of `createOpenIdLogin` goes. */
  end_session_endpoint?: string;
  /** RFC 9207: when true, the login redirect must carry `iss` equal to `issuer`. */
  authorization_response_iss_parameter_supported?: boolean;
}

/**
 * Where a server lives: `baseUrl` (the endpoints are then discovered) or `server` (given explicitly).
 *
 * @example
 * ```ts
 * const where: ServerOptions = { baseUrl: 'https://auth.example.com' };
 * const matomo: ServerOptions = { server: matomoEndpoints('https://matomo.example.com') };
 * ```
 */
export interface ServerOptions {
  baseUrl?: string;
  server?: AuthorizationServer;
  fetch?: FetchLike;
}

const trim = (url: string) => url.replace(/\/+$/, '');

/**
 * The Matomo-style endpoints of a Matomo with the OAuth2 plugin
 * (`index.php?module=OAuth2&action=authorize|token`). The plugin has no revocation endpoint and no
 * `iss` parameter.
 *
 * @example
 * ```ts
 * const login = createBrowserLogin({ server: matomoEndpoints('https://matomo.example.com'), clientId, redirectUri });
 * ```
 */
export function matomoEndpoints(baseUrl: string): AuthorizationServer {
  const at = (action: string) => `${trim(baseUrl)}/index.php?module=OAuth2&action=${action}`;
  return { authorization_endpoint: at('authorize'), token_endpoint: at('token') };
}

/**
 * Reads the authorization server metadata (RFC 8414) at `{baseUrl}/.well-known/oauth-authorization-server`,
 * falling back to the plugin's `{baseUrl}/index.php?module=OAuth2&action=metadata`. On the well-known
 * route the `issuer` must equal `baseUrl` (trailing slashes aside), or a `ProtocolError`
 * (`ERR_ISSUER_MISMATCH`) is thrown.
 *
 * @example
 * ```ts
 * const server = await discover('https://auth.example.com');
 * server.token_endpoint; // 'https://auth.example.com/oauth2/token'
 * ```
 */
export async function discover(
  baseUrl: string,
  options: { fetch?: FetchLike } = {},
): Promise<AuthorizationServer> {
  const doFetch = fetchOf(options.fetch);
  const base = trim(baseUrl);
  const get = (url: string) => doFetch(new Request(url));
  let response = await get(`${base}/.well-known/oauth-authorization-server`);
  const wellKnown = response.ok;
  if (!wellKnown) response = await get(`${base}/index.php?module=OAuth2&action=metadata`);
  return readMetadata(response, base, wellKnown);
}

/**
 * Reads OpenID Provider metadata (OpenID Connect Discovery 1.0) at
 * `{baseUrl}/.well-known/openid-configuration`: RFC 8414's fields plus `userinfo_endpoint` and
 * `end_session_endpoint`. Where that route answers no 2xx, it is `discover(baseUrl)`. The `issuer`
 * must equal `baseUrl` as there.
 *
 * @example
 * ```ts
 * const { end_session_endpoint } = await discoverOpenId('https://auth.example.com');
 * ```
 */
export async function discoverOpenId(
  baseUrl: string,
  options: { fetch?: FetchLike } = {},
): Promise<AuthorizationServer> {
  const base = trim(baseUrl);
  const response = await fetchOf(options.fetch)(new Request(`${base}/.well-known/openid-configuration`));
  return response.ok ? readMetadata(response, base, true) : discover(baseUrl, options);
}

// Metadata needs a token endpoint; on a well-known route, an issuer that is the base URL (RFC 8414 §3.3).
async function readMetadata(response: Response, base: string, wellKnown: boolean) {
  const metadata = await readJson(response);
  if (!response.ok || !isObject(metadata) || typeof metadata.token_endpoint !== 'string') {
    throw new ProtocolError('ERR_INVALID_RESPONSE', `No metadata at ${base}`, {
      status: response.status,
      response,
    });
  }
  if (wellKnown && typeof metadata.issuer === 'string' && trim(metadata.issuer) !== base) {
    throw new ProtocolError('ERR_ISSUER_MISMATCH', `Issuer ${metadata.issuer} is not ${base}`);
  }
  return metadata as unknown as AuthorizationServer;
}

/**
 * Resolves the server once (explicit, or discovered with `find`); a failed discovery is retried on the
 * next call.
 */
export function serverResolver(
  options: ServerOptions,
  find: typeof discover = discover,
): () => Promise<AuthorizationServer> {
  let pending: Promise<AuthorizationServer> | undefined;
  return async () => {
    if (options.server) return options.server;
    const { baseUrl } = options;
    if (!baseUrl) throw new ProtocolError('ERR_CONFIGURATION', 'No baseUrl or server');
    pending ??= find(baseUrl, options).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
