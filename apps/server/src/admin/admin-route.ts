import { readForm } from '../http/form-body';
import type { AppMiddleware } from '../http/state';
import { renderPageErrors } from '../pages/page-response';
import { loadSession, type SessionDeps } from '../sessions/session.middleware';
import { checkAdminCsrf, requireSuperuser } from './admin-guard';
import type { AdminState } from './admin-state';

/** One admin page or form action. */
export interface AdminRoute {
  method: 'GET' | 'POST';
  /** A @koa/router path under /admin (`/admin/clients/:clientId`). */
  path: string;
  handler: AppMiddleware<AdminState>;
}

/** A route's middleware: error pages, the session, super users only; a POST also reads its form and checks its anti-CSRF token. */
export function adminChain(session: SessionDeps, route: AdminRoute): AppMiddleware<AdminState>[] {
  const common: AppMiddleware<AdminState>[] = [renderPageErrors, loadSession(session), requireSuperuser];
  return route.method === 'POST'
    ? [...common, readForm, checkAdminCsrf, route.handler]
    : [...common, route.handler];
}
