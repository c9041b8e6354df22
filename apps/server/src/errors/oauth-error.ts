import type { components } from '@matomo-oauth2/sdk/openapi';

export type OAuthErrorCode = components['schemas']['OAuthErrorCode'];

/**
 * An RFC 6749 §5.2 error, answered as `{error, error_description}`. The description is for
 * developers and is shown to them: never put a token, secret, code or verifier in it.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly error: OAuthErrorCode;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    error: OAuthErrorCode,
    description: string,
    status = 400,
    headers: Record<string, string> = {},
  ) {
    super(description);
    this.error = error;
    this.status = status;
    this.headers = headers;
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
