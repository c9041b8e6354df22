import { type Clock, systemClock } from '../config/clock';
import { sha256Hex } from '../crypto/digest';
import { decrypt, encrypt } from '../crypto/key-encryption';
import { randomToken } from '../crypto/random-token';
import type { Db } from '../db/database';
import type { AppContext } from '../http/state';
import type { SessionCookies } from '../sessions/session-cookies';
import type { SessionState } from '../sessions/session-state';
import { createSpentNonces } from './spent-nonces';

/** How long a secret waits for its page: the cookie's max-age, and the limit the server applies. */
const TTL_SECONDS = 120;

/** What the cookie holds, sealed. */
interface Flash {
  secret: string;
  /** When it was put (the clock's milliseconds). */
  issuedAt: number;
  /** Spent when shown, so that a copy of the cookie shows nothing. */
  nonce: string;
}

function parseFlash(text: string): Flash | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // The one JSON value that has no fields to read (a number, a string or an array has none of these).
  if (value === null) return undefined;
  const { secret, issuedAt, nonce } = value as Record<string, unknown>;
  return typeof secret === 'string' && typeof issuedAt === 'number' && typeof nonce === 'string'
    ? { secret, issuedAt, nonce }
    : undefined;
}

/**
 * Sealed for one client and one sign-in session. The session is named by its cookie (HttpOnly,
 * never in a page, unlike the anti-CSRF token), hashed: a flash cookie copied into another
 * session, even the same super user's, does not open.
 */
function boundTo(clientId: string, sessionCookie: string): string {
  return `secret-flash:${clientId}:${sha256Hex(sessionCookie)}`;
}

/**
 * A client secret is shown in full once, on the page the browser lands on after creating or
 * rotating it (post/redirect/get). It travels there in a cookie sealed with AES-256-GCM under a
 * key derived from the operator's secret, bound to the client id and the session, refused after
 * two minutes by the server (not only by the browser's max-age), and carrying a nonce spent when
 * the secret is shown: a reload, or a replay of a saved copy of the cookie, shows it masked.
 *
 * The nonce is spent in the database, in one atomic statement: a replay on another worker process
 * or another instance sharing the database shows the secret masked too, as does a copy sent to
 * two instances at once.
 */
export function createSecretFlash({
  key,
  cookies,
  db,
  clock = systemClock,
}: {
  key: Buffer;
  cookies: SessionCookies;
  db: Db;
  clock?: Clock;
}) {
  const spent = createSpentNonces({ db, ttlMs: TTL_SECONDS * 1000, clock });

  function open(sealed: string, clientId: string, sessionCookie: string): Flash | undefined {
    let text: string;
    // Only the opening may fail (a tampered cookie, another session's): a bug in reading what it
    // holds must not pass for one.
    try {
      text = decrypt(key, sealed, boundTo(clientId, sessionCookie));
    } catch /* Stryker disable next-line BlockStatement: an empty catch leaves text undefined, which JSON.parse refuses */ {
      return undefined;
    }
    return parseFlash(text);
  }

  return {
    put(ctx: AppContext<SessionState>, clientId: string, secret: string): void {
      const session = ctx.state.session;
      if (!session) throw new Error('A secret is shown only within a sign-in session');
      const flash: Flash = { secret, issuedAt: clock(), nonce: randomToken(16) };
      const sealed = encrypt(key, JSON.stringify(flash), boundTo(clientId, session.cookieValue));
      cookies.write(ctx, 'secretFlash', sealed, TTL_SECONDS);
    },

    /** The secret put for this client in this session, once, within two minutes; else undefined. */
    async take(ctx: AppContext<SessionState>, clientId: string): Promise<string | undefined> {
      // A HEAD request shows no page: it must not use up the one showing.
      if (ctx.method === 'HEAD') return undefined;
      const sealed = cookies.read(ctx, 'secretFlash');
      const session = ctx.state.session;
      // Stryker disable next-line ConditionalExpression: without a cookie, open() gets undefined, decrypt throws and open() returns undefined
      if (sealed === undefined || !session) return undefined;
      const flash = open(sealed, clientId, session.cookieValue);
      // Another client's (its page is still to come), or not this session's: left as it is.
      if (!flash) return undefined;
      cookies.write(ctx, 'secretFlash', undefined);
      if (clock() - flash.issuedAt > TTL_SECONDS * 1000) return undefined;
      return (await spent.spend(flash.nonce)) ? flash.secret : undefined;
    },
  };
}

export type SecretFlash = ReturnType<typeof createSecretFlash>;
