import type { AppContext } from './state';

/** The route pattern @koa/router matched (`/api/:method`), never the URL; undefined when none did. */
export function matchedRoute(ctx: object): string | undefined {
  const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return route === undefined ? undefined : String(route);
}

/**
 * Runs the rest of the chain, then `settled` with the status the client gets: that of an error
 * thrown past this point (500 when it has none), else the response's. The error goes on.
 */
export async function whenSettled(
  ctx: AppContext,
  next: () => Promise<unknown>,
  settled: (status: number) => void,
): Promise<void> {
  let status: number | undefined;
  try {
    await next();
  } catch (error) {
    status = (error as { status?: number }).status ?? 500;
    throw error;
  } finally {
    settled(status ?? ctx.status);
  }
}
