import type { Clock } from '../config/clock';
import { sha256Hex } from '../crypto/digest';
import { randomToken } from '../crypto/random-token';
import type { Db } from '../db/database';
import { MAX_COOKIE_VALUE_LENGTH } from '../protocol/limits';

export interface Session {
  login: string;
  csrfToken: string;
  /** When the user entered their password (ms): the ID token's `auth_time`. */
  createdAt: number;
  /** The session's public id (an ID token's `sid`); reveals nothing of the cookie. */
  sid: string;
}

/** A session's public id, from the digest of its cookie (itself a one-way function of the cookie). */
function sessionId(digest: string): string {
  return sha256Hex(`sid:${digest}`).slice(0, 32);
}

/**
 * Sign-in sessions. The cookie holds 256 random bits; the database holds only their SHA-256,
 * so a copy of the database opens no session. Each session has its own anti-CSRF token.
 */
export function createSessionStore({ db, clock, ttlMs }: { db: Db; clock: Clock; ttlMs: number }) {
  return {
    async create(login: string): Promise<{ cookieValue: string; session: Session }> {
      const cookieValue = randomToken(32);
      const csrfToken = randomToken(32);
      const now = clock();
      const digest = sha256Hex(cookieValue);
      await db
        .insertInto('sessions')
        .values({
          session_digest: digest,
          user_login: login,
          csrf_token: csrfToken,
          created_at: now,
          expires_at: now + ttlMs,
        })
        .execute();
      return { cookieValue, session: { login, csrfToken, createdAt: now, sid: sessionId(digest) } };
    },

    async find(cookieValue: string | undefined): Promise<Session | undefined> {
      if (!cookieValue || cookieValue.length > MAX_COOKIE_VALUE_LENGTH) return undefined;
      const digest = sha256Hex(cookieValue);
      const row = await db
        .selectFrom('sessions')
        .select(['user_login', 'csrf_token', 'created_at', 'expires_at'])
        .where('session_digest', '=', digest)
        .executeTakeFirst();
      if (!row || row.expires_at <= clock()) return undefined;
      return {
        login: row.user_login,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        sid: sessionId(digest),
      };
    },

    async destroy(cookieValue: string | undefined): Promise<void> {
      if (!cookieValue) return;
      await db.deleteFrom('sessions').where('session_digest', '=', sha256Hex(cookieValue)).execute();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/** Forgets sessions that ended before `now`. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

/** Ends every sign-in session of a user. */
export async function deleteSessionsOf(db: Db, login: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_login', '=', login).execute();
}
