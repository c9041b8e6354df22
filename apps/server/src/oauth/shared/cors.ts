import type { AppMiddleware } from '../../http/state';

/**
 * Browser apps (public clients) call the token, revocation and metadata endpoints, and the Matomo
 * API, from their own origin. No cookie or other ambient credential is involved, so any origin
 * may read the answer.
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
