import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../config/clock';
import { appPath } from '../http/base-path';
import { formOf, queryParams, readForm } from '../http/form-body';
import type { AppMiddleware } from '../http/state';
import { signedInPage } from '../pages/message.page';
import { renderPageErrors, sendPage } from '../pages/page-response';
import * as grants from '../tokens/grant.repository';
import type { PasswordCheck } from '../users/password-check';
import { verifyLoginCsrf } from './login-csrf';
import { showLoginForm } from './login-form';
import { safeReturnTo } from './return-to';
import { checkSessionCsrf, csrfFailure, loadSession, type SessionDeps } from './session.middleware';
import type { SessionState } from './session-state';
import { signInFormTargets } from './sign-in-form-targets';

export interface SignInDeps extends SessionDeps {
  clock: Clock;
  audit: AuditLog;
  /** The password check under the sign-in limits. */
  checkPassword: PasswordCheck;
  /** Session lifetime, seconds. */
  sessionTtl: number;
}

/**
 * The sign-in page (`GET|POST /login`) and sign-out (`POST /logout`, with `everywhere=1` also out
 * of every application the user has authorized).
 */
export function signInRoutes(deps: SignInDeps) {
  const { db, clock, sessions, cookies, audit, checkPassword } = deps;

  const showSignIn: AppMiddleware<SessionState> = async function showSignIn(ctx) {
    const session = ctx.state.session;
    if (session) {
      sendPage(
        ctx,
        200,
        signedInPage(session.user.login, session.data.csrfToken, session.user.superuser === 1),
      );
      return;
    }
    const returnTo = safeReturnTo(queryParams(ctx).get('return_to'));
    showLoginForm(ctx, cookies, { returnTo, formTargets: await signInFormTargets(db, returnTo) });
  };

  const signIn: AppMiddleware<SessionState> = async function signIn(ctx) {
    const form = formOf(ctx);
    const returnTo = safeReturnTo(form.get('return_to'));
    if (!verifyLoginCsrf(ctx, cookies, form.get('csrf_token'))) throw csrfFailure();
    const login = (form.get('login') ?? '').trim().slice(0, 100);
    const password = form.get('password') ?? '';

    const formTargets = await signInFormTargets(db, returnTo);
    const refuse = (wait: number, error: string) => {
      showLoginForm(ctx, cookies, { status: 429, returnTo, login, error, formTargets });
      ctx.set('Retry-After', String(wait));
    };
    const result = await checkPassword(login, password, ctx.ip);
    if (result.outcome === 'limited') {
      if (result.firstRefusal) audit.record('login.rate_limited', { actor: login, ip: ctx.ip });
      refuse(
        result.retryAfter,
        `Too many failed sign-ins. Try again in ${Math.ceil(result.retryAfter / 60)} minute(s).`,
      );
      return;
    }
    if (result.outcome === 'busy') {
      refuse(1, 'The server is busy. Try again in a moment.');
      return;
    }
    if (result.outcome === 'invalid') {
      // What was typed as a login is kept only when it is one: a password typed into the wrong
      // field must not end up in the audit log.
      audit.record(
        'login.failed',
        result.knownLogin ? { actor: login, ip: ctx.ip } : { ip: ctx.ip, detail: { unknown_login: true } },
      );
      showLoginForm(ctx, cookies, {
        status: 401,
        returnTo,
        login,
        error: 'Wrong username or password.',
        formTargets,
      });
      return;
    }
    const { user } = result;
    await sessions.destroy(cookies.read(ctx, 'session'));
    const { cookieValue } = await sessions.create(user.login);
    cookies.write(ctx, 'session', cookieValue, deps.sessionTtl);
    cookies.write(ctx, 'loginCsrf', undefined);
    audit.record('login.succeeded', { actor: user.login, ip: ctx.ip });
    ctx.status = 303;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(appPath(ctx, returnTo ?? '/login'));
  };

  const signOut: AppMiddleware<SessionState> = async function signOut(ctx) {
    // Without a session (e.g. a cross-site POST, which SameSite=Lax sends without the cookie)
    // nothing is cleared: a forged form must not sign anyone out.
    if (ctx.state.session) {
      const form = formOf(ctx);
      checkSessionCsrf(ctx, form);
      const { login } = ctx.state.session.user;
      await sessions.destroy(ctx.state.session.cookieValue);
      audit.record('logout', { actor: login, ip: ctx.ip });
      cookies.write(ctx, 'session', undefined);
      // "Sign out of all applications": every grant of the user ends, with its tokens.
      if (form.get('everywhere') === '1') {
        await grants.revokeAllOfUser(db, login, clock());
        audit.record('grant.revoked', { actor: login, ip: ctx.ip, detail: { all: true } });
      }
    }
    ctx.status = 303;
    ctx.redirect(appPath(ctx, '/login'));
  };

  const session = loadSession(deps);
  return {
    showSignIn: [renderPageErrors, session, showSignIn],
    signIn: [renderPageErrors, readForm, signIn],
    signOut: [renderPageErrors, session, readForm, signOut],
  };
}
