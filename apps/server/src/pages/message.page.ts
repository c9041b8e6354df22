import { appHref } from './app-href';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

/** A page that explains an error (or a state) to a person. */
export function messagePage(title: string, message: string, extra?: SafeHtml): string {
  return layout({ title, body: html`<h1>${title}</h1><p>${message}</p>${extra ?? ''}` });
}

/**
 * The sign-in page of a signed-in user: the way to the connected applications, sign-out (of this
 * server only, or of every application too); a super user also finds the way to the admin pages.
 */
export function signedInPage(login: string, csrfToken: string, superuser = false): string {
  const signOutForm = (
    label: string,
    everywhere: boolean,
  ) => html`<form method="post" action="${appHref('/logout')}">
    <input type="hidden" name="csrf_token" value="${csrfToken}">
    ${everywhere ? html`<input type="hidden" name="everywhere" value="1">` : ''}
    <button type="submit"${everywhere ? html` class="danger"` : ''}>${label}</button>
  </form>`;
  const body = html`
<h1>Signed in</h1>
<p>You are signed in to Matomo as <strong>${login}</strong>.</p>
<p><a href="${appHref('/account')}">Connected applications</a>: the applications you have given access to your account.</p>
${superuser ? html`<p><a href="${appHref('/admin/clients')}">Administration</a>: applications, users, websites and the audit log.</p>` : ''}
<div class="actions">
  ${signOutForm('Sign out', false)}
  ${signOutForm('Sign out of all applications', true)}
</div>
<p class="muted">“Sign out of all applications” also ends the access of every application you have authorized: each has to ask you again.</p>`;
  return layout({ title: 'Signed in', body });
}
