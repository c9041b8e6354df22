import { PageError } from '../errors/page-error';
import { appPath } from '../http/base-path';
import { formOf } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { checkSessionCsrf } from '../sessions/session.middleware';
import type { AdminState } from './admin-state';

/**
 * Admin pages are for super users: a signed-out visitor goes to the sign-in page and comes back
 * (GET only: a POST without a session is refused, never replayed), anyone else gets 403.
 */
export const requireSuperuser: AppMiddleware<AdminState> = async function requireSuperuser(ctx, next) {
  const session = ctx.state.session;
  if (!session) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD')
      throw new PageError(401, 'Please sign in', 'Your session has ended. Sign in again and retry.');
    ctx.status = 303;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(appPath(ctx, `/login?return_to=${encodeURIComponent(ctx.path + ctx.search)}`));
    return;
  }
  if (session.user.superuser !== 1)
    throw new PageError(403, 'Super users only', 'These pages are for super users of this server.');
  ctx.state.admin = { user: session.user, csrfToken: session.data.csrfToken };
  await next();
};

/** Every admin form carries the session's anti-CSRF token; a form without it changes nothing. */
export const checkAdminCsrf: AppMiddleware<AdminState> = async function checkAdminCsrf(ctx, next) {
  checkSessionCsrf(ctx, formOf(ctx));
  await next();
};

/** The signed-in super user (set by `requireSuperuser`). */
export function adminOf(ctx: AppContext<AdminState>): NonNullable<AdminState['admin']> {
  const admin = ctx.state.admin;
  if (!admin) throw new Error('requireSuperuser must run before an admin handler');
  return admin;
}
