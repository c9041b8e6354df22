import compose from 'koa-compose';
import { MatomoApiError } from '../errors/matomo-api-error';
import { OAuthError } from '../errors/oauth-error';
import { parseForm, queryParams } from '../http/form-body';
import type { AppMiddleware } from '../http/state';
import { renderOAuthErrors } from '../oauth/shared/render-oauth-errors';
import { renderMatomoErrors } from './render-matomo-errors';

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
 * entries: `action=__proto__` or `action=toString` is as unknown as any other name. What fails
 * before a target is chosen (an unreadable body, an unknown module) is answered as Matomo answers;
 * a method the action does not take, as an OAuth error.
 */
export function indexPhp(routes: IndexPhpRoutes): AppMiddleware {
  const oauth2 = new Map(
    Object.entries(routes.oauth2).map(([action, chains]) => [
      action,
      new Map(Object.entries(chains).map(([method, chain]) => [method, compose(chain ?? [])])),
    ]),
  );
  const api = compose(routes.api);

  const methodNotAllowed = (allowed: string[]) =>
    compose<Parameters<AppMiddleware>[0]>([
      renderOAuthErrors,
      async function methodNotAllowed() {
        throw new OAuthError('invalid_request', 'This HTTP method is not allowed here', 405, {
          Allow: allowed.join(', '),
        });
      },
    ]);

  const dispatch: AppMiddleware = async function indexPhpDispatch(ctx, next) {
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
    if (!chains) {
      throw new MatomoApiError(
        'Unknown module or action. This server answers module=API and module=OAuth2.',
        404,
      );
    }
    ctx.state.operation = `OAuth2.${action}`;
    const chain = chains.get(ctx.method === 'HEAD' ? 'GET' : ctx.method) ?? chains.get('*');
    if (chain) return chain(ctx, next);
    return methodNotAllowed([...chains.keys()].filter((method) => method !== '*'))(ctx, next);
  };
  return compose([renderMatomoErrors, dispatch]);
}
