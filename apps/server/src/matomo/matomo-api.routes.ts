import { DomainError } from '../errors/domain-error';
import { MatomoApiError } from '../errors/matomo-api-error';
import { parseForm, queryParams } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppContext, AppMiddleware } from '../http/state';
import { allowCors } from '../oauth/shared/cors';
import { authenticateBearer, type BearerAuthenticationDeps } from './bearer-authentication';
import { renderResult } from './formats/render-result';
import { readResponseFormat } from './formats/response-format';
import { checkCall, findMethod } from './method-dispatch';
import type { MatomoMethod, MethodContext, MethodTable } from './method-registry';
import { renderMatomoErrors } from './render-matomo-errors';

export interface MatomoApiDeps extends BearerAuthenticationDeps {
  methods: MethodTable;
}

/** The method's name: from `/api/{method}`, or the `method` parameter of `index.php`. */
function methodName(ctx: AppContext, params: Params): string | undefined {
  const fromPath = (ctx.params as Record<string, string> | undefined)?.method;
  return fromPath ?? params.get('method');
}

/** Runs a method; a domain service's error is answered as Matomo answers a bad parameter. */
async function run(method: MatomoMethod, context: MethodContext): Promise<unknown> {
  try {
    return await method.run(context);
  } catch (error) {
    if (error instanceof DomainError) throw new MatomoApiError(error.message);
    throw error;
  }
}

/**
 * The Matomo API, at `/api/{Module.method}` and `index.php?module=API&method=…`, GET or POST
 * (parameters in the query or a form body), with identical answers, in the `format` asked for
 * (JSON, XML, CSV or TSV, rendered as Matomo renders them).
 */
export function matomoApi({ methods, ...auth }: MatomoApiDeps): AppMiddleware[] {
  const invoke: AppMiddleware = async function invokeMatomoMethod(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = ctx.method === 'POST' ? await parseForm(ctx) : undefined;
    const params = body ? queryParams(ctx).merge(body) : queryParams(ctx);

    // Before anything else, as Matomo builds its response builder first.
    const format = readResponseFormat(params);
    const name = methodName(ctx, params);
    if (name === undefined) throw new MatomoApiError("Please specify a value for 'method'.", 400);
    const method = findMethod(methods, name);
    ctx.state.operation = name;
    // Refused before the token is read, as Matomo does: a secret in a URL is refused as such.
    if (method.postOnly && ctx.method !== 'POST')
      throw new MatomoApiError(`The method '${name}' only accepts POST requests.`, 400);

    const caller = await authenticateBearer(auth, ctx.get('Authorization'), params);
    checkCall(name, method, caller, { fromPostBody: ctx.method === 'POST' });
    const result = await run(method, { caller, params, postBody: body, ip: ctx.ip });
    const rendered = renderResult(format, result, { method: name, params });
    ctx.set('Content-Type', rendered.contentType);
    ctx.set(rendered.headers);
    ctx.body = rendered.body;
  };

  return [allowCors, renderMatomoErrors, invoke];
}
