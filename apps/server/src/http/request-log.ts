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
  // The request line holds only the fields above, none of them secret: the logger's redaction
  // (the net under the rule that nothing secret is logged) has nothing to find in it, and would
  // cost a few microseconds on every request.
  const requestLines = logger.child({}, { redact: { paths: [] } });
  return async function logRequest(ctx, next) {
    const started = performance.now();
    const incoming = ctx.get('X-Request-Id');
    const requestId = requestIdPattern.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    // The request's own logger, made when something logs (most requests log nothing else).
    let log: Logger | undefined;
    ctx.state.log = () => {
      log ??= logger.child({ reqId: requestId });
      return log;
    };
    ctx.set('X-Request-Id', requestId);
    await whenSettled(ctx, next, (status) =>
      requestLines.info(
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
