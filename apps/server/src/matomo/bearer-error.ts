/**
 * An RFC 6750 error of the Matomo API: the body is still Matomo's `{"result":"error",…}`, so
 * Matomo clients and OAuth clients both understand it; the header carries the OAuth part.
 */
export class BearerError extends Error {
  override readonly name = 'BearerError';
  readonly status: number;
  readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
  readonly scope: string | undefined;

  constructor(
    status: number,
    message: string,
    error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
    scope?: string,
  ) {
    super(message);
    this.status = status;
    this.error = error;
    this.scope = scope;
  }

  /** `WWW-Authenticate` (RFC 6750 §3): no error code when no token was sent at all. */
  challenge(realm: string): string {
    const parts = [`Bearer realm="${realm}"`];
    if (this.error) {
      // RFC 6750 §3: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
      const description = this.message.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
      parts.push(`error="${this.error}"`, `error_description="${description}"`);
    }
    if (this.scope) parts.push(`scope="${this.scope}"`);
    return parts.join(', ');
  }
}

export const missingToken = () =>
  new BearerError(401, 'An access token is required: send it as Authorization: Bearer <token>.');
