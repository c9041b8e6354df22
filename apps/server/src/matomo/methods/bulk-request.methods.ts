import { BearerError } from '../../errors/bearer-error';
import { DomainError } from '../../errors/domain-error';
import { HttpError } from '../../errors/http-error';
import { MatomoApiError } from '../../errors/matomo-api-error';
import { Params } from '../../http/params';
import { formatValueXml } from '../formats/xml';
import { checkCall, findMethod } from '../method-dispatch';
import type { MethodContext, MethodTable } from '../method-registry';

const BULK_REQUEST = 'API.getBulkRequest';

/** A Matomo error object, as it stands in the slot of a call that failed. */
interface MatomoErrorResult {
  result: 'error';
  message: string;
}

/**
 * `API.getBulkRequest` (Matomo's `plugins/API/API.php`): runs each `urls[]` entry, a query string
 * of another API call, and answers their results in order. Each inner call gets the outer
 * request's parameters it does not name itself (`urls` aside) and is checked exactly as a direct
 * call with the same token: scope, super user, site access. A failing call gives its Matomo error
 * object in its slot; a nested `API.getBulkRequest` (or a call naming no method) is skipped,
 * as Matomo skips it. Inner parameters come from URLs, so a POST-only method (one that carries a
 * secret) is refused in its slot, and no inner call ever sees the outer POST body.
 */
export function bulkRequestMethods(methods: MethodTable): MethodTable {
  return {
    [BULK_REQUEST]: {
      access: 'view',
      async run(context) {
        const urls = readUrls(context.params);
        if (urls === undefined) throw new MatomoApiError("Please specify a value for 'urls'.");
        const outer = outerParams(context.params);
        const results: unknown[] = [];
        for (const url of urls) {
          const params = innerParams(url, outer);
          const name = params.get('method');
          if (name === undefined || name === BULK_REQUEST) continue;
          results.push(await callInner(methods, name, { ...context, params, postBody: undefined }));
        }
        return results;
      },
    },
  };
}

/**
 * `urls[]=…` or `urls[0]=…` entries, in order; `[]` for a lone `urls=…`, which Matomo reads as no
 * array. Undefined when the parameter is missing altogether.
 */
function readUrls(params: Params): string[] | undefined {
  const names = params.names().filter((name) => /^urls\[[0-9]*\]$/.test(name));
  if (names.length > 0) return names.flatMap((name) => params.getAll(name));
  return params.sent('urls') ? [] : undefined;
}

/** The outer request's parameters that inner calls inherit: all but `urls` and `format`. */
function outerParams(params: Params): Params {
  const entries: [string, string][] = [];
  for (const name of params.names()) {
    if (name === 'urls' || /^urls\[[0-9]*\]$/.test(name) || name === 'format') continue;
    for (const value of params.getAll(name)) entries.push([name, value]);
  }
  return new Params(entries);
}

/** The inner call's own parameters, then the outer ones it does not name (PHP's `$params += $outer`). */
function innerParams(url: string, outer: Params): Params {
  const own = Params.parse(url.startsWith('?') ? url.slice(1) : url);
  const entries: [string, string][] = [];
  for (const name of own.names()) {
    if (name === 'format') continue;
    for (const value of own.getAll(name)) entries.push([name, value]);
  }
  for (const name of outer.names()) {
    if (own.sent(name)) continue;
    for (const value of outer.getAll(name)) entries.push([name, value]);
  }
  entries.push(['format', 'json']);
  return new Params(entries);
}

/** One inner call, with the checks of a direct call; a refused or failing call answers its error. */
async function callInner(methods: MethodTable, name: string, context: MethodContext): Promise<unknown> {
  try {
    const method = findMethod(methods, name);
    // The token goes in the Authorization header only, as for a direct call.
    if (context.params.has('access_token')) {
      throw new BearerError(
        400,
        'Send the access token in one place only: the Authorization header.',
        'invalid_request',
      );
    }
    // Inner parameters come from URLs: a POST-only method is refused in its slot.
    checkCall(name, method, context.caller, { fromPostBody: false });
    return await method.run(context);
  } catch (error) {
    if (error instanceof DomainError) return matomoError(error.message);
    // Unexpected errors are not answered in a slot: the whole request fails and is logged.
    if (error instanceof HttpError && error.expose) return matomoError(error.message);
    throw error;
  }
}

/** A call's error as Matomo puts it in its slot: the inner call's JSON error, escaped and on one line. */
function matomoError(message: string): MatomoErrorResult {
  return { result: 'error', message: formatValueXml(message).replace(/\r?\n/g, ' ') };
}
