import type { Middleware } from 'openapi-fetch';
import type { AccessTokenProvider } from './access-token-provider';
import { MatomoApiError } from './errors';
import { isObject } from './http';

const FORM = 'application/x-www-form-urlencoded';
// Set by the middleware; the caller's own values (e.g. `format: 'JSON'`) are dropped.
const WIRE = ['module', 'method', 'format'];

/** The parameters of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3). */
export function parseBearerChallenge(header: string | null): Record<string, string> {
  const params: Record<string, string> = {};
  if (!header || !/^\s*bearer\b/i.test(header)) return params;
  // Stryker disable next-line StringLiteral: both groups always take part in a match, so the defaults never apply
  for (const [, name = '', value = ''] of header.matchAll(/(\w+)="([^"]*)"/g)) params[name] = value;
  return params;
}

/**
 * The openapi-fetch middleware that makes the spec's virtual paths (`/api/VisitsSummary.get`) real
 * Matomo calls: it sends `POST {baseUrl}/index.php` with the form body
 * `module=API&method=VisitsSummary.get&format=json&…` (GET calls' query parameters move into the body
 * too, so no parameter lands in a URL or an access log), attaches `Authorization: Bearer`, and throws a
 * `MatomoApiError` for Matomo's `{"result":"error"}` (also with status 200) and for any non-2xx. On
 * a `401` that says the token is dead it asks `auth.renewAccessToken()` for a new token and sends the
 * request once more, from a clone made before the first send (the retry goes straight to `fetch`,
 * past the other middleware, so it cannot loop). A dead token is a 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750), or a 401 without any `WWW-Authenticate`:
 * what a Matomo with the OAuth2 plugin sends for an expired or revoked token (its access error
 * `{"result":"error","message":"You can't access this resource…"}`, or league's
 * `{"error":"access_denied","hint":"Access token has been revoked"}`). A 401 whose challenge names no
 * `invalid_token` (e.g. `Bearer realm="matomo"`: the token is good, the access is missing) is not retried.
 *
 * @example
 * ```ts
 * const client = createClient<paths>({
 *   baseUrl: 'https://matomo.example.com',
 *   bodySerializer: (body) => new URLSearchParams(body).toString(),
 * });
 * client.use(createMatomoMiddleware(auth));
 * ```
 */
export function createMatomoMiddleware(auth?: AccessTokenProvider): Middleware {
  const sent = new Map<string, { retry: Request; token?: string; secrets: (string | undefined)[] }>();
  return {
    async onRequest({ request, schemaPath, id }) {
      const method = /^\/api\/(\w+\.\w+)$/.exec(schemaPath)?.[1];
      if (!method) return undefined;
      const url = new URL(request.url);
      const params = new URLSearchParams(request.method === 'GET' ? url.search : await request.text());
      const body = new URLSearchParams({ module: 'API', method, format: 'json' });
      for (const [name, value] of params) if (!WIRE.includes(name)) body.append(name, value);
      url.pathname = `${url.pathname.slice(0, -schemaPath.length)}/index.php`;
      url.search = '';
      const headers = new Headers(request.headers);
      headers.set('content-type', FORM);
      const token = await auth?.getAccessToken();
      if (token) headers.set('authorization', `Bearer ${token}`);
      const wire = new Request(url, {
        method: 'POST',
        headers,
        body,
        signal: request.signal,
        credentials: request.credentials,
      });
      // Never repeated in an error message, should Matomo echo them.
      const secrets = [token, params.get('passwordConfirmation') ?? undefined];
      sent.set(id, { retry: wire.clone(), secrets, token });
      return wire;
    },

    async onResponse({ response, id, options }) {
      const entry = sent.get(id);
      if (!entry) return undefined;
      sent.delete(id);
      let final = response;
      if (
        response.status === 401 &&
        entry.token &&
        // Stryker disable next-line OptionalChaining: entry.token (checked just before) comes from auth, so auth is set
        auth?.renewAccessToken &&
        deadToken(response.headers.get('www-authenticate'))
      ) {
        const token = await auth.renewAccessToken(entry.token);
        entry.secrets.push(token);
        const headers = new Headers(entry.retry.headers);
        headers.set('authorization', `Bearer ${token}`);
        const send = options.fetch; // a plain call: native fetch must not be called as a method
        final = await send(new Request(entry.retry, { headers }));
      }
      return checkMatomoResponse(final, entry.secrets);
    },

    onError({ id }) {
      sent.delete(id);
      return undefined;
    },
  };
}

// RFC 6750's invalid_token; or no challenge at all, as league and Matomo answer a revoked or expired token.
const deadToken = (challenge: string | null) =>
  challenge === null || parseBearerChallenge(challenge).error === 'invalid_token';

async function checkMatomoResponse(response: Response, secrets: (string | undefined)[]): Promise<Response> {
  const text = await response.clone().text();
  let body: unknown;
  // Stryker disable next-line StringLiteral: includes('') is always true, i.e. always parse: same errors, more work
  if (!response.ok || text.includes('"result"')) {
    try {
      body = JSON.parse(text);
    } catch {}
  }
  const matomoError = isObject(body) && body.result === 'error';
  if (response.ok && !matomoError) return response;
  const { error, error_description, scope } = parseBearerChallenge(response.headers.get('www-authenticate'));
  const code =
    error === 'invalid_token'
      ? 'ERR_INVALID_TOKEN'
      : error === 'insufficient_scope'
        ? 'ERR_INSUFFICIENT_SCOPE'
        : 'ERR_MATOMO_API';
  // Matomo's {message}, or league's {error, hint} (its resource server's 401): the hint is its text.
  const message = isObject(body) && [body.message, body.hint].find((text) => typeof text === 'string');
  throw new MatomoApiError(code, (message as string) || `HTTP ${response.status}`, {
    status: response.status,
    response,
    secrets,
    error,
    error_description,
    scope,
  });
}
