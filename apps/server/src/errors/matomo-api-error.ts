import { HttpError, type HttpErrorOptions } from './http-error';

/**
 * An error of the Matomo API, answered as `{"result":"error","message":…}`.
 * `status` follows Matomo: 400 for a bad request such as an unknown method, 401 when access is
 * missing, and 200 for everything else (a missing or malformed parameter, for example), as
 * Matomo itself does. Messages are shown to API callers: never put a secret in one.
 */
export class MatomoApiError extends HttpError {
  override readonly name = 'MatomoApiError';

  constructor(message: string, status = 200, headers?: HttpErrorOptions['headers']) {
    super(status, 'matomo_error', message, headers === undefined ? {} : { headers });
  }
}
