import compose from 'koa-compose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type GrantFixture, openGrantFixture } from '../../test/support/grant-fixture';
import { createTestContext, setCookies } from '../../test/support/koa-context';
import * as clients from '../clients/client.repository';
import { registerClient } from '../clients/client-registration';
import { Params } from '../http/params';
import { MAX_ID_TOKEN_LENGTH } from '../protocol/limits';
import { createSessionCookies } from '../sessions/session-cookies';
import type { SessionState } from '../sessions/session-state';
import { createSessionStore, type SessionStore } from '../sessions/session-store';
import * as grants from '../tokens/grant.repository';
import * as users from '../users/user.repository';
import { endSessionEndpoint } from './end-session.endpoint';

const longId = 'l'.repeat(80);
const cookies = createSessionCookies('https://as.example');
let fixture: GrantFixture;
let sessions: SessionStore;
let endpoint: ReturnType<typeof endSessionEndpoint>;

beforeAll(async () => {
  fixture = await openGrantFixture();
  const { db, clock, audit, idTokens } = fixture;
  sessions = createSessionStore({ db, clock, ttlMs: 3_600_000 });
  endpoint = endSessionEndpoint({ db, clock, audit, idTokens, sessions, cookies });
  await users.insert(db, {
    login: 'ann',
    email: 'ann@example.org',
    password_hash: 'x',
    superuser: 0,
    created_at: 0,
  });
  const register = (clientId: string, postLogoutRedirectUris: string[]) =>
    registerClient(
      db,
      {
        clientId,
        name: `Name of ${clientId}`,
        secret: 's',
        ownerLogin: 'owner',
        grantTypes: ['authorization_code'],
        scope: 'matomo:read',
        redirectUris: ['https://rp.example/cb'],
        identityScopes: ['openid'],
        postLogoutRedirectUris,
      },
      0,
    );
  await register('rp', ['https://rp.example/bye', 'http://127.0.0.1/bye']);
  await register('other', ['https://other.example/bye']);
  await register('paused', ['https://paused.example/bye']);
  await register(longId, ['https://long.example/bye']);
  // Longer than any client id this server gives: not looked up, even if such a client existed.
  await register(`${longId}l`, ['https://longer.example/bye']);
  const paused = await clients.find(db, 'paused');
  if (paused) await clients.update(db, { ...paused, active: false });
});
afterAll(() => fixture.close());

/** An ID token of this server for `sub`, issued to `clientId`, of the sign-in session `sid`. */
const hintFor = (sub: string, clientId = 'rp', nonce?: string, sid: string | null = 'sid') =>
  fixture.idTokens.sign({ sub, clientId, authTime: 0, sid, nonce, accessToken: 'at' });

/** A signed-in session of `login`, with a live grant to rp. */
async function signIn(login = 'owner') {
  const { cookieValue, session } = await sessions.create(login);
  const grantId = `grant-${cookieValue}`;
  await grants.insert(fixture.db, {
    grant_id: grantId,
    client_id: 'rp',
    user_login: login,
    scope: 'matomo:read',
    created_at: 0,
    expires_at: Number.MAX_SAFE_INTEGER,
    revoked_at: null,
    access_token_jti: 'jti',
  });
  return { cookieValue, csrfToken: session.csrfToken, grantId, sid: session.sid };
}
type Signed = Awaited<ReturnType<typeof signIn>>;

interface Call {
  method?: 'GET' | 'POST';
  params?: Record<string, string | undefined>;
  extra?: [string, string][];
  session?: Signed;
}

/** A request through the endpoint's chain: GET with a query, POST with a form. */
async function call({ method = 'GET', params = {}, extra = [], session }: Call) {
  const entries = [
    ...Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ...extra,
  ];
  const query = new URLSearchParams(entries).toString();
  const ctx = createTestContext<SessionState>({
    method,
    url: method === 'GET' && query !== '' ? `/oauth2/logout?${query}` : '/oauth2/logout',
    headers: session === undefined ? {} : { Cookie: `${cookies.names.session}=${session.cookieValue}` },
    state: method === 'POST' ? { form: new Params(entries), hasForm: true } : {},
  });
  await compose(method === 'GET' ? endpoint.get : endpoint.post)(ctx);
  return {
    status: ctx.status,
    location: ctx.response.get('Location') ?? '',
    cacheControl: ctx.response.get('Cache-Control'),
    referrerPolicy: ctx.response.get('Referrer-Policy'),
    csp: ctx.response.get('Content-Security-Policy'),
    body: typeof ctx.body === 'string' ? ctx.body : '',
    cookies: setCookies(ctx),
  };
}

const stillSignedIn = async (session: Signed) => (await sessions.find(session.cookieValue)) !== undefined;
const grantRevoked = async (session: Signed) =>
  (await grants.findOwner(fixture.db, session.grantId)) !== undefined &&
  (
    await fixture.db
      .selectFrom('grants')
      .select('revoked_at')
      .where('grant_id', '=', session.grantId)
      .executeTakeFirstOrThrow()
  ).revoked_at !== null;
const lastLogout = async () => (await fixture.events('logout')).at(-1);

const signedOut = 'You are signed out';
const notSignedOut = 'You are still signed in';
const refusedNote = 'has not registered';
const confirmation = 'Sign out of Matomo?';

describe('with an id_token_hint for the signed-in user: signed out at once', () => {
  test('back to the registered post_logout_redirect_uri, with state (302)', async () => {
    const session = await signIn();
    const response = await call({
      params: {
        id_token_hint: await hintFor('owner', 'rp', undefined, session.sid),
        post_logout_redirect_uri: 'https://rp.example/bye',
        state: 'st 1&x',
      },
      session,
    });
    expect(response).toMatchObject({
      status: 302,
      location: 'https://rp.example/bye?state=st%201%26x',
      cacheControl: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    expect(await stillSignedIn(session)).toBe(false);
    expect(response.cookies).toEqual([
      expect.stringMatching(/^__Host-mo_session=;.*expires=Thu, 01 Jan 1970/),
    ]);
    // Only this session ends; the user's applications keep their grants.
    expect(await grantRevoked(session)).toBe(false);
    expect(await lastLogout()).toEqual({
      actor: 'owner',
      client_id: 'rp',
      ip: '192.0.2.1',
      detail: { rp_initiated: true },
    });
  });

  test('without state, back to the URI as registered; the client named by the hint alone', async () => {
    const session = await signIn();
    expect(
      await call({
        params: {
          id_token_hint: await hintFor('owner', 'rp', undefined, session.sid),
          post_logout_redirect_uri: 'https://rp.example/bye',
        },
        session,
      }),
    ).toMatchObject({ status: 302, location: 'https://rp.example/bye' });
    expect(await stillSignedIn(session)).toBe(false);
  });

  test('a loopback URI at any port (RFC 8252 §7.3), the port kept', async () => {
    const session = await signIn();
    expect(
      await call({
        params: {
          id_token_hint: await hintFor('owner', 'rp', undefined, session.sid),
          client_id: 'rp',
          post_logout_redirect_uri: 'http://127.0.0.1:4711/bye',
        },
        session,
      }),
    ).toMatchObject({ status: 302, location: 'http://127.0.0.1:4711/bye' });
  });

  test('no post_logout_redirect_uri: a page says so', async () => {
    const session = await signIn();
    const response = await call({
      params: { id_token_hint: await hintFor('owner', 'rp', undefined, session.sid) },
      session,
    });
    expect(response).toMatchObject({ status: 200, cacheControl: 'no-store', location: '' });
    expect(response.body).toContain(signedOut);
    expect(response.body).not.toContain(refusedNote);
    expect(await stillSignedIn(session)).toBe(false);
  });

  test('an unregistered post_logout_redirect_uri is not followed, and the page says so', async () => {
    const session = await signIn();
    const response = await call({
      params: {
        id_token_hint: await hintFor('owner', 'rp', undefined, session.sid),
        post_logout_redirect_uri: 'https://evil.example/bye',
      },
      session,
    });
    expect(response).toMatchObject({ status: 200, location: '' });
    expect(response.body).toContain(signedOut);
    expect(response.body).toContain(refusedNote);
    expect(await stillSignedIn(session)).toBe(false);
  });
});

describe('otherwise the user is asked, so that a forged link signs nobody out', () => {
  let currentSid = '';
  test.each<[string, () => Promise<string | undefined>]>([
    ['no hint', async () => undefined],
    ['a hint for another user', () => hintFor('ann')],
    [
      'a hint of an earlier sign-in of the same user',
      () => hintFor('owner', 'rp', undefined, 'an-older-sid'),
    ],
    ['a hint without sid', () => hintFor('owner', 'rp', undefined, null)],
    ['a hint for another user, with this session’s sid', () => hintFor('ann', 'rp', undefined, currentSid)],
    ['a hint that is no ID token of this server', async () => 'abc.def.ghi'],
  ])('%s: the confirmation page, the request carried in it', async (_, hint) => {
    const session = await signIn();
    currentSid = session.sid;
    const response = await call({
      params: {
        id_token_hint: await hint(),
        client_id: 'rp',
        post_logout_redirect_uri: 'https://rp.example/bye',
        state: 'st-2',
      },
      session,
    });
    expect(response).toMatchObject({ status: 200, cacheControl: 'no-store', location: '' });
    expect(response.body).toContain(confirmation);
    expect(response.body).toContain('<strong>Name of rp</strong> asks to sign you out');
    expect(response.body).toContain('You are signed in as <strong>owner</strong>');
    expect(response.body).toContain(`name="csrf_token" value="${session.csrfToken}"`);
    expect(response.body).toContain('name="client_id" value="rp"');
    expect(response.body).toContain('name="post_logout_redirect_uri" value="https://rp.example/bye"');
    expect(response.body).toContain('name="state" value="st-2"');
    expect(response.body).not.toContain(refusedNote);
    // The answer's redirect may go back to the client.
    expect(response.csp).toContain("form-action 'self' https://rp.example;");
    expect(await stillSignedIn(session)).toBe(true);
  });

  test('an unknown application, nowhere to return: only this server in the form’s reach', async () => {
    const session = await signIn();
    const response = await call({ params: { client_id: 'nobody' }, session });
    expect(response.body).toContain('An application asks to sign you out');
    expect(response.body).not.toContain('name="client_id"');
    expect(response.body).not.toContain('name="post_logout_redirect_uri"');
    expect(response.body).not.toContain('name="state"');
    expect(response.csp).toContain("form-action 'self';");
    expect(await stillSignedIn(session)).toBe(true);
  });

  test('an unregistered post_logout_redirect_uri: the page says it will not be followed', async () => {
    const session = await signIn();
    const response = await call({
      params: { client_id: 'rp', post_logout_redirect_uri: 'https://evil.example/bye' },
      session,
    });
    expect(response.body).toContain(confirmation);
    expect(response.body).toContain(refusedNote);
    expect(response.csp).toContain("form-action 'self';");
  });

  test('confirm in the query of a GET is no answer (answers are POSTed, with the anti-CSRF token)', async () => {
    const session = await signIn();
    const response = await call({ params: { confirm: 'yes', csrf_token: session.csrfToken }, session });
    expect(response.body).toContain(confirmation);
    expect(await stillSignedIn(session)).toBe(true);
  });
});

describe('the answer on the confirmation page', () => {
  test('“Sign out”: the session ends, back to the client with state (303)', async () => {
    const session = await signIn();
    const response = await call({
      method: 'POST',
      params: {
        client_id: 'rp',
        post_logout_redirect_uri: 'https://rp.example/bye',
        state: 'st-3',
        confirm: 'yes',
        csrf_token: session.csrfToken,
      },
      session,
    });
    expect(response).toMatchObject({
      status: 303,
      location: 'https://rp.example/bye?state=st-3',
      cacheControl: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    expect(await stillSignedIn(session)).toBe(false);
    expect(await grantRevoked(session)).toBe(false);
    expect(await lastLogout()).toMatchObject({ actor: 'owner', client_id: 'rp' });
  });

  test('“Sign out” and “all applications”: every grant of the user is revoked, and recorded', async () => {
    const session = await signIn('ann');
    const response = await call({
      method: 'POST',
      params: { confirm: 'yes', everywhere: '1', csrf_token: session.csrfToken },
      session,
    });
    expect(response).toMatchObject({ status: 200 });
    expect(response.body).toContain(signedOut);
    expect(await stillSignedIn(session)).toBe(false);
    expect(await grantRevoked(session)).toBe(true);
    expect(await lastLogout()).toEqual({
      actor: 'ann',
      client_id: null,
      ip: '192.0.2.1',
      detail: { rp_initiated: true },
    });
    expect((await fixture.events('grant.revoked')).at(-1)).toEqual({
      actor: 'ann',
      client_id: null,
      ip: '192.0.2.1',
      detail: { all: true },
    });
  });

  test.each([['0'], ['yes'], ['on']])('everywhere=%s is not “all applications”', async (everywhere) => {
    const session = await signIn();
    await call({
      method: 'POST',
      params: { confirm: 'yes', everywhere, csrf_token: session.csrfToken },
      session,
    });
    expect(await stillSignedIn(session)).toBe(false);
    expect(await grantRevoked(session)).toBe(false);
  });

  test('“Stay signed in”: nothing changes, and the page says so', async () => {
    const session = await signIn();
    const before = (await fixture.events('logout')).length;
    const response = await call({
      method: 'POST',
      params: { confirm: 'no', everywhere: '1', csrf_token: session.csrfToken },
      session,
    });
    expect(response).toMatchObject({ status: 200, cookies: [] });
    expect(response.body).toContain(notSignedOut);
    expect(await stillSignedIn(session)).toBe(true);
    expect(await grantRevoked(session)).toBe(false);
    expect((await fixture.events('logout')).length).toBe(before);
  });

  test('“Stay signed in” still goes back to the client', async () => {
    const session = await signIn();
    expect(
      await call({
        method: 'POST',
        params: {
          client_id: 'rp',
          post_logout_redirect_uri: 'https://rp.example/bye',
          confirm: 'no',
          csrf_token: session.csrfToken,
        },
        session,
      }),
    ).toMatchObject({ status: 303, location: 'https://rp.example/bye' });
    expect(await stillSignedIn(session)).toBe(true);
  });

  test.each<[string, string | undefined]>([
    ['without the anti-CSRF token', undefined],
    ['with another anti-CSRF token', 'forged'],
  ])('a forged answer (%s) signs nobody out: 403', async (_, csrfToken) => {
    const session = await signIn();
    const response = await call({
      method: 'POST',
      params: { confirm: 'yes', csrf_token: csrfToken },
      session,
    });
    expect(response.status).toBe(403);
    expect(response.body).toContain('This form has expired');
    expect(await stillSignedIn(session)).toBe(true);
  });

  test.each<[string, string]>([
    ['yes', signedOut],
    // Nobody was signed in: whatever the answer, nobody is now.
    ['no', signedOut],
  ])('an answer (%s) after the session ended elsewhere needs no token', async (confirm, page) => {
    const response = await call({ method: 'POST', params: { confirm } });
    expect(response.status).toBe(200);
    expect(response.body).toContain(page);
  });

  test('an answer other than yes or no: 400', async () => {
    const session = await signIn();
    const response = await call({
      method: 'POST',
      params: { confirm: 'maybe', csrf_token: session.csrfToken },
      session,
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain('confirm must be yes or no.');
    expect(await stillSignedIn(session)).toBe(true);
  });
});

describe('nobody signed in here: nothing to end', () => {
  test('a GET goes straight back to the client', async () => {
    expect(
      await call({ params: { client_id: 'rp', post_logout_redirect_uri: 'https://rp.example/bye' } }),
    ).toMatchObject({ status: 302, location: 'https://rp.example/bye', cookies: [] });
  });

  test('a POST (maybe another site’s form, sent without the SameSite cookie) goes on as a GET', async () => {
    const hint = await hintFor('owner');
    expect(
      await call({
        method: 'POST',
        params: {
          id_token_hint: hint,
          client_id: 'rp',
          post_logout_redirect_uri: 'https://rp.example/bye',
          state: 's 1',
          ignored: 'x',
        },
      }),
    ).toMatchObject({
      status: 303,
      location: `/oauth2/logout?id_token_hint=${hint}&client_id=rp&post_logout_redirect_uri=${encodeURIComponent('https://rp.example/bye')}&state=s%201`,
      cacheControl: 'no-store',
      cookies: [],
    });
    expect(await call({ method: 'POST' })).toMatchObject({ status: 303, location: '/oauth2/logout?' });
  });

  test('nowhere to return: the signed-out page', async () => {
    const response = await call({ params: { id_token_hint: await hintFor('owner') } });
    expect(response.status).toBe(200);
    expect(response.body).toContain(signedOut);
    expect(response.body).not.toContain(refusedNote);
  });

  test.each<[string, Record<string, string>]>([
    ['of another client', { client_id: 'rp', post_logout_redirect_uri: 'https://other.example/bye' }],
    ['without a client', { post_logout_redirect_uri: 'https://rp.example/bye' }],
    ['of an unknown client', { client_id: 'nobody', post_logout_redirect_uri: 'https://rp.example/bye' }],
    ['of a paused client', { client_id: 'paused', post_logout_redirect_uri: 'https://paused.example/bye' }],
    [
      'of a client id longer than any',
      { client_id: `${longId}l`, post_logout_redirect_uri: 'https://longer.example/bye' },
    ],
    [
      'as a prefix of a registered one',
      { client_id: 'rp', post_logout_redirect_uri: 'https://rp.example/by' },
    ],
  ])('a post_logout_redirect_uri %s is not followed', async (_, params) => {
    const response = await call({ params });
    expect(response).toMatchObject({ status: 200, location: '' });
    expect(response.body).toContain(refusedNote);
  });

  test('a client id of the longest length is looked up', async () => {
    expect(
      await call({ params: { client_id: longId, post_logout_redirect_uri: 'https://long.example/bye' } }),
    ).toMatchObject({ status: 302, location: 'https://long.example/bye' });
  });

  test('a state of the longest length goes back', async () => {
    const state = 's'.repeat(2048);
    expect(
      await call({ params: { client_id: 'rp', post_logout_redirect_uri: 'https://rp.example/bye', state } }),
    ).toMatchObject({ status: 302, location: `https://rp.example/bye?state=${state}` });
  });
});

describe('a sign-out link that is not valid: a page, never a redirect', () => {
  test.each(['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state', 'confirm'])(
    '%s repeated',
    async (name) => {
      const session = await signIn();
      const response = await call({
        params: { client_id: 'rp', post_logout_redirect_uri: 'https://rp.example/bye' },
        extra: [
          [name, 'a'],
          [name, 'b'],
        ],
        session,
      });
      expect(response).toMatchObject({ status: 400, location: '' });
      expect(response.body).toContain('This sign-out link is not valid');
      expect(response.body).toContain(`The request repeats ${name}.`);
      expect(await stillSignedIn(session)).toBe(true);
    },
  );

  test('a hint issued to another client than client_id', async () => {
    const session = await signIn();
    const response = await call({
      params: { id_token_hint: await hintFor('owner', 'other'), client_id: 'rp' },
      session,
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'The id_token_hint was issued to another application than client_id names.',
    );
    expect(await stillSignedIn(session)).toBe(true);
  });

  test('a state longer than 2048 characters', async () => {
    const response = await call({ params: { client_id: 'rp', state: 's'.repeat(2049) } });
    expect(response.status).toBe(400);
    expect(response.body).toContain('state is longer than 2048 characters.');
  });
});

describe('the length of a hint', () => {
  /** An ID token of `length` characters issued to another client than rp: read, it is refused. */
  async function hintOfLength(length: number): Promise<string> {
    for (const aud of ['other', 'other2', 'other34']) {
      const base = (await hintFor('owner', aud, 'n')).length;
      const estimate = 1 + Math.floor(((length - base) * 3) / 4);
      for (let size = Math.max(estimate - 6, 1); size <= estimate + 6; size++) {
        const token = await hintFor('owner', aud, 'n'.repeat(size));
        if (token.length === length) return token;
      }
    }
    throw new Error(`no hint of ${length} characters`);
  }

  test.each<[number, number]>([
    [MAX_ID_TOKEN_LENGTH, 400],
    [MAX_ID_TOKEN_LENGTH + 1, 200],
  ])('a hint of %i characters is read (%i) or not', async (length, status) => {
    const hint = await hintOfLength(length);
    expect(hint.length).toBe(length);
    expect((await call({ params: { id_token_hint: hint, client_id: 'rp' } })).status).toBe(status);
  });
});
