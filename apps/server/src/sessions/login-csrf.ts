import { createHmac } from 'node:crypto';
import { constantTimeEqual, randomToken } from '../crypto/random';

/**
 * Anti-CSRF tokens for forms shown before anyone is signed in (the sign-in form itself, against
 * login CSRF). A random cookie value is paired with a form token that is its HMAC under a
 * server key: a page elsewhere can neither read the cookie nor forge the token.
 */
export function createLoginCsrf(key: Buffer) {
  const tokenFor = (cookieValue: string) => createHmac('sha256', key).update(cookieValue).digest('base64url');
  return {
    issue(): { cookieValue: string; token: string } {
      const cookieValue = randomToken(32);
      return { cookieValue, token: tokenFor(cookieValue) };
    },
    tokenFor,
    verify(cookieValue: string | undefined, token: string | undefined): boolean {
      if (!cookieValue || !token || cookieValue.length > 100) return false;
      return constantTimeEqual(tokenFor(cookieValue), token);
    },
  };
}

export type LoginCsrf = ReturnType<typeof createLoginCsrf>;
