import { expect } from 'vitest';
import { type Agent, createAgent, readForm } from './http-agent';

export const rfcVerifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const rfcChallenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export interface ConsentOptions {
  login?: string;
  password?: string;
  decision?: 'allow' | 'deny';
  /** Pick this scope (else the pre-selected one). */
  scope?: string;
}

/**
 * Drives the real pages: the authorization URL shows the sign-in form, signing in returns to
 * it, the consent form is submitted. Returns the final redirect (the client's redirect URI).
 * When the server remembers the user's consent it answers with the code at once: that answer is
 * returned, unless a decision or scope is asked for, when the request is repeated with
 * `prompt=consent` to get the consent page.
 */
export async function authorizeThroughPages(
  agent: Agent,
  authorizePath: string,
  options: ConsentOptions = {},
): Promise<URL> {
  let page = await agent.get(authorizePath);
  if (page.status === 200 && (await page.clone().text()).includes('action="/login"')) {
    const login = readForm(await page.text(), 'password');
    const signedIn = await agent.postForm('/login', {
      ...login.fields,
      login: options.login ?? 'demo',
      password: options.password ?? 'demo',
    });
    expect(signedIn.status).toBe(303);
    page = await agent.get(signedIn.headers.get('Location') ?? '');
  }
  if (page.status === 302) {
    if (options.decision === undefined && options.scope === undefined)
      return new URL(page.headers.get('Location') ?? '');
    const separator = authorizePath.includes('?') ? '&' : '?';
    page = await agent.get(`${authorizePath}${separator}prompt=consent`);
  }
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const consent = readForm(html, 'decision');
  const checked = /<input type="radio"[^>]*value="([^"]*)"[^>]*checked/.exec(html)?.[1];
  const single = consent.fields.selected_scope;
  const decided = await agent.postForm(consent.action, {
    csrf_token: consent.fields.csrf_token ?? '',
    decision: options.decision ?? 'allow',
    selected_scope: options.scope ?? single ?? checked ?? '',
  });
  expect(decided.status).toBe(303);
  return new URL(decided.headers.get('Location') ?? '');
}

/** POSTs a form to the token endpoint (or another OAuth endpoint) and returns status, headers and JSON. */
export async function postToken(
  baseUrl: string,
  form: Record<string, string>,
  { path = '/oauth2/token', headers = {} }: { path?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
  };
}

/** `Authorization: Basic` with id and secret form-urlencoded first (RFC 6749 §2.3.1). */
export function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

export interface CodeRequest {
  clientId?: string;
  redirectUri?: string | undefined;
  scope?: string;
  state?: string;
  challenge?: string | undefined;
  login?: string;
  password?: string;
  /** The route form of the authorization endpoint. */
  path?: '/oauth2/authorize' | '/index.php?module=OAuth2&action=authorize';
}

/** Gets an authorization code the way a user would: sign in, consent, follow the redirect. */
export async function getCode(baseUrl: string, request: CodeRequest = {}): Promise<string> {
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: request.clientId ?? 'analytics_app',
    scope: request.scope ?? 'matomo:read',
    state: request.state ?? 'abc123',
  };
  const redirectUri =
    'redirectUri' in request ? request.redirectUri : 'https://example-app.com/oauth/callback';
  if (redirectUri !== undefined) params.redirect_uri = redirectUri;
  if (request.challenge !== undefined) {
    params.code_challenge = request.challenge;
    params.code_challenge_method = 'S256';
  }
  const path = request.path ?? '/oauth2/authorize';
  const query = new URLSearchParams(params).toString();
  const location = await authorizeThroughPages(
    createAgent(baseUrl),
    `${path}${path.includes('?') ? '&' : '?'}${query}`,
    { login: request.login ?? 'demo', password: request.password ?? 'demo' },
  );
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`No code in ${location.href}`);
  return code;
}

/** An access token by the client credentials grant; throws, with the server's answer, when refused. */
export async function clientCredentialsToken(
  baseUrl: string,
  clientId: string,
  secret: string,
): Promise<string> {
  const result = await postToken(baseUrl, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });
  const token = result.body?.access_token;
  if (result.status !== 200 || typeof token !== 'string')
    throw new Error(`no token for ${clientId}: ${result.status} ${JSON.stringify(result.body)}`);
  return token;
}

/**
 * Signs in through the pages as `getCode` does, then redeems the code as the confidential demo
 * client (or the client named, with its secret): the token response, which must be a success.
 */
export async function signInForTokens(
  baseUrl: string,
  request: CodeRequest & { clientSecret?: string } = {},
): Promise<Record<string, unknown>> {
  const code = await getCode(baseUrl, request);
  const result = await postToken(baseUrl, {
    grant_type: 'authorization_code',
    client_id: request.clientId ?? 'analytics_app',
    client_secret: request.clientSecret ?? '7fa9c0f81b8b4a12',
    redirect_uri: request.redirectUri ?? 'https://example-app.com/oauth/callback',
    code,
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}
