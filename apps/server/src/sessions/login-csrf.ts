import { constantTimeEqual } from '../crypto/constant-time';
import { randomToken } from '../crypto/random-token';
import type { AppContext } from '../http/state';
import { MAX_COOKIE_VALUE_LENGTH } from '../protocol/limits';
import type { SessionCookies } from './session-cookies';

/**
 * Anti-CSRF tokens for the form shown before anyone is signed in (the sign-in form itself,
 * against login CSRF): a signed double-submit cookie. The token is random, sent both in a cookie
 * that Koa signs with the operator's secret and in the form; a page elsewhere can neither read
 * the cookie nor forge one.
 */
export function issueLoginCsrf(ctx: AppContext, cookies: SessionCookies): string {
  const token = randomToken(32);
  cookies.write(ctx, 'loginCsrf', token, 3600);
  return token;
}

/** Whether the form's token is the one in the (signed, unforged) cookie. */
export function verifyLoginCsrf(ctx: AppContext, cookies: SessionCookies, sent: string | undefined): boolean {
  const expected = cookies.read(ctx, 'loginCsrf');
  if (!expected || !sent || expected.length > MAX_COOKIE_VALUE_LENGTH) return false;
  return constantTimeEqual(expected, sent);
}
