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
  /** How confidential clients may authenticate at the token endpoint (see `createClientCredentials`). */
  token_endpoint_auth_methods_supported?: string[];
}

/**
 * Where a server lives: `baseUrl` (the issuer: the endpoints are then discovered, see `discover()`),
 * `metadataUrl` (its metadata document, for a server that publishes it elsewhere), or `server` (the
 * endpoints, given explicitly).
 *
 * @example
 * ```ts
 * const where: ServerOptions = { baseUrl: 'https://auth.example.com' };
 * const tenant: ServerOptions = { metadataUrl: 'https://auth.example.com/tenant-a/metadata.json' };
 * const matomo: ServerOptions = { server: matomoEndpoints('https://matomo.example.com') };
 * ```
 */
export interface ServerOptions {
  baseUrl?: string;
  /** The metadata document's URL; with `baseUrl` too, its `issuer` must be `baseUrl`. */
  metadataUrl?: string;
  server?: AuthorizationServer;
  fetch?: FetchLike;
}

const trim = (url: string) => url.replace(/\/+$/, '');
const pluginRoute = (baseUrl: string, action: string) =>
  `${trim(baseUrl)}/index.php?module=OAuth2&action=${action}`;

/**
 * The Matomo-style endpoints of a Matomo with the OAuth2 plugin
 * (`index.php?module=OAuth2&action=authorize|token`). The plugin has no revocation endpoint and no
 * `iss` parameter. `createClientCredentials` sends the secret in the body (`client_secret_post`) to
 * this token endpoint: the plugin's library (league/oauth2-server) takes HTTP Basic too but never
 * form-decodes it, so a secret with characters such as `%`, `+` or `:` works only in the body.
 *
 * @example
 * ```ts
 * const login = createBrowserLogin({ server: matomoEndpoints('https://matomo.example.com'), clientId, redirectUri });
 * ```
 */
export function matomoEndpoints(baseUrl: string): AuthorizationServer {
  return {
    authorization_endpoint: pluginRoute(baseUrl, 'authorize'),
    token_endpoint: pluginRoute(baseUrl, 'token'),
  };
}

/**
 * Reads the authorization server metadata of the issuer `baseUrl`, from the first of these that
 * answers 2xx: RFC 8414 §3.1's well-known URL, inserted between host and path
 * (`https://auth.example.com/tenant` → `https://auth.example.com/.well-known/oauth-authorization-server/tenant`);
 * OpenID Connect Discovery's `{baseUrl}/.well-known/openid-configuration`; the plugin's
 * `{baseUrl}/index.php?module=OAuth2&action=metadata`. With `metadataUrl`, only that URL. On the
 * well-known routes and at `metadataUrl` the `issuer` must equal `baseUrl` (trailing slashes aside; no
 * check at a `metadataUrl` without `baseUrl`), or a `ProtocolError` (`ERR_ISSUER_MISMATCH`) is thrown.
 *
 * @example
 * ```ts
 * const server = await discover('https://auth.example.com');
 * server.token_endpoint; // 'https://auth.example.com/oauth2/token'
 * ```
 */
export const discover = (baseUrl: string, options: DiscoveryOptions = {}): Promise<AuthorizationServer> =>
  lookUp(baseUrl, options, false);

type DiscoveryOptions = { fetch?: FetchLike; metadataUrl?: string };

async function lookUp(baseUrl: string, options: DiscoveryOptions, openIdFirst: boolean) {
  const base = trim(baseUrl);
  const get = (url: string) => fetchOf(options.fetch)(new Request(url));
  const { metadataUrl } = options;
  if (metadataUrl) return readMetadata(await get(metadataUrl), base, true);
  const { origin, pathname } = new URL(base);
  const urls = [
    `${origin}/.well-known/oauth-authorization-server${trim(pathname)}`,
    `${base}/.well-known/openid-configuration`,
  ];
  for (const url of openIdFirst ? urls.reverse() : urls) {
    const response = await get(url);
    if (response.ok) return readMetadata(response, base, true);
  }
  return readMetadata(await get(pluginRoute(base, 'metadata')), base, false);
}

/**
 * Reads OpenID Provider metadata (OpenID Connect Discovery 1.0) at
 * `{baseUrl}/.well-known/openid-configuration`: RFC 8414's fields plus `userinfo_endpoint` and
 * `end_session_endpoint`. Where that route answers no 2xx, RFC 8414's, then the plugin's route, as
 * `discover()`; with `metadataUrl`, only that URL. The `issuer` must equal `baseUrl` as there.
 *
 * @example
 * ```ts
 * const { end_session_endpoint } = await discoverOpenId('https://auth.example.com');
 * ```
 */
export const discoverOpenId = (
  baseUrl: string,
  options: DiscoveryOptions = {},
): Promise<AuthorizationServer> => lookUp(baseUrl, options, true);

// Metadata needs a token endpoint; on a well-known route, an issuer that is the base URL (RFC 8414 §3.3).
async function readMetadata(response: Response, base: string, wellKnown: boolean) {
  const metadata = await readJson(response);
  if (!response.ok || !isObject(metadata) || typeof metadata.token_endpoint !== 'string') {
    throw new ProtocolError('ERR_INVALID_RESPONSE', `No metadata at ${base}`, {
      status: response.status,
      response,
    });
  }
  if (wellKnown && base && typeof metadata.issuer === 'string' && trim(metadata.issuer) !== base) {
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
    const { baseUrl = '', metadataUrl } = options;
    if (!baseUrl && !metadataUrl) throw new ProtocolError('ERR_CONFIGURATION', 'No baseUrl or server');
    pending ??= find(baseUrl, options).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
