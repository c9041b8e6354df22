import { appHref } from './app-href';
import { html } from './html';
import { layout } from './layout';

export interface LoginPageModel {
  csrfToken: string;
  returnTo: string | undefined;
  /** The client the user is signing in for, if any. */
  clientName?: string | undefined;
  login?: string | undefined;
  error?: string | undefined;
}

export function loginPage(model: LoginPageModel): string {
  const body = html`
<h1>Sign in to Matomo</h1>
${model.clientName ? html`<p>to continue to <strong>${model.clientName}</strong></p>` : ''}
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
<form method="post" action="${appHref('/login')}">
  <input type="hidden" name="csrf_token" value="${model.csrfToken}">
  ${model.returnTo ? html`<input type="hidden" name="return_to" value="${model.returnTo}">` : ''}
  <label for="login">Username</label>
  <input type="text" id="login" name="login" autocomplete="username" required autofocus value="${model.login ?? ''}">
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`;
  return layout({ title: 'Sign in', body });
}
