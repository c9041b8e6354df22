import type { Client } from '../clients/client';
import * as clients from '../clients/client.repository';
import { findRedirectUri } from '../clients/redirect-uri';
import type { Db } from '../db/database';
import { AuthorizationRedirectError, type OAuthErrorCode } from '../errors/oauth-error';
import { PageError } from '../errors/page-error';
import type { Params } from '../http/params';
import { type IdentityScope, isIdentityScope, sortedIdentityScopes } from '../protocol/identity-scopes';
import { MAX_CLIENT_ID_LENGTH, MAX_MAX_AGE, MAX_NONCE_LENGTH, MAX_STATE_LENGTH } from '../protocol/limits';
import { isScope, type Scope, scopes, scopesUpTo } from '../protocol/scopes';
import { pkcePattern } from './pkce';

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export interface AuthorizationRequest {
  client: Client;
  /** The redirect URI to answer at: the one sent, or the client's only one. */
  redirectUri: string;
  redirectUriSent: boolean;
  state: string | undefined;
  /** The scopes asked for that the client may have, least privileged first. */
  scopes: Scope[];
  /** The OpenID Connect scopes asked for (all of which the client may have). */
  identityScopes: IdentityScope[];
  codeChallenge: string | undefined;
  /** OpenID Connect `nonce`, for the ID token. */
  nonce: string | undefined;
  /** OpenID Connect `prompt` values (`select_account` counts as `login`). */
  prompt: ReadonlySet<Prompt>;
  /** OpenID Connect `max_age`, seconds. */
  maxAge: number | undefined;
  /** A login to fill in on the sign-in page. */
  loginHint: string | undefined;
}

export type Prompt = 'none' | 'login' | 'consent';

const promptValues: ReadonlyMap<string, Prompt> = new Map([
  ['none', 'none'],
  ['login', 'login'],
  ['select_account', 'login'],
  ['consent', 'consent'],
]);

const parameters = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
] as const;

const invalidLinkTitle = 'This sign-in link is not valid';

function badRequestPage(message: string): PageError {
  return new PageError(400, invalidLinkTitle, message);
}

// The same address with the other loopback name, the usual mix-up (a dev server opens localhost).
function withOtherLoopbackName(uri: string): { sent: string; host: string; uri: string } | undefined {
  const match = /^(https?:\/\/)(localhost|127\.0\.0\.1)([:/?].*)?$/.exec(uri);
  if (!match) return undefined;
  const [, scheme, sent = '', rest = ''] = match;
  const host = sent === 'localhost' ? '127.0.0.1' : 'localhost';
  return { sent, host, uri: `${scheme}${host}${rest}` };
}

/**
 * A `redirect_uri` the client did not register: the page names it and says what to check; the
 * authorization endpoint logs a warning with the client id and the URI, for the developer.
 */
export class UnregisteredRedirectUriError extends PageError {
  readonly clientId: string;
  readonly redirectUri: string;

  constructor(clientId: string, redirectUri: string, registered: readonly string[]) {
    const other = withOtherLoopbackName(redirectUri);
    const shown = redirectUri.length > 300 ? `${redirectUri.slice(0, 300)}…` : redirectUri;
    const hint =
      other !== undefined && findRedirectUri(registered, other.uri) !== undefined
        ? `It is registered with ${other.host} in place of ${other.sent}: open the application with ${other.host} in its address.`
        : 'Check it character for character against the ones registered for this application: localhost and 127.0.0.1 are different addresses, and so are http and https, another port (except on 127.0.0.1 and [::1]), another path and a trailing slash.';
    super(
      400,
      invalidLinkTitle,
      `The application "${clientId}" asked to send you back to ${shown}, which is not registered for it. ${hint} Redirect URIs are registered per application (client id); the Matomo administrator can add this one.`,
    );
    this.clientId = clientId;
    this.redirectUri = redirectUri;
  }
}

/**
 * Validates an authorization request. Until the client and its redirect URI are known to be
 * good, errors are pages for the user (never a redirect: RFC 6749 §4.1.2.1, RFC 9700 §4.1.3);
 * after that they go back to the client as `AuthorizationRedirectError`s.
 */
export async function validateAuthorizationRequest(query: Params, db: Db): Promise<AuthorizationRequest> {
  if (query.isRepeated('client_id') || query.isRepeated('redirect_uri')) {
    throw badRequestPage('The request repeats client_id or redirect_uri.');
  }
  const clientId = query.get('client_id');
  if (clientId === undefined)
    throw badRequestPage('The request does not say which application is asking (client_id is missing).');
  const client = clientId.length <= MAX_CLIENT_ID_LENGTH ? await clients.find(db, clientId) : undefined;
  if (!client) throw badRequestPage('The application that sent you here is not registered with this Matomo.');
  if (!client.active)
    throw badRequestPage('The application that sent you here is paused by the Matomo administrator.');

  const sent = query.get('redirect_uri');
  let redirectUri: string;
  if (sent === undefined) {
    if (client.redirectUris.length !== 1) {
      throw badRequestPage(
        'The request must say where to send you back (redirect_uri), as the application has several.',
      );
    }
    redirectUri = client.redirectUris[0] as string;
  } else {
    if (findRedirectUri(client.redirectUris, sent) === undefined) {
      throw new UnregisteredRedirectUriError(client.clientId, sent, client.redirectUris);
    }
    redirectUri = sent;
  }

  const state = query.isRepeated('state') ? undefined : query.get('state');
  const fail = (error: OAuthErrorCode, description: string) =>
    new AuthorizationRedirectError(error, description, redirectUri, state);

  for (const name of parameters) {
    if (query.isRepeated(name)) throw fail('invalid_request', `The ${name} parameter is repeated`);
  }
  if (state !== undefined && state.length > MAX_STATE_LENGTH)
    throw fail('invalid_request', `state is longer than ${MAX_STATE_LENGTH} characters`);

  const responseType = query.get('response_type');
  if (responseType === undefined) throw fail('invalid_request', 'response_type is missing');
  if (responseType !== 'code')
    throw fail('unsupported_response_type', 'Only response_type=code is supported');
  if (!client.grantTypes.includes('authorization_code')) {
    throw fail('unauthorized_client', 'This client may not use the authorization code grant');
  }
  // OpenID Connect Core §6: request objects are not supported, and must not be silently ignored.
  if (query.sent('request')) throw fail('request_not_supported', 'Request objects are not supported');
  if (query.sent('request_uri')) throw fail('request_uri_not_supported', 'request_uri is not supported');

  const challenge = query.get('code_challenge');
  const method = query.get('code_challenge_method');
  if (method !== undefined && method !== 'S256') {
    throw fail('invalid_request', 'code_challenge_method must be S256 (plain is not supported)');
  }
  if (challenge === undefined) {
    if (method !== undefined)
      throw fail('invalid_request', 'code_challenge_method was sent without code_challenge');
    if (client.type === 'public')
      throw fail('invalid_request', 'code_challenge is required for public clients (PKCE, S256)');
  } else {
    if (method === undefined)
      throw fail('invalid_request', 'code_challenge_method=S256 is required with code_challenge');
    if (!pkcePattern.test(challenge)) {
      throw fail('invalid_request', 'code_challenge must be 43 to 128 characters of [A-Za-z0-9._~-]');
    }
  }

  const scope = query.get('scope');
  const requested = scope === undefined ? [client.scope] : scope.split(' ').filter((item) => item !== '');
  const unknown = requested.filter((item) => !isScope(item) && !isIdentityScope(item));
  if (unknown.length > 0) {
    throw fail('invalid_scope', 'The request asks for a scope this server does not know');
  }
  const identityScopes = sortedIdentityScopes(requested);
  const refused = identityScopes.filter((item) => !client.identityScopes.includes(item));
  if (refused.length > 0) {
    throw fail('invalid_scope', `This client is not registered for the ${refused.join(' ')} scope`);
  }
  if (identityScopes.length > 0 && !identityScopes.includes('openid')) {
    throw fail('invalid_scope', 'The profile and email scopes need the openid scope');
  }
  const allowed = scopesUpTo(client.scope);
  const offered = scopes.filter((item) => requested.includes(item) && allowed.includes(item));
  if (offered.length === 0) {
    throw fail(
      'invalid_scope',
      requested.some(isScope)
        ? `The client may be granted at most ${client.scope}`
        : 'The request must ask for a Matomo scope (such as matomo:read) with the OpenID Connect scopes',
    );
  }

  const nonce = query.get('nonce');
  if (nonce !== undefined && nonce.length > MAX_NONCE_LENGTH)
    throw fail('invalid_request', `nonce is longer than ${MAX_NONCE_LENGTH} characters`);

  const prompt = new Set<Prompt>();
  for (const value of (query.get('prompt') ?? '').split(' ').filter((item) => item !== '')) {
    const known = promptValues.get(value);
    if (known === undefined)
      throw fail('invalid_request', 'prompt may only hold none, login, consent and select_account');
    prompt.add(known);
  }
  if (prompt.has('none') && prompt.size > 1)
    throw fail('invalid_request', 'prompt=none cannot be combined with other prompt values');

  const maxAgeText = query.get('max_age');
  if (maxAgeText !== undefined && !/^\d{1,10}$/.test(maxAgeText))
    throw fail('invalid_request', 'max_age must be a number of seconds');
  const maxAge = maxAgeText === undefined ? undefined : Math.min(Number(maxAgeText), MAX_MAX_AGE);

  return {
    client,
    redirectUri,
    redirectUriSent: sent !== undefined,
    state,
    scopes: offered,
    identityScopes,
    codeChallenge: challenge,
    nonce,
    prompt,
    maxAge,
    loginHint: query.get('login_hint')?.trim().slice(0, 100) || undefined,
  };
}

/** The redirect URI with response parameters added to its query (RFC 6749 §4.1.2, RFC 9207). */
export function authorizationResponseUrl(
  redirectUri: string,
  params: Record<string, string | undefined>,
): string {
  const query = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query}`;
}

/**
 * The authorization request's URL without what forces a new sign-in (`prompt=login`,
 * `select_account`, `max_age`): where the sign-in page returns once the user has signed in, so
 * that the request does not ask for the password again.
 */
export function withoutForcedSignIn(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const query = new URLSearchParams(url.slice(mark + 1));
  query.delete('max_age');
  const prompt = (query.get('prompt') ?? '')
    .split(' ')
    .filter((value) => value !== '' && promptValues.get(value) !== 'login');
  if (prompt.length === 0) query.delete('prompt');
  else query.set('prompt', prompt.join(' '));
  return `${url.slice(0, mark)}?${query.toString()}`;
}
