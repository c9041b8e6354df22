import { appPath } from '../http/base-path';
import type { AppContext } from '../http/state';
import type { SafeHtml } from '../pages/html';
import { sendPage } from '../pages/page-response';
import { adminOf } from './admin-guard';
import { type AdminSection, adminPage } from './admin-layout';
import type { AdminState } from './admin-state';

export interface AdminView {
  title: string;
  section: AdminSection;
  body: SafeHtml;
  notice?: string | undefined;
}

/** Sends an admin page, for the signed-in super user, with the headers every page carries. */
export function showAdminPage(
  ctx: AppContext<AdminState>,
  status: number,
  view: AdminView,
  headers: Record<string, string> = {},
): void {
  const { user, csrfToken } = adminOf(ctx);
  sendPage(ctx, status, adminPage({ ...view, login: user.login, csrfToken }));
  ctx.set(headers);
}

/** Post/redirect/get: a form that worked sends the browser to the page showing the result (`/admin/…`). */
export function redirectAfterPost(ctx: AppContext, location: string): void {
  ctx.status = 303;
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(appPath(ctx, location));
}
