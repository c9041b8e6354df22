import { html, type SafeHtml } from './html';
import { layout } from './layout';

/** A page that explains an error (or a state) to a person. */
export function messagePage(title: string, message: string, extra?: SafeHtml): string {
  return layout({ title, body: html`<h1>${title}</h1><p>${message}</p>${extra ?? ''}` });
}

/** The sign-in page of a signed-in user; a super user also finds the way to the admin pages. */
export function signedInPage(login: string, csrfToken: string, superuser = false): string {
  const body = html`
<h1>Signed in</h1>
<p>You are signed in to Matomo as <strong>${login}</strong>.</p>
${superuser ? html`<p><a href="/admin/clients">Administration</a>: applications, users, websites and the audit log.</p>` : ''}
<form method="post" action="/logout">
  <input type="hidden" name="csrf_token" value="${csrfToken}">
  <div class="actions"><button type="submit">Sign out</button></div>
</form>`;
  return layout({ title: 'Signed in', body });
}
