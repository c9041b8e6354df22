import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { layout } from '../pages/layout';
import { identityScopeDescriptions } from '../protocol/identity-scopes';
import { scopeDescriptions } from '../protocol/scopes';
import type { ConnectedApp } from './connected-apps';

export interface AccountPageModel {
  login: string;
  csrfToken: string;
  apps: readonly ConnectedApp[];
  /** A one-line confirmation of what the last form did. */
  notice?: string | undefined;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** A time for people (`29 Nov 2026, 09:30 UTC`), machine-readable in `datetime`. */
function time(ms: number): SafeHtml {
  return html`<time datetime="${new Date(ms).toISOString()}">${dateTime.format(ms)} UTC</time>`;
}

function appRow(app: ConnectedApp, csrfToken: string): SafeHtml {
  return html`<tr>
  <td><strong>${app.name}</strong><br><code class="muted">${app.clientId}</code></td>
  <td><code class="nowrap">${app.scope}</code><br><span class="muted">${scopeDescriptions[app.scope]}</span>${
    app.identityScopes.length === 0
      ? ''
      : html`<br><span class="muted">Also: ${app.identityScopes.map((scope) => identityScopeDescriptions[scope]).join(' ')}</span>`
  }</td>
  <td class="nowrap">${time(app.firstGrantedAt)}</td>
  <td class="nowrap">${time(app.lastUsedAt)}</td>
  <td><div class="row-actions">
    <form method="post" action="${appHref('/account/revoke')}">
      <input type="hidden" name="csrf_token" value="${csrfToken}">
      <input type="hidden" name="client_id" value="${app.clientId}">
      <button type="submit" class="danger" aria-label="Revoke the access of ${app.name}">Revoke</button>
    </form>
  </div></td>
</tr>`;
}

function appTable(apps: readonly ConnectedApp[], csrfToken: string): SafeHtml {
  return html`<div class="table-wrap">
<table class="connected-apps">
  <thead><tr><th scope="col">Application</th><th scope="col">Access</th><th scope="col">First granted</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  ${apps.map((app) => appRow(app, csrfToken))}
  </tbody>
</table>
</div>`;
}

/** `/account`: the applications the signed-in user has authorized, each with "Revoke". */
export function accountPage(model: AccountPageModel): string {
  const body = html`
<div class="head">
  <h1>Connected applications</h1>
  <form method="post" action="${appHref('/logout')}">
    <input type="hidden" name="csrf_token" value="${model.csrfToken}">
    <button type="submit">Sign out</button>
  </form>
</div>
<p class="muted">Signed in as <strong>${model.login}</strong>. These applications can use your Matomo account through the API. Revoking one ends its access at once; it has to ask for your consent again.</p>
${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${
  model.apps.length === 0
    ? html`<p class="empty">No application has access to your account.</p>`
    : appTable(model.apps, model.csrfToken)
}
<p class="muted">To sign out and end the access of every application at once, use “Sign out of all applications” on the <a href="${appHref('/login')}">sign-out page</a>.</p>`;
  return layout({ title: 'Connected applications', body, wide: true });
}
