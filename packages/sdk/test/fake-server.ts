// A fake authorization server and Matomo API behind an injected `fetch`, for unit tests only. It follows
// the decisions of the reference server that matter to the SDK: refresh tokens rotate, a reused refresh
// token revokes the whole grant, refreshing invalidates the grant's previous access token, Matomo errors
// come with status 200/400/401/403 and the RFC 6750 challenges.
import { base64 } from '../src/base64url';

export interface FakeServerOptions {
  issuer?: string;
  /** Access token lifetime in seconds; `null` leaves `expires_in` out (RFC 6749 §5.1 allows it). */
  expiresIn?: number | null;
  /** Only the plugin's Matomo-style routes: no well-known, no revocation, no `iss`, no `scope`. */
  matomoStyle?: boolean;
  /** Held before the token endpoint answers, to line up concurrent requests. */
  tokenGate?: () => Promise<void>;
  /** Copies the request body into `error_description` (a badly behaved server). */
  echoSecrets?: boolean;
  /** Changes the claims of every ID token before it is issued (to forge a bad one). */
  idTokenClaims?: (claims: Record<string, unknown>) => Record<string, unknown>;
}

interface Grant {
  alive: boolean;
  refresh?: string;
  used: Set<string>;
  access: string;
  scope: string;
  clientId: string;
  /** The authorization request's nonce, for the first ID token only. */
  nonce?: string;
  sid: string;
}

/** The signed-in user of the fake server's sign-in session. */
export const USER = 'demo';

export const PUBLIC_CLIENT = 'dashboard';
export const CONFIDENTIAL_CLIENT = 'nightly:export job';
export const CLIENT_SECRET = 'p@ss w+rd%:é';
export const REDIRECT_URI = 'https://app.test/callback';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const formDecode = (value: string) => new URLSearchParams(`v=${value}`).get('v') ?? '';

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64(new Uint8Array(digest), true);
}

export function createFakeServer(options: FakeServerOptions = {}) {
  const issuer = options.issuer ?? 'https://auth.test';
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  const codes = new Map<
    string,
    { challenge: string; redirectUri: string; used: boolean; scope: string; nonce?: string }
  >();
  const grants: Grant[] = [];
  const access = new Map<string, Grant | 'client'>();
  const calls = {
    token: 0,
    refresh: 0,
    code: 0,
    clientCredentials: 0,
    revoke: 0,
    api: 0,
    metadata: 0,
    userinfo: 0,
  };
  const requests: { method: string; url: string; headers: Headers; body: string }[] = [];
  let counter = 0;
  const mint = (prefix: string) => `${prefix}_${++counter}_${crypto.randomUUID()}`;
  const ep = (path: string, action: string) =>
    options.matomoStyle ? `${issuer}/index.php?module=OAuth2&action=${action}` : `${issuer}${path}`;

  const metadata = {
    issuer,
    authorization_endpoint: ep('/oauth2/authorize', 'authorize'),
    token_endpoint: ep('/oauth2/token', 'token'),
    ...(options.matomoStyle
      ? { code_challenge_methods_supported: ['S256', 'plain'] }
      : {
          revocation_endpoint: `${issuer}/oauth2/revoke`,
          code_challenge_methods_supported: ['S256'],
          authorization_response_iss_parameter_supported: true,
        }),
  };
  // OpenID Connect Discovery: the same document plus the OpenID fields (not on the plugin).
  const openidConfiguration = {
    ...metadata,
    userinfo_endpoint: `${issuer}/oauth2/userinfo`,
    end_session_endpoint: `${issuer}/oauth2/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    claims_supported: ['sub', 'preferred_username', 'name', 'email', 'email_verified'],
  };
  const hasOpenId = (scope: string) => scope.split(' ').includes('openid');
  const segment = (value: unknown) => base64(new TextEncoder().encode(JSON.stringify(value)), true);
  // RS256 in form only: the SDK reads ID tokens from the token endpoint without checking signatures.
  const idToken = (grant: Grant, first: boolean) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: USER,
      aud: grant.clientId,
      exp: now + 300,
      iat: now,
      auth_time: now,
      sid: grant.sid,
      at_hash: 'fake',
      ...(first && grant.nonce !== undefined && { nonce: grant.nonce }),
    };
    const header = { alg: 'RS256', typ: 'JWT', kid: 'fake' };
    return `${segment(header)}.${segment(options.idTokenClaims?.(claims) ?? claims)}.${segment('signature')}`;
  };

  const issue = (grant: Grant, first = false) => {
    access.delete(grant.access);
    grant.access = mint('at');
    access.set(grant.access, grant);
    return json(
      {
        token_type: 'Bearer',
        ...(expiresIn !== null && { expires_in: expiresIn }),
        access_token: grant.access,
        ...(grant.refresh && { refresh_token: grant.refresh }),
        ...(!options.matomoStyle && { scope: grant.scope }),
        ...(!options.matomoStyle &&
          grant.refresh &&
          hasOpenId(grant.scope) && { id_token: idToken(grant, first) }),
      },
      200,
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  };
  const newGrant = (clientId: string, scope: string, withRefresh: boolean) => {
    const grant: Grant = { alive: true, used: new Set(), access: '', scope, clientId, sid: mint('sid') };
    if (withRefresh) grant.refresh = mint('rt');
    grants.push(grant);
    return grant;
  };
  const kill = (grant: Grant) => {
    grant.alive = false;
    access.delete(grant.access);
  };
  const oauthError = (error: string, status = 400, body = '', headers: Record<string, string> = {}) =>
    json(
      { error, ...(options.echoSecrets ? { error_description: `You sent ${body}` } : {}) },
      status,
      headers,
    );

  function authenticate(request: Request, form: URLSearchParams) {
    const header = request.headers.get('authorization');
    if (header && form.has('client_secret')) return { error: 'invalid_request' } as const;
    if (header?.startsWith('Basic ')) {
      const decoded = atob(header.slice(6));
      const colon = decoded.indexOf(':');
      const id = formDecode(decoded.slice(0, colon));
      const secret = formDecode(decoded.slice(colon + 1));
      return id === CONFIDENTIAL_CLIENT && secret === CLIENT_SECRET
        ? ({ clientId: id, confidential: true } as const)
        : ({ error: 'invalid_client', basic: true } as const);
    }
    const id = form.get('client_id');
    if (id === PUBLIC_CLIENT && !form.has('client_secret'))
      return { clientId: id, confidential: false } as const;
    if (id === CONFIDENTIAL_CLIENT && form.get('client_secret') === CLIENT_SECRET) {
      return { clientId: id, confidential: true } as const;
    }
    return { error: 'invalid_client', basic: false } as const;
  }

  async function token(request: Request, body: string): Promise<Response> {
    calls.token++;
    await options.tokenGate?.();
    const form = new URLSearchParams(body);
    const client = authenticate(request, form);
    if ('error' in client) {
      return client.error === 'invalid_client'
        ? oauthError(
            'invalid_client',
            401,
            body,
            client.basic ? { 'www-authenticate': 'Basic realm="fake"' } : {},
          )
        : oauthError(String(client.error), 400, body);
    }
    const type = form.get('grant_type');
    if (type === 'authorization_code') {
      calls.code++;
      const code = codes.get(form.get('code') ?? '');
      if (!code || code.used || code.redirectUri !== form.get('redirect_uri')) {
        return oauthError('invalid_grant', 400, body);
      }
      code.used = true;
      if ((await s256(form.get('code_verifier') ?? '')) !== code.challenge)
        return oauthError('invalid_grant', 400, body);
      const grant = newGrant(client.clientId, code.scope, true);
      grant.nonce = code.nonce;
      return issue(grant, true);
    }
    if (type === 'refresh_token') {
      calls.refresh++;
      const presented = form.get('refresh_token') ?? '';
      const reused = grants.find((g) => g.used.has(presented));
      if (reused) {
        kill(reused); // RFC 9700 §4.14.2: reuse revokes the grant
        return oauthError('invalid_grant', 400, body);
      }
      const grant = grants.find((g) => g.alive && g.refresh === presented);
      if (!grant) return oauthError('invalid_grant', 400, body);
      grant.used.add(presented);
      grant.refresh = mint('rt');
      return issue(grant);
    }
    if (type === 'client_credentials' && client.confidential) {
      calls.clientCredentials++;
      return issue(newGrant(client.clientId, form.get('scope') ?? 'matomo:read', false));
    }
    return oauthError('unsupported_grant_type', 400, body);
  }

  function revoke(body: string): Response {
    calls.revoke++;
    const presented = new URLSearchParams(body).get('token');
    for (const grant of grants) if (grant.refresh === presented || grant.access === presented) kill(grant);
    return new Response(null, { status: 200 });
  }

  // OpenID Connect Core §5.3, errors as RFC 6750 §3.
  function userinfo(request: Request): Response {
    calls.userinfo++;
    const challenge = (status: number, error: string) =>
      new Response(null, {
        status,
        headers: { 'www-authenticate': `Bearer realm="fake", error="${error}"` },
      });
    const grant = access.get((request.headers.get('authorization') ?? '').replace(/^Bearer /, ''));
    if (!grant || grant === 'client' || !grant.alive) return challenge(401, 'invalid_token');
    const scopes = grant.scope.split(' ');
    if (!scopes.includes('openid')) return challenge(403, 'insufficient_scope');
    return json({
      sub: USER,
      ...(scopes.includes('profile') && { preferred_username: USER, name: USER }),
      ...(scopes.includes('email') && { email: `${USER}@example.org`, email_verified: false }),
    });
  }

  const matomoError = (message: string, status: number, headers: Record<string, string> = {}) =>
    json({ result: 'error', message }, status, headers);

  function api(request: Request, body: string): Response {
    calls.api++;
    const form = new URLSearchParams(body);
    const header = request.headers.get('authorization');
    if (!header)
      return matomoError("You can't access this resource", 401, {
        'www-authenticate': 'Bearer realm="matomo"',
      });
    const grant = access.get(header.replace(/^Bearer /, ''));
    if (!grant || (grant !== 'client' && !grant.alive)) {
      return matomoError('The access token is invalid', 401, {
        'www-authenticate':
          'Bearer realm="matomo", error="invalid_token", error_description="The access token has expired"',
      });
    }
    const method = form.get('method');
    switch (method) {
      case 'API.getMatomoVersion':
        return json({ value: '5.2.0' });
      case 'VisitsSummary.get': {
        if (!form.get('idSite')) return matomoError("Please specify a value for 'idSite'.", 200);
        const record = { nb_visits: 3, nb_uniq_visitors: 2 };
        return json(form.get('date') === 'last2' ? { '2026-11-27': record, '2026-11-28': [] } : record);
      }
      case 'Echo.params':
        return json(Object.fromEntries(form));
      case 'Echo.secret':
        return matomoError(`Bad request ${body} ${header}`, 200);
      case 'SitesManager.addSite':
        return matomoError('The scope does not allow this method', 403, {
          'www-authenticate': 'Bearer realm="matomo", error="insufficient_scope", scope="matomo:write"',
        });
      case 'Down.page':
        return new Response('<h1>Bad gateway</h1>', { status: 502 });
      default:
        return matomoError(`The method '${method}' does not exist`, 400);
    }
  }

  const fetch = async (request: Request): Promise<Response> => {
    const body = await request.clone().text();
    requests.push({ method: request.method, url: request.url, headers: request.headers, body });
    const url = new URL(request.url);
    const route = `${url.pathname}${url.search}`;
    if (url.origin !== new URL(issuer).origin) return new Response('Not found', { status: 404 });
    if (
      request.method === 'GET' &&
      (route === '/.well-known/oauth-authorization-server' ||
        route === '/.well-known/openid-configuration' ||
        route.includes('action=metadata'))
    ) {
      calls.metadata++;
      if (route.includes('well-known') && options.matomoStyle)
        return new Response('Not found', { status: 404 });
      return json(route.includes('openid') ? openidConfiguration : metadata);
    }
    if (route === '/oauth2/userinfo' && !options.matomoStyle) return userinfo(request);
    if (request.method !== 'POST') return new Response('Method not allowed', { status: 405 });
    if (url.href === metadata.token_endpoint) return token(request, body);
    if (url.pathname === '/oauth2/revoke' && !options.matomoStyle) return revoke(body);
    if (
      url.pathname.endsWith('/index.php') &&
      !url.search &&
      new URLSearchParams(body).get('module') === 'API'
    ) {
      return api(request, body);
    }
    return new Response('Not found', { status: 404 });
  };

  return {
    issuer,
    metadata,
    openidConfiguration,
    calls,
    requests,
    fetch,
    /** The user signs in and allows: the redirect the browser would follow. */
    async authorize(authorizationUrl: string, extra: Record<string, string> = {}): Promise<string> {
      const url = new URL(authorizationUrl);
      const q = url.searchParams;
      if (q.get('client_id') !== PUBLIC_CLIENT || q.get('code_challenge_method') !== 'S256') {
        throw new Error('bad authorization request');
      }
      const code = mint('code');
      const redirectUri = q.get('redirect_uri') ?? '';
      codes.set(code, {
        challenge: q.get('code_challenge') ?? '',
        redirectUri,
        used: false,
        scope: q.get('scope') ?? '',
        nonce: q.get('nonce') ?? undefined,
      });
      const redirect = new URL(redirectUri);
      redirect.searchParams.set('code', code);
      redirect.searchParams.set('state', q.get('state') ?? '');
      if (!options.matomoStyle) redirect.searchParams.set('iss', issuer);
      for (const [name, value] of Object.entries(extra)) redirect.searchParams.set(name, value);
      return redirect.href;
    },
    /** A signed-in session's tokens, as if a login had just happened. */
    async login(): Promise<{
      access_token: string;
      refresh_token: string;
      expires_in: number;
      token_type: 'Bearer';
    }> {
      const response = await issue(newGrant(PUBLIC_CLIENT, 'matomo:read', true)).json();
      return response;
    },
    /** The server's clock moves on: every access token issued so far is rejected from now on. */
    expireAccessTokens(): void {
      access.clear();
    },
    /** Whether the grant of this refresh or access token is still alive. */
    isAlive(token: string): boolean {
      return grants.some((g) => g.alive && (g.refresh === token || g.access === token));
    },
    grantsAlive(): number {
      return grants.filter((g) => g.alive).length;
    },
  };
}

export type FakeServer = ReturnType<typeof createFakeServer>;

/** A Web Storage double; give two tabs the same one to model localStorage. */
export function createFakeStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, String(value)),
  };
}

/** A Web Locks double: exclusive, first come first served, per name. */
export function createFakeLocks() {
  const tails = new Map<string, Promise<unknown>>();
  let granted = 0;
  return {
    get granted() {
      return granted;
    },
    async request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const before = tails.get(name) ?? Promise.resolve();
      const run = before.then(() => {
        granted++;
        return callback();
      });
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}
