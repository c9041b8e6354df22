import { describe, expect, test } from 'vitest';
import { createTestContext, setCookies } from '../../test/support/koa-context';
import { issueLoginCsrf, verifyLoginCsrf } from './login-csrf';
import { createSessionCookies } from './session-cookies';

const cookies = createSessionCookies('http://127.0.0.1');

/** The cookies a response set, as the browser sends them back. */
function cookieHeader(lines: string[]): string {
  return lines.map((line) => line.split(';')[0]).join('; ');
}

/** A sign-in form was issued; its token and the cookies the browser got. */
function issue(keys?: string[]) {
  const page = createTestContext(keys === undefined ? {} : { keys });
  const token = issueLoginCsrf(page, cookies);
  return { token, cookie: cookieHeader(setCookies(page)) };
}

function verify(cookie: string, sent: string | undefined, keys?: string[]): boolean {
  const ctx = createTestContext({
    method: 'POST',
    url: '/login',
    headers: { Cookie: cookie },
    ...(keys ? { keys } : {}),
  });
  return verifyLoginCsrf(ctx, cookies, sent);
}

describe('the login form’s anti-CSRF token (signed double-submit cookie)', () => {
  test('is random, 256 bits, in an HttpOnly cookie for an hour', () => {
    const page = createTestContext();
    const token = issueLoginCsrf(page, cookies);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issue().token).not.toBe(token);
    const [value, signature] = setCookies(page);
    expect(value).toMatch(new RegExp(`^mo_login_csrf=${token}; path=/; expires=.*; samesite=lax; httponly$`));
    expect(signature).toMatch(/^mo_login_csrf\.sig=/);
  });

  test('the form’s token with the cookie that came with it passes', () => {
    const { token, cookie } = issue();
    expect(verify(cookie, token)).toBe(true);
  });

  test.each<[string, (issued: { token: string; cookie: string }) => [string, string | undefined]]>([
    ['no token in the form', ({ cookie }) => [cookie, undefined]],
    ['an empty token', ({ cookie }) => [cookie, '']],
    ['another token', ({ cookie, token }) => [cookie, `${token.slice(1)}A`]],
    ['a longer token', ({ cookie, token }) => [cookie, `${token}A`]],
    ['no cookie', ({ token }) => ['', token]],
    // A page elsewhere cannot sign a cookie it plants, nor reuse one signature for another value.
    ['an unsigned cookie', ({ token }) => [`mo_login_csrf=${token}`, token]],
    [
      'a cookie with another value’s signature',
      ({ cookie }) => [cookie.replace(/^mo_login_csrf=[^;]*/, 'mo_login_csrf=planted'), 'planted'],
    ],
  ])('%s fails', (_, make) => {
    const [cookie, sent] = make(issue());
    expect(verify(cookie, sent)).toBe(false);
  });

  test('a cookie signed with another key fails', () => {
    const { token, cookie } = issue(['another-key']);
    expect(verify(cookie, token)).toBe(false);
  });

  test('cookie values longer than any this server sets are not compared', () => {
    const signedCookie = (value: string) => {
      const ctx = createTestContext();
      cookies.write(ctx, 'loginCsrf', value);
      return cookieHeader(setCookies(ctx));
    };
    expect(verify(signedCookie('a'.repeat(100)), 'a'.repeat(100))).toBe(true);
    expect(verify(signedCookie('a'.repeat(101)), 'a'.repeat(101))).toBe(false);
  });
});
