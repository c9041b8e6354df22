import createClient, { type Client } from 'openapi-fetch';
import type { AccessTokenProvider } from './access-token-provider';
import { toForm } from './form';
import type { paths } from './generated/openapi';
import type { FetchLike } from './http';
import type {
  ExactParams,
  MatomoMethod,
  MatomoMethodWithoutParams,
  MatomoParams,
  MatomoResult,
} from './matomo-call-types';
import { createMatomoMiddleware } from './matomo-middleware';

/**
 * Options of `createMatomoClient`. `auth` is omitted only for anonymous access.
 *
 * @example
 * ```ts
 * const options: MatomoClientOptions = { baseUrl: 'https://matomo.example.com', auth: login };
 * ```
 */
export interface MatomoClientOptions {
  /** The Matomo (or reference server) root; requests go to `{baseUrl}/index.php`. */
  baseUrl: string;
  auth?: AccessTokenProvider;
  fetch?: FetchLike;
  headers?: Record<string, string>;
}

/**
 * An openapi-fetch client on the contract's paths, plus the typed `call()`. Both throw a
 * `MatomoApiError` for any Matomo error, so `data` is the result.
 *
 * @example
 * ```ts
 * const { data } = await matomo.POST('/api/VisitsSummary.get', { body: { idSite: 1, period: 'day', date: 'today' } });
 * ```
 */
export interface MatomoClient extends Client<paths> {
  /**
   * Calls a Matomo API method; the result type follows the method and the literal `idSite`, `period`
   * and `date`.
   *
   * @example
   * ```ts
   * const week = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'last7' });
   * for (const [day, summary] of Object.entries(week)) console.log(day, 'nb_visits' in summary ? summary.nb_visits : 0);
   * ```
   */
  call<M extends MatomoMethod, const P extends MatomoParams<M>>(
    method: M,
    params: ExactParams<P, MatomoParams<M>, M>,
  ): Promise<MatomoResult<M, P>>;
  /** A method that needs no parameter. */
  call<M extends MatomoMethodWithoutParams>(method: M): Promise<MatomoResult<M>>;
}

/**
 * Creates the Matomo API client: openapi-fetch with the generated types and the middleware of
 * `createMatomoMiddleware` (POST form to `index.php`, Bearer token, typed errors, one retry after a
 * refresh on `401 invalid_token`).
 *
 * @example
 * ```ts
 * const matomo = createMatomoClient({ baseUrl: 'https://matomo.example.com', auth });
 * const { value } = await matomo.call('API.getMatomoVersion');
 * ```
 */
export function createMatomoClient(options: MatomoClientOptions): MatomoClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    // openapi-fetch falls back to globalThis.fetch and no headers when these are undefined.
    fetch: options.fetch,
    headers: options.headers,
    bodySerializer: (body: unknown) => toForm(body as object).toString(),
  });
  client.use(createMatomoMiddleware(options.auth));
  return Object.assign(client, {
    async call(method: MatomoMethod, params?: object) {
      const { data } = await client.POST(`/api/${method}` as never, { body: params ?? {} } as never);
      return data as never;
    },
  });
}
