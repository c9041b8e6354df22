import { PageError } from '../errors/page-error';
import { appPath } from '../http/base-path';
import { formOf, queryParams, readForm } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { renderPageErrors, sendPage } from '../pages/page-response';
import { checkSessionCsrf, loadSession, type SessionDeps } from '../sessions/session.middleware';
import type { SessionState } from '../sessions/session-state';
import { accountPage } from './account.page';
import type { ConnectedApps } from './connected-apps';

export interface AccountDeps {
  session: SessionDeps;
  connectedApps: ConnectedApps;
}

/**
 * A signed-out visitor goes to the sign-in page and comes back (GET only: a POST without a
 * session, such as a cross-site one, is refused and changes nothing).
 */
const requireSignedIn: AppMiddleware<SessionState> = async function requireSignedIn(ctx, next) {
  if (ctx.state.session) return next();
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD')
    throw new PageError(401, 'Please sign in', 'Your session has ended. Sign in again and retry.');
  ctx.status = 303;
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(appPath(ctx, `/login?return_to=${encodeURIComponent('/account')}`));
};

function signedIn(ctx: AppContext<SessionState>) {
  const session = ctx.state.session;
  if (!session) throw new Error('requireSignedIn must run before an account handler');
  return session;
}

/** `GET /account` (the connected applications) and `POST /account/revoke` (one of them). */
export function accountRoutes({ session, connectedApps }: AccountDeps) {
  const showAccount: AppMiddleware<SessionState> = async function showAccount(ctx) {
    const { user, data } = signedIn(ctx);
    const revoked = queryParams(ctx).get('revoked') === '1';
    sendPage(
      ctx,
      200,
      accountPage({
        login: user.login,
        csrfToken: data.csrfToken,
        apps: await connectedApps.list(user.login),
        notice: revoked ? 'Access revoked: the application can no longer use your account.' : undefined,
      }),
    );
  };

  const revokeApp: AppMiddleware<SessionState> = async function revokeApp(ctx) {
    const { user } = signedIn(ctx);
    const form = formOf(ctx);
    checkSessionCsrf(ctx, form);
    const clientId = form.get('client_id');
    if (!clientId || form.isRepeated('client_id'))
      throw new PageError(400, 'Which application?', 'The form did not say which application to revoke.');
    // Only this user's grants are revoked: another user's client id revokes nothing.
    const revoked = await connectedApps.revoke({ login: user.login, ip: ctx.ip }, clientId);
    ctx.status = 303;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(appPath(ctx, revoked ? '/account?revoked=1' : '/account'));
  };

  const load = loadSession(session);
  return {
    show: [renderPageErrors, load, requireSignedIn, showAccount],
    revoke: [renderPageErrors, load, requireSignedIn, readForm, revokeApp],
  };
}
