import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger';
import { matchedRoute, whenSettled } from './request-outcome';
import type { AppMiddleware } from './state';

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
    await whenSettled(ctx, next, (status) =>
      logger.info(
        {
          reqId: requestId,
          method: ctx.method,
          route: matchedRoute(ctx) ?? null,
          ...(ctx.state.operation === undefined ? {} : { operation: ctx.state.operation }),
          status,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      ),
    );
  };
}
