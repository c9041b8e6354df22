import type { AppContext } from '../http/state';
import { loginPage } from '../pages/login.page';
import { sendPage } from '../pages/page-response';
import { issueLoginCsrf } from './login-csrf';
import type { SessionCookies } from './session-cookies';

export interface LoginFormModel {
  status?: number;
  /** Where to go once signed in (already checked by `safeReturnTo`). */
  returnTo: string | undefined;
  /** The application the user signs in for, if any. */
  clientName?: string | undefined;
  login?: string;
  error?: string;
  /** Where the form's post may lead on to (CSP `form-action`), besides this server. */
  formTargets?: readonly string[];
}

/** Renders the sign-in form, with a fresh anti-CSRF pair. */
export function showLoginForm(ctx: AppContext, cookies: SessionCookies, model: LoginFormModel): void {
  const csrfToken = issueLoginCsrf(ctx, cookies);
  const { formTargets, ...page } = model;
  sendPage(ctx, model.status ?? 200, loginPage({ csrfToken, ...page }), formTargets);
}
