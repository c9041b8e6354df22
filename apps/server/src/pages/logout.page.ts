import { appHref } from './app-href';
import { html } from './html';
import { layout } from './layout';

export interface LogoutConfirmPageModel {
  login: string;
  /** The application that asked, when it is known. */
  clientName: string | undefined;
  csrfToken: string;
  /** The request's parameters, posted back with the answer. */
  carried: Readonly<Record<string, string | undefined>>;
  /** The application asked to be returned to an address it has not registered: it will not be. */
  returnRefused: boolean;
}

const refusedNote = html`<p class="muted">The application asked to send you back to an address it has not registered, so you will stay on this server.</p>`;

/**
 * Asks before ending the session: the sign-out request could not be shown to come from an
 * application the user signed in to (no valid `id_token_hint`), and a forged link must not
 * sign anyone out.
 */
export function logoutConfirmPage(model: LogoutConfirmPageModel): string {
  const hidden = Object.entries(model.carried)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const body = html`
<h1>Sign out of Matomo?</h1>
<p>${model.clientName === undefined ? 'An application' : html`<strong>${model.clientName}</strong>`} asks to sign you out. You are signed in as <strong>${model.login}</strong>.</p>
${model.returnRefused ? refusedNote : ''}
<form method="post" action="${appHref('/oauth2/logout')}">
  <input type="hidden" name="csrf_token" value="${model.csrfToken}">
  ${hidden}
  <p><label><input type="checkbox" name="everywhere" value="1"> Also sign out of all applications (each will have to ask you again)</label></p>
  <div class="actions">
    <button type="submit" name="confirm" value="yes" class="primary">Sign out</button>
    <button type="submit" name="confirm" value="no">Stay signed in</button>
  </div>
</form>`;
  return layout({ title: 'Sign out of Matomo?', body });
}

/** After an end-session request that has nowhere registered to return to. */
export function signedOutPage(signedOut: boolean, returnRefused: boolean): string {
  const body = html`
<h1>${signedOut ? 'You are signed out' : 'You are still signed in'}</h1>
<p>${signedOut ? 'Your Matomo session has ended.' : 'Nothing has changed.'} You can close this page or <a href="${appHref('/login')}">sign in</a> again.</p>
${returnRefused ? refusedNote : ''}`;
  return layout({ title: signedOut ? 'Signed out' : 'Still signed in', body });
}
