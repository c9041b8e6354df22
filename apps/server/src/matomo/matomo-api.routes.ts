import { MatomoApiError } from '../errors/matomo-api-error';
import { BodyError, parseForm, queryParams } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppContext, AppMiddleware } from '../http/state';
import { allowCors } from '../oauth/oauth-responses';
import type { Services } from '../services';
import { checkScope, checkSuperuser } from './access-check';
import { authenticateBearer } from './bearer-authentication';
import { BearerError } from './bearer-error';
import type { MethodTable } from './method-registry';

const realm = 'matomo';

/** Every error of the API is Matomo's `{"result":"error","message":…}`; never a stack trace. */
const renderMatomoErrors: AppMiddleware = async function renderMatomoErrors(ctx, next) {
  try {
    await next();
  } catch (error) {
    let status = 500;
    let message = 'An unexpected error occurred.';
    if (error instanceof BearerError) {
      status = error.status;
      message = error.message;
      ctx.set('WWW-Authenticate', error.challenge(realm));
    } else if (error instanceof MatomoApiError) {
      status = error.status;
      message = error.message;
      if (status === 401) ctx.set('WWW-Authenticate', `Bearer realm="${realm}"`);
    } else if (error instanceof BodyError) {
      status = error.status;
      message = error.message;
    } else {
      console.error('matomo api error:', error);
    }
    ctx.status = status;
    ctx.body = { result: 'error', message };
  }
};

/** The method's name: from `/api/{method}`, or the `method` parameter of `index.php`. */
function methodName(ctx: AppContext, params: Params): string | undefined {
  const fromPath = (ctx.params as Record<string, string> | undefined)?.method;
  return fromPath ?? params.get('method');
}

/**
 * The Matomo API, at `/api/{Module.method}` and `index.php?module=API&method=…`, GET or POST
 * (parameters in the query or a form body), with identical answers.
 */
export function matomoApi(services: Services, methods: MethodTable): AppMiddleware[] {
  const invoke: AppMiddleware = async function invokeMatomoMethod(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = ctx.method === 'POST' ? await parseForm(ctx) : undefined;
    const params = body ? queryParams(ctx).merge(body) : queryParams(ctx);

    const format = params.get('format');
    if (format !== undefined && format.toLowerCase() !== 'json') {
      throw new MatomoApiError(
        `The format '${format.slice(0, 20)}' is not supported: this server answers JSON only (format=json).`,
        400,
      );
    }
    const name = methodName(ctx, params);
    if (name === undefined) throw new MatomoApiError("Please specify a value for 'method'.", 400);
    const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
    if (!method) {
      const module = name.includes('.') ? name.split('.')[0] : name;
      throw new MatomoApiError(
        `The method '${name.slice(0, 100)}' does not exist or is not available in the module '${String(module).slice(0, 100)}'.`,
        400,
      );
    }
    if (method.postOnly && ctx.method !== 'POST')
      throw new MatomoApiError(`The method '${name}' only accepts POST requests.`, 400);

    const caller = await authenticateBearer(services, ctx.get('Authorization'), params);
    checkScope(caller, method.access);
    if (method.access === 'superuser') checkSuperuser(caller);
    const result = await method.run({
      services,
      db: services.db,
      caller,
      params,
      postBody: body,
      ip: ctx.ip,
    });
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(result);
  };

  return [allowCors, renderMatomoErrors, invoke];
}
