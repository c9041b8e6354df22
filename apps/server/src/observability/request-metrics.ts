import { matchedRoute, whenSettled } from '../http/request-outcome';
import type { AppMiddleware } from '../http/state';
import type { Metrics } from './metrics';

/** Counts every request and observes its duration, by method, route pattern (`unmatched`: none) and status. */
export function requestMetrics(metrics: Pick<Metrics, 'observeRequest'>): AppMiddleware {
  return async function measureRequest(ctx, next) {
    const started = performance.now();
    await whenSettled(ctx, next, (status) =>
      metrics.observeRequest(
        { method: ctx.method, route: matchedRoute(ctx) ?? 'unmatched', status },
        (performance.now() - started) / 1000,
      ),
    );
  };
}
