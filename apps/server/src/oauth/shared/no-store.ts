import type { AppMiddleware } from '../../http/state';

/** Token responses must not be cached (RFC 6749 §5.1). */
export const noStore: AppMiddleware = async function noStore(ctx, next) {
  ctx.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  await next();
};
