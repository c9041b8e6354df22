import { HttpError } from '../../errors/http-error';
import { OAuthError } from '../../errors/oauth-error';
import type { AppMiddleware } from '../../http/state';

/**
 * The one error handler of the JSON OAuth endpoints: every error becomes RFC 6749 §5.2's
 * `{error, error_description}` with its status. Another error the server answers with (an
 * unreadable body) becomes `invalid_request` with its status; anything unexpected is a 500
 * `server_error` that reveals nothing, and goes to the app's `error` event (the logger).
 */
export const renderOAuthErrors: AppMiddleware = async function renderOAuthErrors(ctx, next) {
  try {
    await next();
  } catch (caught) {
    let error: OAuthError;
    if (caught instanceof OAuthError) error = caught;
    else if (caught instanceof HttpError && caught.expose)
      error = new OAuthError('invalid_request', caught.message, caught.status, { ...caught.headers });
    else {
      ctx.app.emit('error', caught, ctx);
      error = new OAuthError('server_error', 'The server could not complete this request', 500);
    }
    ctx.status = error.status;
    ctx.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache', ...error.headers });
    ctx.body = error.toJSON();
  }
};
