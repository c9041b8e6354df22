import { basePathOf } from '../http/base-path';
import type { AppContext } from '../http/state';

/** `secretFlash`: a client secret just created, sealed (AES-GCM), read once by the next page. */
export type CookieName = 'session' | 'loginCsrf' | 'secretFlash';

/**
 * The sign-in cookies, through Koa's own `ctx.cookies`: HttpOnly, SameSite=Lax, for the issuer's
 * path only (`/auth`, or the whole site), so other applications on the same host never receive
 * them. Under an https issuer they are Secure, also behind a reverse proxy that ends TLS; at the
 * host's root they are `__Host-` prefixed too, which pins them to this host (no sibling domain
 * can plant one). `__Host-` requires `Path=/`, so under a path they are `__Secure-` instead.
 */
export function createSessionCookies(issuer: string) {
  const secure = issuer.startsWith('https:');
  const path = basePathOf(issuer) || '/';
  const prefix = secure ? (path === '/' ? '__Host-' : '__Secure-') : '';
  const names: Record<CookieName, string> = {
    session: `${prefix}mo_session`,
    loginCsrf: `${prefix}mo_login_csrf`,
    secretFlash: `${prefix}mo_secret_flash`,
  };
  /** The login CSRF cookie must not be forged: Koa signs it with the operator's secret. */
  const signed = (which: CookieName) => which === 'loginCsrf';

  return {
    names,
    read(ctx: AppContext, which: CookieName): string | undefined {
      return ctx.cookies.get(names[which], { signed: signed(which) });
    },
    /** Sets a cookie; no value clears it. */
    write(ctx: AppContext, which: CookieName, value: string | undefined, maxAgeSeconds?: number): void {
      // The public face is https even when a proxy in front speaks plain http to us.
      if (secure) ctx.cookies.secure = true;
      ctx.cookies.set(names[which], value ?? null, {
        path,
        httpOnly: true,
        sameSite: 'lax',
        secure,
        signed: signed(which),
        overwrite: true,
        ...(value !== undefined && maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds * 1000 } : {}),
      });
    },
  };
}

export type SessionCookies = ReturnType<typeof createSessionCookies>;
