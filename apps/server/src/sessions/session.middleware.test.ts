import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestContext } from '../../test/support/koa-context';
import { openTestDatabase } from '../../test/support/test-database';
import type { Db } from '../db/database';
import type { UserRow } from '../db/schema';
import { PageError } from '../errors/page-error';
import { Params } from '../http/params';
import * as users from '../users/user.repository';
import { checkSessionCsrf, loadSession } from './session.middleware';
import { createSessionCookies } from './session-cookies';
import type { SessionState } from './session-state';
import { createSessionStore, type SessionStore } from './session-store';

const csrfToken = 'the-session-anti-csrf-token-0123456789abcd';

function signedIn(token = csrfToken): Partial<SessionState> {
  const user: UserRow = {
    login: 'ann',
    email: 'a@example.org',
    password_hash: 'x',
    superuser: 0,
    created_at: 0,
  };
  return {
    session: { cookieValue: 'c', data: { login: 'ann', csrfToken: token, createdAt: 0, sid: 'sid' }, user },
  };
}

function csrfResult(state: Partial<SessionState>, form: Params): 'passed' | number {
  const ctx = createTestContext<SessionState>({ method: 'POST', state });
  try {
    checkSessionCsrf(ctx, form);
  } catch (error) {
    if (error instanceof PageError && error.title === 'This form has expired') return error.status;
    throw error;
  }
  return 'passed';
}

describe('checkSessionCsrf', () => {
  test('the session’s token passes', () => {
    expect(csrfResult(signedIn(), new Params([['csrf_token', csrfToken]]))).toBe('passed');
  });

  test.each<[string, Partial<SessionState>, [string, string][]]>([
    ['no session', {}, [['csrf_token', csrfToken]]],
    ['a session without a token', signedIn(''), [['csrf_token', 'x']]],
    ['no token', signedIn(), []],
    ['an empty token', signedIn(), [['csrf_token', '']]],
    ['another token', signedIn(), [['csrf_token', `${csrfToken.slice(0, -1)}e`]]],
    ['a prefix of the token', signedIn(), [['csrf_token', csrfToken.slice(0, -1)]]],
    [
      'the token twice',
      signedIn(),
      [
        ['csrf_token', csrfToken],
        ['csrf_token', csrfToken],
      ],
    ],
    [
      'the token, then another',
      signedIn(),
      [
        ['csrf_token', csrfToken],
        ['csrf_token', 'x'],
      ],
    ],
  ])('%s: 403', (_, state, form) => {
    expect(csrfResult(state, new Params(form))).toBe(403);
  });
});

describe('loadSession', () => {
  let db: Db;
  let close: () => Promise<void>;
  let sessions: SessionStore;
  const cookies = createSessionCookies('http://127.0.0.1');
  let now = 1_000;

  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
    sessions = createSessionStore({ db, clock: () => now, ttlMs: 60_000 });
    await users.insert(db, {
      login: 'gone',
      email: 'g@example.org',
      password_hash: 'x',
      superuser: 0,
      created_at: 0,
    });
  });
  afterAll(() => close());

  async function load(cookie: string | undefined) {
    const ctx = createTestContext<SessionState>({
      headers: cookie === undefined ? {} : { Cookie: `mo_session=${cookie}` },
    });
    let reached = false;
    await loadSession({ db, sessions, cookies })(ctx, async () => {
      reached = true;
    });
    expect(reached).toBe(true);
    return ctx.state.session;
  }

  test('a session cookie signs its user in', async () => {
    const { cookieValue, session } = await sessions.create('owner');
    expect(await load(cookieValue)).toEqual({
      cookieValue,
      data: session,
      user: expect.objectContaining({ login: 'owner' }),
    });
  });

  test('no cookie, an unknown cookie, an ended session: nobody', async () => {
    expect(await load(undefined)).toBeUndefined();
    expect(await load('not-a-session')).toBeUndefined();
    const { cookieValue } = await sessions.create('owner');
    now += 60_000;
    expect(await load(cookieValue)).toBeUndefined();
  });

  test('the session of a deleted user signs nobody in', async () => {
    const { cookieValue } = await sessions.create('gone');
    await db.deleteFrom('users').where('login', '=', 'gone').execute();
    expect(await load(cookieValue)).toBeUndefined();
    // Also when the user goes between reading the session and reading the user.
    const racing: SessionStore = {
      ...sessions,
      find: async () => ({ login: 'gone', csrfToken, createdAt: 0, sid: 'sid' }),
    };
    const ctx = createTestContext<SessionState>({ headers: { Cookie: 'mo_session=any' } });
    await loadSession({ db, sessions: racing, cookies })(ctx, async () => {});
    expect(ctx.state.session).toBeUndefined();
  });
});
