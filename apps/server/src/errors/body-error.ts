import { HttpError } from './http-error';

/** A request body that cannot be read: malformed (400) or too large (413). */
export class BodyError extends HttpError {
  override readonly name = 'BodyError';

  constructor(message: string, status: 400 | 413) {
    super(status, status === 413 ? 'body_too_large' : 'malformed_body', message);
  }
}
