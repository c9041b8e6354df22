import type { AuditLog } from '../audit/audit-log';
import { BusyError } from '../crypto/concurrency-gate';
import { decoyPasswordHash, verifyPassword } from '../crypto/password';
import { formOf, queryParams, readForm } from '../http/form-body';
import type { AppMiddleware } from '../http/state';
import { signedInPage } from '../pages/message.page';
import { renderPageErrors, sendPage } from '../pages/page-response';
import { MAX_PASSWORD_LENGTH } from '../protocol/limits';
import { addressKey, attemptAll, type RateLimiter } from '../rate-limit/rate-limiter';
import * as users from '../users/user.repository';
import { verifyLoginCsrf } from './login-csrf';
import { showLoginForm } from './login-form';
import { safeReturnTo } from './return-to';
import { checkSessionCsrf, csrfFailure, loadSession, type SessionDeps } from './session.middleware';
import type { SessionState } from './session-state';

export interface SignInDeps extends SessionDeps {
  audit: AuditLog;
  limits: {
    loginPerIp: RateLimiter;
    loginPerUser: RateLimiter;
    loginPerAccount: RateLimiter;
  };
  /** Session lifetime, seconds. */
  sessionTtl: number;
}

/** The sign-in page (`GET|POST /login`) and sign-out (`POST /logout`). */
export function signInRoutes(deps: SignInDeps) {
  const { db, sessions, cookies, audit, limits } = deps;

  const showSignIn: AppMiddleware<SessionState> = async function showSignIn(ctx) {
    const session = ctx.state.session;
    if (session) {
      sendPage(ctx, 200, signedInPage(session.user.login, session.data.csrfToken));
      return;
    }
    showLoginForm(ctx, cookies, { returnTo: safeReturnTo(queryParams(ctx).get('return_to')) });
  };

  const signIn: AppMiddleware<SessionState> = async function signIn(ctx) {
    const form = formOf(ctx);
    const returnTo = safeReturnTo(form.get('return_to'));
    if (!verifyLoginCsrf(ctx, cookies, form.get('csrf_token'))) throw csrfFailure();
    const login = (form.get('login') ?? '').trim().slice(0, 100);
    const password = form.get('password') ?? '';

    const address = addressKey(ctx.ip);
    const account = login.toLowerCase();
    const reservations: [RateLimiter, string][] = [
      [limits.loginPerIp, address],
      [limits.loginPerUser, `${account}|${address}`],
      [limits.loginPerAccount, account],
    ];
    const refuse = (wait: number, error: string) => {
      showLoginForm(ctx, cookies, { status: 429, returnTo, login, error });
      ctx.set('Retry-After', String(wait));
    };
    // Reserved before any await, so that a burst of guesses cannot all pass the check at once.
    const wait = attemptAll(reservations);
    if (wait > 0) {
      if (reservations.some(([limiter, key]) => limiter.firstRefusal(key))) {
        audit.record('login.rate_limited', { actor: login, ip: ctx.ip });
      }
      refuse(wait, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`);
      return;
    }

    let valid = false;
    const user = login === '' ? undefined : await users.find(db, login);
    try {
      // An unknown login costs the same scrypt time as a wrong password: no user enumeration.
      valid =
        password.length <= MAX_PASSWORD_LENGTH &&
        (await verifyPassword(password, user?.password_hash ?? (await decoyPasswordHash())));
    } catch (error) {
      if (!(error instanceof BusyError)) throw error;
      for (const [limiter, key] of reservations) limiter.succeed(key);
      refuse(1, 'The server is busy. Try again in a moment.');
      return;
    }
    if (!user || !valid) {
      for (const [limiter, key] of reservations) limiter.fail(key);
      audit.record('login.failed', { actor: login, ip: ctx.ip });
      showLoginForm(ctx, cookies, { status: 401, returnTo, login, error: 'Wrong username or password.' });
      return;
    }

    for (const [limiter, key] of reservations) limiter.succeed(key);
    limits.loginPerUser.reset(`${account}|${address}`);
    await sessions.destroy(cookies.read(ctx, 'session'));
    const { cookieValue } = await sessions.create(user.login);
    cookies.write(ctx, 'session', cookieValue, deps.sessionTtl);
    cookies.write(ctx, 'loginCsrf', undefined);
    audit.record('login.succeeded', { actor: user.login, ip: ctx.ip });
    ctx.status = 303;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(returnTo ?? '/login');
  };

  const signOut: AppMiddleware<SessionState> = async function signOut(ctx) {
    // Without a session (e.g. a cross-site POST, which SameSite=Lax sends without the cookie)
    // nothing is cleared: a forged form must not sign anyone out.
    if (ctx.state.session) {
      checkSessionCsrf(ctx, formOf(ctx));
      await sessions.destroy(ctx.state.session.cookieValue);
      audit.record('logout', { actor: ctx.state.session.user.login, ip: ctx.ip });
      cookies.write(ctx, 'session', undefined);
    }
    ctx.status = 303;
    ctx.redirect('/login');
  };

  const session = loadSession(deps);
  return {
    showSignIn: [renderPageErrors, session, showSignIn],
    signIn: [renderPageErrors, readForm, signIn],
    signOut: [renderPageErrors, session, readForm, signOut],
  };
}
