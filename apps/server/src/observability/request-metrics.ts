import type { AppMiddleware } from '../http/state';
import type { Metrics } from './metrics';

/** The route pattern @koa/router matched (`/api/:method`), never the URL; `unmatched` when none did. */
function routeOf(ctx: object): string {
  const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return route === undefined ? 'unmatched' : String(route);
}

/** Counts every request and observes its duration, by method, route pattern and status. */
export function requestMetrics(metrics: Pick<Metrics, 'observeRequest'>): AppMiddleware {
  return async function measureRequest(ctx, next) {
    const started = performance.now();
    let status: number | undefined;
    try {
      await next();
    } catch (error) {
      status = (error as { status?: number }).status ?? 500;
      throw error;
    } finally {
      metrics.observeRequest(
        { method: ctx.method, route: routeOf(ctx), status: status ?? ctx.status },
        (performance.now() - started) / 1000,
      );
    }
  };
}
