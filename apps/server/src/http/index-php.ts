import compose from 'koa-compose';
import { parseForm, queryParams } from './form-body';
import type { AppMiddleware } from './state';

/** Middleware chains by HTTP method (`*` for any other method). */
type Chains = Partial<Record<string, AppMiddleware[]>>;

export interface IndexPhpRoutes {
  /** `module=OAuth2&action=<name>`: chains by HTTP method. */
  oauth2: Record<string, Chains>;
  /** `module=API`: the Matomo API. */
  api: AppMiddleware[];
}

/**
 * Matomo routes everything through `index.php`: the module (and the action) come from the query
 * string, or, for a POST without them there, from the form body (as the plugin README's API
 * example sends `-d module=API`). Each target is the same middleware chain as its clean route,
 * so both forms answer identically. Actions are looked up in a `Map` of this server's own
 * entries: `action=__proto__` or `action=toString` is as unknown as any other name.
 */
export function indexPhp(routes: IndexPhpRoutes): AppMiddleware {
  const oauth2 = new Map(
    Object.entries(routes.oauth2).map(([action, chains]) => [
      action,
      new Map(Object.entries(chains).map(([method, chain]) => [method, compose(chain ?? [])])),
    ]),
  );
  const api = compose(routes.api);

  return async function indexPhpDispatch(ctx, next) {
    const query = queryParams(ctx);
    let module = query.get('module');
    let action = query.get('action');
    if (module === undefined && ctx.method === 'POST') {
      const form = await parseForm(ctx);
      module = form.get('module');
      action = form.get('action');
    }
    // A CORS preflight carries no body: a module-less OPTIONS is the API's (the SDK posts the module in the body).
    if (module === 'API' || (module === undefined && ctx.method === 'OPTIONS')) return api(ctx, next);
    const chains = module === 'OAuth2' && action !== undefined ? oauth2.get(action) : undefined;
    if (chains) {
      ctx.state.operation = `OAuth2.${action}`;
      const chain = chains.get(ctx.method === 'HEAD' ? 'GET' : ctx.method) ?? chains.get('*');
      if (chain) return chain(ctx, next);
      ctx.status = 405;
      ctx.set('Allow', [...chains.keys()].filter((method) => method !== '*').join(', '));
      ctx.body = { error: 'invalid_request', error_description: 'This HTTP method is not allowed here' };
      return;
    }
    ctx.status = 404;
    ctx.body = {
      result: 'error',
      message: 'Unknown module or action. This server answers module=API and module=OAuth2.',
    };
  };
}
