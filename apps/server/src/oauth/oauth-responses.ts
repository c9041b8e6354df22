import { OAuthError } from '../errors/oauth-error';
import { BodyError } from '../http/form-body';
import type { AppMiddleware } from '../http/state';

/**
 * The one error handler of the JSON OAuth endpoints: every error becomes RFC 6749 §5.2's
 * `{error, error_description}` with its status; anything unexpected is a 500 `server_error`
 * that reveals nothing.
 */
export const renderOAuthErrors: AppMiddleware = async function renderOAuthErrors(ctx, next) {
  try {
    await next();
  } catch (caught) {
    let error: OAuthError;
    if (caught instanceof OAuthError) error = caught;
    else if (caught instanceof BodyError)
      error = new OAuthError('invalid_request', caught.message, caught.status);
    else {
      console.error('oauth endpoint error:', caught);
      error = new OAuthError('server_error', 'The server could not complete this request', 500);
    }
    ctx.status = error.status;
    ctx.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache', ...error.headers });
    ctx.body = error.toJSON();
  }
};

/** Token responses must not be cached (RFC 6749 §5.1). */
export const noStore: AppMiddleware = async function noStore(ctx, next) {
  ctx.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  await next();
};

/**
 * Browser apps (public clients) call these endpoints from their own origin. No cookie or other
 * ambient credential is involved, so any origin may read the answer.
 */
export const allowCors: AppMiddleware = async function allowCors(ctx, next) {
  if (ctx.get('Origin')) {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Expose-Headers', 'WWW-Authenticate, Retry-After');
  }
  if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method')) {
    ctx.set('Access-Control-Allow-Methods', 'GET, POST');
    ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    ctx.set('Access-Control-Max-Age', '600');
    ctx.status = 204;
    return;
  }
  await next();
};
