import { readCookie, serializeCookie } from '../http/cookies';
import type { AppContext } from '../http/state';

/** Cookie names: under https the `__Host-` prefix pins them to this host and path, Secure only. */
export function cookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}mo_session`, loginCsrf: `${prefix}mo_login_csrf` };
}

export function sessionCookies(issuer: string) {
  const secure = issuer.startsWith('https:');
  const names = cookieNames(secure);
  return {
    names,
    read(ctx: AppContext, which: keyof typeof names): string | undefined {
      return readCookie(ctx.get('Cookie'), names[which]);
    },
    /** Sets a cookie (HttpOnly; SameSite=Lax; Secure under https); no value clears it. */
    write(
      ctx: AppContext,
      which: keyof typeof names,
      value: string | undefined,
      maxAgeSeconds?: number,
    ): void {
      ctx.append(
        'Set-Cookie',
        serializeCookie(names[which], value ?? '', {
          secure,
          sameSite: 'Lax',
          maxAgeSeconds: value === undefined ? 0 : maxAgeSeconds,
        }),
      );
    },
  };
}

export type SessionCookies = ReturnType<typeof sessionCookies>;
