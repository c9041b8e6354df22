import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import { sha256Hex } from '../crypto/digest';
import type { Db } from '../db/database';
import * as users from '../users/user.repository';
import {
  createSessionStore,
  deleteExpiredSessions,
  deleteSessionsOf,
  type SessionStore,
} from './session-store';

let db: Db;
let close: () => Promise<void>;
let now = 1_000_000;
let store: SessionStore;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  await users.insert(db, {
    login: 'ann',
    email: 'a@example.org',
    password_hash: 'x',
    superuser: 0,
    created_at: 0,
  });
  store = createSessionStore({ db, clock: () => now, ttlMs: 60_000 });
});
afterAll(() => close());

const stored = () => db.selectFrom('sessions').selectAll().orderBy('created_at').execute();

describe('sign-in sessions', () => {
  test('a session is 256 random bits in the cookie, only its SHA-256 in the database', async () => {
    const { cookieValue, session } = await store.create('owner');
    expect(cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.login).toBe('owner');
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).not.toBe(cookieValue);
    const rows = await db
      .selectFrom('sessions')
      .selectAll()
      .where('session_digest', '=', sha256Hex(cookieValue))
      .execute();
    expect(rows).toEqual([
      {
        session_digest: sha256Hex(cookieValue),
        user_login: 'owner',
        csrf_token: session.csrfToken,
        created_at: now,
        expires_at: now + 60_000,
      },
    ]);
    expect(await store.find(cookieValue)).toEqual(session);
  });

  test('a session knows when the user signed in, and has a public id of its own', async () => {
    const signedInAt = now;
    const a = await store.create('owner');
    const b = await store.create('owner');
    expect(a.session.createdAt).toBe(signedInAt);
    expect(a.session.sid).toMatch(/^[0-9a-f]{32}$/);
    expect(b.session.sid).not.toBe(a.session.sid);
    now += 1000;
    // Stable for the cookie: every read gives the same id and sign-in time.
    expect(await store.find(a.cookieValue)).toMatchObject({ createdAt: signedInAt, sid: a.session.sid });
    expect(await store.find(b.cookieValue)).toMatchObject({ sid: b.session.sid });
    // The id is public (in ID tokens): neither the cookie nor the digest that opens the session.
    const digest = sha256Hex(a.cookieValue);
    expect(digest.startsWith(a.session.sid)).toBe(false);
    expect(a.session.sid).not.toContain(a.cookieValue.slice(0, 8));
    expect(sha256Hex(digest).startsWith(a.session.sid)).toBe(false);
  });

  test('lasts until its expiry, not a millisecond more', async () => {
    const { cookieValue } = await store.create('owner');
    now += 59_999;
    expect(await store.find(cookieValue)).toBeDefined();
    now += 1;
    expect(await store.find(cookieValue)).toBeUndefined();
  });

  test.each([undefined, '', 'unknown', 'x'.repeat(101)])('the cookie %j opens none', async (cookie) => {
    expect(await store.find(cookie)).toBeUndefined();
  });

  test('a cookie value of the longest length is looked up; a longer one is not', async () => {
    const session = (value: string) =>
      db
        .insertInto('sessions')
        .values({
          session_digest: sha256Hex(value),
          user_login: 'ann',
          csrf_token: 't',
          created_at: now,
          expires_at: now + 1,
        })
        .execute();
    await session('v'.repeat(100));
    // Longer than any cookie this server sets: refused unread, even if such a session existed.
    await session('v'.repeat(101));
    expect(await store.find('v'.repeat(100))).toMatchObject({ login: 'ann', csrfToken: 't' });
    expect(await store.find('v'.repeat(101))).toBeUndefined();
  });

  test('destroy ends one session; no cookie, nothing to end', async () => {
    const a = await store.create('owner');
    const b = await store.create('owner');
    await store.destroy(undefined);
    await store.destroy('');
    await store.destroy(a.cookieValue);
    expect(await store.find(a.cookieValue)).toBeUndefined();
    expect(await store.find(b.cookieValue)).toBeDefined();
  });

  test('ended sessions are forgotten; a user’s sessions end together', async () => {
    await db.deleteFrom('sessions').execute();
    await store.create('owner');
    now += 10;
    const current = await store.create('ann');
    await deleteExpiredSessions(db, now + 60_000 - 10);
    expect((await stored()).map((row) => row.user_login)).toEqual(['owner', 'ann']);
    await deleteExpiredSessions(db, now + 60_000 - 9);
    expect((await stored()).map((row) => row.user_login)).toEqual(['ann']);
    await store.create('ann');
    await store.create('owner');
    await deleteSessionsOf(db, 'ann');
    expect((await stored()).map((row) => row.user_login)).toEqual(['owner']);
    expect(await store.find(current.cookieValue)).toBeUndefined();
  });
});
