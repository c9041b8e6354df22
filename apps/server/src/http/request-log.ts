import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { AppMiddleware } from './state';

/** The route pattern that matched (`/api/:method`), set by @koa/router; null when none did. */
function routeOf(ctx: object): string | null {
  const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return route === undefined ? null : String(route);
}

/** An incoming `X-Request-Id` is kept when it is a plain token (a proxy's id); else a new one. */
const requestIdPattern = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * One log line per request: method, route (the route's pattern, never the URL, whose query may
 * carry codes or tokens), the operation it asked for, status, duration, and a request id that is
 * also sent back as `X-Request-Id`. No header, query string or body is logged.
 */
export function requestLog(logger: Logger): AppMiddleware {
  return async function logRequest(ctx, next) {
    const started = performance.now();
    const incoming = ctx.get('X-Request-Id');
    const requestId = requestIdPattern.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ reqId: requestId });
    ctx.set('X-Request-Id', requestId);
    let status: number | undefined;
    try {
      await next();
    } catch (error) {
      status = (error as { status?: number }).status ?? 500;
      throw error;
    } finally {
      logger.info(
        {
          reqId: requestId,
          method: ctx.method,
          route: routeOf(ctx),
          ...(ctx.state.operation === undefined ? {} : { operation: ctx.state.operation }),
          status: status ?? ctx.status,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    }
  };
}
