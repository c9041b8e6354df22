import type { UserSummary } from '../accounts/user.service';
import type { Client } from '../clients/client';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { formError } from './form-failure';
import { csrfField, type FieldErrors, passwordConfirmationField } from './form-fields';
import { userPath } from './user-paths';

export interface UserDeleteModel {
  user: UserSummary;
  /** The applications the user owns: they are deleted with the user. */
  ownedClients: readonly Pick<Client, 'clientId' | 'name'>[];
  lastSuperuser: boolean;
  csrfToken: string;
  errors: FieldErrors;
}

/** Asks again before deleting a user, saying everything that goes with them. */
export function userDeletePage(model: UserDeleteModel): SafeHtml {
  const { user, ownedClients, errors } = model;
  const sites = user.access.length;
  if (model.lastSuperuser)
    return html`
<h1>${user.login} cannot be deleted</h1>
${formError(errors)}
<p>${user.login} is the only super user, and the last super user cannot be deleted: make another user a super user first.</p>
<p><a href="${appHref(userPath(user.login))}">Back to ${user.login}</a></p>`;
  return html`
<h1>Delete the user ${user.login}?</h1>
${formError(errors)}
<p>This cannot be undone. Deleting ${user.login}:</p>
<ul>
  <li>signs them out everywhere at once;</li>
  <li>revokes every authorization they gave to applications, with the tokens issued for it;</li>
  <li>${user.superuser ? 'removes their super user access' : `removes their access to ${sites} website${sites === 1 ? '' : 's'}`};</li>
  ${
    ownedClients.length === 0
      ? html`<li>deletes no application: they own none.</li>`
      : html`<li>deletes the ${ownedClients.length === 1 ? 'application' : `${ownedClients.length} applications`} they own, whose tokens stop working:
    <ul>${ownedClients.map((client) => html`<li>${client.name} (<code>${client.clientId}</code>)</li>`)}</ul></li>`
  }
</ul>
<form method="post" action="${appHref(userPath(user.login, 'delete'))}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  ${passwordConfirmationField(errors)}
  <div class="actions"><button type="submit" class="danger">Delete ${user.login}</button><a class="button" href="${appHref(userPath(user.login))}">Cancel</a></div>
</form>`;
}
