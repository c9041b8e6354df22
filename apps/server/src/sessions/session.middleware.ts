import { constantTimeEqual } from '../crypto/constant-time';
import type { Db } from '../db/database';
import { PageError } from '../errors/page-error';
import type { Params } from '../http/params';
import type { AppContext, AppMiddleware } from '../http/state';
import * as users from '../users/user.repository';
import type { SessionCookies } from './session-cookies';
import type { SessionState } from './session-state';
import type { SessionStore } from './session-store';

export interface SessionDeps {
  db: Db;
  sessions: SessionStore;
  cookies: SessionCookies;
}

export const csrfFailure = () =>
  new PageError(
    403,
    'This form has expired',
    'The form was not sent from this site or is too old. Go back, reload the page and try again.',
  );

/** Loads the signed-in user (if any) from the session cookie into `ctx.state.session`. */
export function loadSession({ db, sessions, cookies }: SessionDeps): AppMiddleware<SessionState> {
  /** The session of a cookie, while it lasts and its user exists. */
  async function sessionOf(cookieValue: string | undefined): Promise<SessionState['session']> {
    // Stryker disable next-line ConditionalExpression: the store finds no session without a cookie; this narrows the type
    if (cookieValue === undefined) return undefined;
    const data = await sessions.find(cookieValue);
    if (!data) return undefined;
    // The user may have been deleted since the session was read.
    const user = await users.find(db, data.login);
    return user && { cookieValue, data, user };
  }

  return async function loadSession(ctx, next) {
    ctx.state.session = await sessionOf(cookies.read(ctx, 'session'));
    await next();
  };
}

/** Checks a signed-in form's anti-CSRF token against the session's. */
export function checkSessionCsrf(ctx: AppContext<SessionState>, form: Params): void {
  const expected = ctx.state.session?.data.csrfToken;
  const sent = form.get('csrf_token');
  if (!expected || !sent || form.isRepeated('csrf_token') || !constantTimeEqual(expected, sent))
    throw csrfFailure();
}
