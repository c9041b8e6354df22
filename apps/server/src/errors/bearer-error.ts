import { toErrorDescription } from './error-description';
import { HttpError } from './http-error';

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * An RFC 6750 error of the Matomo API: the body is still Matomo's `{"result":"error",…}`, so
 * Matomo clients and OAuth clients both understand it; the header carries the OAuth part.
 */
export class BearerError extends HttpError {
  override readonly name = 'BearerError';
  readonly error: BearerErrorCode | undefined;
  readonly scope: string | undefined;

  constructor(status: number, message: string, error?: BearerErrorCode, scope?: string) {
    super(status, error ?? 'missing_token', message);
    this.error = error;
    this.scope = scope;
  }

  /** `WWW-Authenticate` (RFC 6750 §3): no error code when no token was sent at all. */
  challenge(realm: string): string {
    const parts = [`Bearer realm="${realm}"`];
    if (this.error) {
      parts.push(`error="${this.error}"`, `error_description="${toErrorDescription(this.message)}"`);
    }
    if (this.scope) parts.push(`scope="${this.scope}"`);
    return parts.join(', ');
  }
}

export const missingToken = () =>
  new BearerError(401, 'An access token is required: send it as Authorization: Bearer <token>.');
