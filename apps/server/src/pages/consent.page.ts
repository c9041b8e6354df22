import { type IdentityScope, identityScopeDescriptions } from '../protocol/identity-scopes';
import type { Scope } from '../protocol/scopes';
import { scopeDescriptions } from '../protocol/scopes';
import { appHref } from './app-href';
import { html, type SafeHtml } from './html';
import { layout } from './layout';

export interface ConsentPageModel {
  clientName: string;
  clientId: string;
  /** Where the browser goes next (shown so the user knows). */
  redirectHost: string;
  user: { login: string; email: string };
  /** The scopes the user may grant, least privileged first. */
  offered: readonly Scope[];
  /** The OpenID Connect scopes asked for: granted with whichever scope the user picks. */
  identityScopes: readonly IdentityScope[];
  csrfToken: string;
  /** The form posts back to the authorization request's own URL. */
  action: string;
}

function scopeChoice(scope: Scope, index: number, single: boolean): SafeHtml {
  const id = `scope-${index}`;
  return html`<div class="scope">
  ${
    single
      ? html`<input type="hidden" name="selected_scope" value="${scope}"><span aria-hidden="true">•</span>`
      : html`<input type="radio" id="${id}" name="selected_scope" value="${scope}"${index === 0 ? html` checked` : ''}>`
  }
  <label${single ? '' : html` for="${id}"`}><code>${scope}</code></label>
  <p class="muted">${scopeDescriptions[scope]}</p>
</div>`;
}

export function consentPage(model: ConsentPageModel): string {
  const single = model.offered.length === 1;
  const body = html`
<h1><strong>${model.clientName}</strong> is requesting access to your Matomo account</h1>
<p class="muted">Signed in as <strong>${model.user.login}</strong> (${model.user.email}).</p>
<form method="post" action="${appHref(model.action)}">
  <input type="hidden" name="csrf_token" value="${model.csrfToken}">
  <fieldset>
    <legend>${single ? 'Requested scope' : 'Select the scope to grant'}</legend>
    ${model.offered.map((scope, index) => scopeChoice(scope, index, single))}
  </fieldset>
  ${
    model.identityScopes.length === 0
      ? ''
      : html`<fieldset>
    <legend>The application will also</legend>
    <ul class="identity">
      ${model.identityScopes.map((scope) => html`<li>${identityScopeDescriptions[scope]}</li>`)}
    </ul>
  </fieldset>`
  }
  <p class="muted">Client ID <code>${model.clientId}</code>. After your choice you will be sent to <strong>${model.redirectHost}</strong>.</p>
  <p class="muted">You can revoke this access at any time on your <a href="${appHref('/account')}">account page</a>.</p>
  <div class="actions">
    <button type="submit" name="decision" value="allow" class="primary">Allow</button>
    <button type="submit" name="decision" value="deny">Deny</button>
  </div>
</form>
<form method="post" action="${appHref('/logout')}">
  <input type="hidden" name="csrf_token" value="${model.csrfToken}">
  <p class="muted">Not you? <button type="submit" class="link">Sign out</button></p>
</form>`;
  return layout({ title: `Authorize ${model.clientName}`, body });
}

export interface NoGrantableScopePageModel {
  clientName: string;
  user: { login: string };
  requested: readonly Scope[];
  csrfToken: string;
  action: string;
}

/** The user holds none of the scopes the client asks for: say so, and offer to go back. */
export function noGrantableScopePage(model: NoGrantableScopePageModel): string {
  const body = html`
<h1>${model.clientName} needs access you do not have</h1>
<p>Your Matomo user <strong>${model.user.login}</strong> does not have the access level required for any of the requested scopes (${model.requested.join(', ')}). Sign in with a user that has the required access, or ask an administrator to grant it to you.</p>
<div class="actions">
  <form method="post" action="${appHref(model.action)}">
    <input type="hidden" name="csrf_token" value="${model.csrfToken}">
    <button type="submit" name="decision" value="deny">Back to ${model.clientName}</button>
  </form>
  <form method="post" action="${appHref('/logout')}">
    <input type="hidden" name="csrf_token" value="${model.csrfToken}">
    <button type="submit">Sign out</button>
  </form>
</div>`;
  return layout({ title: 'Access needed', body });
}
