import { BusyError } from '../crypto/concurrency-gate';
import { decoyPasswordHash, verifyPassword } from '../crypto/password';
import { constantTimeEqual } from '../crypto/random';
import { PageError } from '../errors/page-error';
import { queryParams, readForm } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppContext, AppMiddleware } from '../http/state';
import { loginPage } from '../pages/login.page';
import { signedInPage } from '../pages/message.page';
import { renderPageErrors, sendPage } from '../pages/page-response';
import { addressKey, attemptAll, type RateLimiter } from '../rate-limit/rate-limiter';
import type { Services } from '../services';
import { safeReturnTo } from './return-to';
import { sessionCookies } from './session-cookies';

const csrfFailure = () =>
  new PageError(
    403,
    'This form has expired',
    'The form was not sent from this site or is too old. Go back, reload the page and try again.',
  );

/** Loads the signed-in user (if any) from the session cookie. */
export function loadSession(services: Services): AppMiddleware {
  const cookies = sessionCookies(services.settings.issuer);
  return async function loadSession(ctx, next) {
    const cookieValue = cookies.read(ctx, 'session');
    const data = await services.sessions.find(cookieValue);
    const user = data && (await services.users.find(data.login));
    if (cookieValue && data && user) ctx.state.session = { cookieValue, data, user };
    await next();
  };
}

/** Renders the sign-in form, with a fresh anti-CSRF pair. */
export function showLoginForm(
  services: Services,
  ctx: AppContext,
  model: {
    status?: number;
    returnTo: string | undefined;
    clientName?: string | undefined;
    login?: string;
    error?: string;
  },
): void {
  const cookies = sessionCookies(services.settings.issuer);
  const { cookieValue, token } = services.loginCsrf.issue();
  cookies.write(ctx, 'loginCsrf', cookieValue, 3600);
  sendPage(ctx, model.status ?? 200, loginPage({ csrfToken: token, ...model }));
}

/** Checks a signed-in form's anti-CSRF token against the session's. */
export function checkSessionCsrf(ctx: AppContext, form: Params): void {
  const expected = ctx.state.session?.data.csrfToken;
  const sent = form.get('csrf_token');
  if (!expected || !sent || form.isRepeated('csrf_token') || !constantTimeEqual(expected, sent))
    throw csrfFailure();
}

export function signInRoutes(services: Services) {
  const cookies = sessionCookies(services.settings.issuer);
  const { limits, audit } = services;

  const showSignIn: AppMiddleware = async function showSignIn(ctx) {
    const session = ctx.state.session;
    if (session) {
      sendPage(ctx, 200, signedInPage(session.user.login, session.data.csrfToken));
      return;
    }
    showLoginForm(services, ctx, { returnTo: safeReturnTo(queryParams(ctx).get('return_to')) });
  };

  const signIn: AppMiddleware = async function signIn(ctx) {
    const form = ctx.state.form as Params;
    const returnTo = safeReturnTo(form.get('return_to'));
    if (!services.loginCsrf.verify(cookies.read(ctx, 'loginCsrf'), form.get('csrf_token')))
      throw csrfFailure();
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
      showLoginForm(services, ctx, { status: 429, returnTo, login, error });
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
    const user = login === '' ? undefined : await services.users.find(login);
    try {
      // An unknown login costs the same scrypt time as a wrong password: no user enumeration.
      valid =
        password.length <= 1024 &&
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
      showLoginForm(services, ctx, { status: 401, returnTo, login, error: 'Wrong username or password.' });
      return;
    }

    for (const [limiter, key] of reservations) limiter.succeed(key);
    limits.loginPerUser.reset(`${account}|${address}`);
    await services.sessions.destroy(cookies.read(ctx, 'session'));
    const { cookieValue } = await services.sessions.create(user.login);
    cookies.write(ctx, 'session', cookieValue, services.settings.sessionTtl);
    cookies.write(ctx, 'loginCsrf', undefined);
    audit.record('login.succeeded', { actor: user.login, ip: ctx.ip });
    ctx.status = 303;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(returnTo ?? '/login');
  };

  const signOut: AppMiddleware = async function signOut(ctx) {
    const form = ctx.state.form as Params;
    // Without a session (e.g. a cross-site POST, which SameSite=Lax sends without the cookie)
    // nothing is cleared: a forged form must not sign anyone out.
    if (ctx.state.session) {
      checkSessionCsrf(ctx, form);
      await services.sessions.destroy(ctx.state.session.cookieValue);
      audit.record('logout', { actor: ctx.state.session.user.login, ip: ctx.ip });
      cookies.write(ctx, 'session', undefined);
    }
    ctx.status = 303;
    ctx.redirect('/login');
  };

  return {
    showSignIn: [renderPageErrors, loadSession(services), showSignIn],
    signIn: [renderPageErrors, readForm, signIn],
    signOut: [renderPageErrors, loadSession(services), readForm, signOut],
  };
}
