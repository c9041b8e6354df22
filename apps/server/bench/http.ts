import type { LoadRequest } from './load';

/** The demo's confidential client (README), owned by the super user `admin`: its tokens read every site. */
export const demoClient = { id: 'analytics_app', secret: '7fa9c0f81b8b4a12' } as const;

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** A client credentials token request, as the plugin README sends it. */
export const tokenRequest: LoadRequest = {
  method: 'POST',
  path: '/oauth2/token',
  headers: form,
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: demoClient.id,
    client_secret: demoClient.secret,
    scope: 'matomo:read',
  }).toString(),
};

/** A Matomo API call with a Bearer token, its parameters in the POST body (as the plugin sends them). */
export function apiRequest(token: string, params: Record<string, string>): LoadRequest {
  return {
    method: 'POST',
    path: '/index.php',
    headers: { ...form, authorization: `Bearer ${token}` },
    body: new URLSearchParams({ module: 'API', format: 'json', ...params }).toString(),
  };
}

/** Sends one request of a load, as a check before it: status and body. */
export async function send(baseUrl: string, request: LoadRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
    signal: AbortSignal.timeout(120_000),
  });
  return { status: response.status, body: await response.text() };
}

/** An access token of the demo client; throws with the server's answer when refused. */
export async function clientCredentialsToken(baseUrl: string): Promise<string> {
  const { status, body } = await send(baseUrl, tokenRequest);
  const token = status === 200 ? (JSON.parse(body) as { access_token?: unknown }).access_token : undefined;
  if (typeof token !== 'string') throw new Error(`no token: ${status} ${body.slice(0, 300)}`);
  return token;
}

/** The `alg` a JWT names in its header. */
export function jwtAlg(token: string): string {
  const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
    alg?: unknown;
  };
  return String(header.alg);
}
