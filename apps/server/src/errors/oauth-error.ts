import type { components } from '@matomo-oauth2/sdk/openapi';
import { toErrorDescription } from './error-description';
import { HttpError } from './http-error';

export type OAuthErrorCode = components['schemas']['OAuthErrorCode'];

/**
 * An RFC 6749 §5.2 error, answered as `{error, error_description}`. The description is written
 * for developers and shown to them, so it is built from this server's own words only: never a
 * token, secret, code or verifier, and never a value the request sent (a scope name, a grant
 * type, a parameter name). Characters RFC 6749 does not allow are dropped here, once for all.
 */
export class OAuthError extends HttpError {
  override readonly name: string = 'OAuthError';
  /** The RFC 6749 error code (the same as `code`). */
  readonly error: OAuthErrorCode;

  constructor(
    error: OAuthErrorCode,
    description: string,
    status = 400,
    headers: Record<string, string> = {},
  ) {
    super(status, error, toErrorDescription(description), { headers });
    this.error = error;
  }

  toJSON(): components['schemas']['OAuthError'] {
    return { error: this.error, error_description: this.message };
  }
}

export const invalidRequest = (description: string) => new OAuthError('invalid_request', description);
export const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
export const invalidScope = (description: string) => new OAuthError('invalid_scope', description);
export const unauthorizedClient = (description: string) => new OAuthError('unauthorized_client', description);

/**
 * 401 `invalid_client`. When the client tried the `Authorization` header, the answer carries
 * `WWW-Authenticate` with the scheme it used (RFC 6749 §5.2).
 */
export function invalidClient(description: string, usedAuthorizationHeader: boolean): OAuthError {
  const headers: Record<string, string> = usedAuthorizationHeader
    ? { 'WWW-Authenticate': 'Basic realm="matomo-oauth2", charset="UTF-8"' }
    : {};
  return new OAuthError('invalid_client', description, 401, headers);
}

export function tooManyRequests(retryAfterSeconds: number): OAuthError {
  return new OAuthError(
    'temporarily_unavailable',
    'Too many failed client authentications from this address; retry later',
    429,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/**
 * An authorization endpoint error sent back to the client by redirect (RFC 6749 §4.1.2.1): only
 * once the client and its redirect URI are known to be good.
 */
export class AuthorizationRedirectError extends OAuthError {
  override readonly name = 'AuthorizationRedirectError';
  readonly redirectUri: string;
  readonly state: string | undefined;

  constructor(error: OAuthErrorCode, description: string, redirectUri: string, state: string | undefined) {
    super(error, description, 302);
    this.redirectUri = redirectUri;
    this.state = state;
  }
}
