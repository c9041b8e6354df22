// `/account` (the connected applications, each with "Revoke") and "Sign out of all applications",
// over real HTTP with tokens obtained through the pages.
import {
  type Agent,
  authorizeThroughPages,
  createAgent,
  decodeEntities,
  postToken,
  readForm,
  rfcChallenge,
  rfcVerifier,
} from '@matomo-oauth2/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashPassword } from '../src/crypto/password';
import * as users from '../src/users/user.repository';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const app = {
  clientId: 'analytics_app',
  secret: '7fa9c0f81b8b4a12',
  redirectUri: 'https://example-app.com/oauth/callback',
};
// A public client on a loopback redirect URI: its consent is always asked, so it can be granted twice.
const spa = { clientId: 'matomo_demo_spa', redirectUri: 'http://127.0.0.1:8123/callback' };

interface Tokens {
  access_token: string;
  refresh_token: string;
}

let userCount = 0;
/** A new user with write access to the first demo site, signed in nowhere yet. */
async function newUser(): Promise<{ login: string; password: string; agent: Agent }> {
  const login = `user${++userCount}`;
  const password = `${login}-password`;
  await users.insert(server.db, {
    login,
    email: `${login}@example.org`,
    password_hash: await hashPassword(password),
    superuser: 0,
    created_at: server.clock(),
  });
  await users.setSiteAccess(server.db, login, 1, 'write');
  return { login, password, agent: createAgent(server.url) };
}

type User = Awaited<ReturnType<typeof newUser>>;

function authorizePath(clientId: string, redirectUri: string, scope: string, pkce: boolean): string {
  return `/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state: 'xyz',
    ...(pkce ? { code_challenge: rfcChallenge, code_challenge_method: 'S256' } : {}),
  })}`;
}

/** Signs in (when needed) and consents through the pages, then redeems the code. */
async function authorize(user: User, client: 'app' | 'spa', scope = 'matomo:read'): Promise<Tokens> {
  const { clientId, redirectUri } = client === 'app' ? app : spa;
  const location = await authorizeThroughPages(
    user.agent,
    authorizePath(clientId, redirectUri, scope, client === 'spa'),
    { login: user.login, password: user.password },
  );
  const result = await postToken(server.url, {
    grant_type: 'authorization_code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code: location.searchParams.get('code') ?? '',
    ...(client === 'app' ? { client_secret: app.secret } : { code_verifier: rfcVerifier }),
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body as unknown as Tokens;
}

const refresh = (client: 'app' | 'spa', refreshToken: string) =>
  postToken(server.url, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...(client === 'app'
      ? { client_id: app.clientId, client_secret: app.secret }
      : { client_id: spa.clientId }),
  });

/** The Matomo API's answer to an access token: 200 while it is good, 401 once it has ended. */
async function apiStatus(accessToken: string): Promise<number> {
  const response = await fetch(`${server.url}/api/API.getMatomoVersion`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response.status;
}

interface Row {
  name: string;
  clientId: string;
  scope: string;
  firstGranted: string;
  lastUsed: string;
}

/** The rows of the connected applications table. */
function rowsOf(html: string): Row[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row = '']) => {
    const times = [...row.matchAll(/<time datetime="([^"]*)"/g)].map((match) => match[1] ?? '');
    return {
      name: decodeEntities(/<strong>([^<]*)<\/strong>/.exec(row)?.[1] ?? ''),
      clientId: decodeEntities(/name="client_id" value="([^"]*)"/.exec(row)?.[1] ?? ''),
      scope: /<code class="nowrap">([^<]*)<\/code>/.exec(row)?.[1] ?? '',
      firstGranted: times[0] ?? '',
      lastUsed: times[1] ?? '',
    };
  });
}

async function accountPage(agent: Agent): Promise<string> {
  const page = await agent.get('/account');
  const html = await page.text();
  expect(page.status, html).toBe(200);
  return html;
}

/** Clicks "Revoke" on the row of `clientId`: the redirect's location. */
async function revoke(agent: Agent, clientId: string): Promise<string | null> {
  const form = readForm(await accountPage(agent), `name="client_id" value="${clientId}"`);
  const response = await agent.postForm(form.action, form.fields);
  expect(response.status).toBe(303);
  return response.headers.get('Location');
}

async function auditEntries(event: string, actor: string) {
  await server.flushAuditLog();
  return server.db
    .selectFrom('audit_log')
    .select(['client_id', 'ip', 'detail'])
    .where('event', '=', event)
    .where('actor', '=', actor)
    .orderBy('id')
    .execute();
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('/account', () => {
  test('a signed-out visitor is sent to sign in, and comes back', async () => {
    const user = await newUser();
    const first = await user.agent.get('/account');
    expect(first.status).toBe(303);
    expect(first.headers.get('Location')).toBe('/login?return_to=%2Faccount');
    const login = readForm(await (await user.agent.get('/login?return_to=%2Faccount')).text(), 'password');
    expect(login.fields.return_to).toBe('/account');
    const signedIn = await user.agent.postForm('/login', {
      ...login.fields,
      login: user.login,
      password: user.password,
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/account');

    const page = await user.agent.get('/account');
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('No application has access to your account.');
    expect(rowsOf(html)).toEqual([]);
    // It cannot be framed, and no cache keeps it.
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
    expect(page.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('Cache-Control')).toBe('no-store');
  });

  test('lists each application with its highest scope, first granted and last used', async () => {
    const user = await newUser();
    const start = server.clock();
    await authorize(user, 'app');
    server.clock.advance(3600_000);
    await authorize(user, 'spa', 'matomo:read');
    server.clock.advance(3600_000);
    const second = await authorize(user, 'spa', 'matomo:write');
    server.clock.advance(3600_000);
    expect((await refresh('spa', second.refresh_token)).status).toBe(200);

    expect(rowsOf(await accountPage(user.agent))).toEqual([
      {
        name: 'Analytics app',
        clientId: app.clientId,
        scope: 'matomo:read',
        firstGranted: iso(start),
        lastUsed: iso(start),
      },
      {
        name: 'Matomo demo single-page app',
        clientId: spa.clientId,
        scope: 'matomo:write',
        firstGranted: iso(start + 3600_000),
        lastUsed: iso(start + 3 * 3600_000),
      },
    ]);
  });

  test('the consent page and the signed-in page link to it', async () => {
    const user = await newUser();
    await authorize(user, 'app');
    const consent = await user.agent.get(authorizePath(spa.clientId, spa.redirectUri, 'matomo:read', true));
    expect(await consent.text()).toContain('on your <a href="/account">account page</a>');
    expect(await (await user.agent.get('/login')).text()).toContain('<a href="/account">');
  });

  test('Revoke ends that application’s access and refresh tokens at once; another application keeps its own', async () => {
    const user = await newUser();
    const appTokens = await authorize(user, 'app');
    const spaTokens = await authorize(user, 'spa');
    expect(await apiStatus(appTokens.access_token)).toBe(200);

    expect(await revoke(user.agent, app.clientId)).toBe('/account?revoked=1');
    expect(await apiStatus(appTokens.access_token)).toBe(401);
    const refused = await refresh('app', appTokens.refresh_token);
    expect([refused.status, refused.body.error]).toEqual([400, 'invalid_grant']);

    expect(await apiStatus(spaTokens.access_token)).toBe(200);
    expect((await refresh('spa', spaTokens.refresh_token)).status).toBe(200);
    const html = await accountPage(user.agent);
    expect(rowsOf(html).map((row) => row.clientId)).toEqual([spa.clientId]);

    expect(await auditEntries('grant.revoked', user.login)).toEqual([
      {
        client_id: app.clientId,
        ip: '127.0.0.1',
        detail: JSON.stringify({ reason: 'revoked by the user on /account', grants: 1 }),
      },
    ]);
  });

  test('a form without the session’s anti-CSRF token, or without the session, changes nothing', async () => {
    const user = await newUser();
    const tokens = await authorize(user, 'app');
    const form = readForm(await accountPage(user.agent), `value="${app.clientId}"`);

    const forged: Record<string, string>[] = [
      { client_id: app.clientId },
      { ...form.fields, csrf_token: 'forged' },
    ];
    for (const fields of forged) {
      const response = await user.agent.postForm('/account/revoke', fields);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('This form has expired');
    }
    // A cross-site POST comes without the session cookie (SameSite=Lax).
    const crossSite = await createAgent(server.url).postForm('/account/revoke', form.fields);
    expect(crossSite.status).toBe(401);

    expect(await apiStatus(tokens.access_token)).toBe(200);
    expect(rowsOf(await accountPage(user.agent)).map((row) => row.clientId)).toEqual([app.clientId]);
    expect(await auditEntries('grant.revoked', user.login)).toEqual([]);
  });

  test('another user’s grants are never shown nor revoked', async () => {
    const ann = await newUser();
    const bob = await newUser();
    const annApp = await authorize(ann, 'app');
    const bobApp = await authorize(bob, 'app');
    const bobSpa = await authorize(bob, 'spa');

    expect(rowsOf(await accountPage(ann.agent)).map((row) => row.clientId)).toEqual([app.clientId]);
    // Ann has no grant with the SPA: revoking it ends nothing of Bob's.
    const form = readForm(await accountPage(ann.agent), `value="${app.clientId}"`);
    const none = await ann.agent.postForm(form.action, { ...form.fields, client_id: spa.clientId });
    expect([none.status, none.headers.get('Location')]).toEqual([303, '/account']);
    expect(await apiStatus(bobSpa.access_token)).toBe(200);
    // Revoking her own grant to a client Bob also uses ends only hers.
    expect(await revoke(ann.agent, app.clientId)).toBe('/account?revoked=1');
    expect(await apiStatus(annApp.access_token)).toBe(401);
    expect(await apiStatus(bobApp.access_token)).toBe(200);
    expect((await refresh('app', bobApp.refresh_token)).status).toBe(200);
    expect(rowsOf(await accountPage(bob.agent)).map((row) => row.clientId)).toEqual([
      app.clientId,
      spa.clientId,
    ]);
    expect((await auditEntries('grant.revoked', ann.login)).map((entry) => entry.client_id)).toEqual([
      app.clientId,
    ]);
  });
});

describe('signing out', () => {
  test('"Sign out of all applications" ends the session and every grant of the user, only theirs', async () => {
    const user = await newUser();
    const other = await newUser();
    const appTokens = await authorize(user, 'app');
    const spaTokens = await authorize(user, 'spa');
    const otherTokens = await authorize(other, 'app');

    const form = readForm(await (await user.agent.get('/login')).text(), 'name="everywhere"');
    expect(form.fields.everywhere).toBe('1');
    // Without the session (a cross-site form), nothing happens.
    const crossSite = await createAgent(server.url).postForm('/logout', form.fields);
    expect(crossSite.status).toBe(303);
    expect(await apiStatus(appTokens.access_token)).toBe(200);

    const signedOut = await user.agent.postForm(form.action, form.fields);
    expect([signedOut.status, signedOut.headers.get('Location')]).toEqual([303, '/login']);
    for (const [client, tokens] of [
      ['app', appTokens],
      ['spa', spaTokens],
    ] as const) {
      expect(await apiStatus(tokens.access_token)).toBe(401);
      expect((await refresh(client, tokens.refresh_token)).body.error).toBe('invalid_grant');
    }
    expect(await apiStatus(otherTokens.access_token)).toBe(200);
    // The session has ended: the next authorization asks for the password.
    const next = await user.agent.get(authorizePath(app.clientId, app.redirectUri, 'matomo:read', false));
    expect(await next.text()).toContain('type="password"');
    expect(await auditEntries('grant.revoked', user.login)).toEqual([
      { client_id: null, ip: '127.0.0.1', detail: JSON.stringify({ all: true }) },
    ]);
    expect(await auditEntries('logout', user.login)).toHaveLength(1);
  });

  test('"Sign out" alone ends the session and leaves the applications their access', async () => {
    const user = await newUser();
    const tokens = await authorize(user, 'app');
    const html = await (await user.agent.get('/login')).text();
    const form = readForm(html, 'Sign out</button>');
    expect(form.fields.everywhere).toBeUndefined();
    expect((await user.agent.postForm(form.action, form.fields)).status).toBe(303);
    expect((await user.agent.get('/account')).status).toBe(303);
    expect(await apiStatus(tokens.access_token)).toBe(200);
    expect(await auditEntries('grant.revoked', user.login)).toEqual([]);
  });
});
