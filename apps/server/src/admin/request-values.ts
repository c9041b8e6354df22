import { queryParams } from '../http/form-body';
import type { AppContext } from '../http/state';

/** A path parameter of the route (`:login`), decoded by the router. */
export function routeParam(ctx: AppContext, name: string): string {
  const value = (ctx.params as Record<string, string | undefined> | undefined)?.[name];
  if (value === undefined) throw new Error(`The route has no :${name} parameter`);
  return value;
}

/**
 * The one-line confirmation of what was just done, named by `?done=` on the page a form
 * redirected to (post/redirect/get). Only the page's own messages can be shown: never text from
 * the URL.
 */
export function doneNotice(ctx: AppContext, notices: Readonly<Record<string, string>>): string | undefined {
  const done = queryParams(ctx).get('done');
  return done !== undefined && Object.hasOwn(notices, done) ? notices[done] : undefined;
}
