import type { SiteAccessChoice, UserSummary } from '../accounts/user.service';
import type { SiteRow } from '../db/schema';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { confirmationField } from './confirmation-field';
import { formError } from './form-failure';
import { csrfField, type FieldErrors, textField } from './form-fields';
import { newPasswordHint } from './user-form.page';
import { userPath } from './user-paths';
import { utcTime } from './utc-time';

export type UserFormName = 'email' | 'access' | 'superuser' | 'password';

/** A form of the user page that was refused: why, and what was sent in it (never a password). */
export interface UserFormFailure {
  form: UserFormName;
  errors: FieldErrors;
  email?: string;
  access?: ReadonlyMap<number, string>;
}

export interface UserPageModel {
  user: UserSummary;
  /** Every website, for the access form. */
  sites: readonly SiteRow[];
  /** The only super user can neither lose super user access nor be deleted. */
  lastSuperuser: boolean;
  csrfToken: string;
  failed?: UserFormFailure | undefined;
}

const accessLabels: Record<SiteAccessChoice, string> = {
  none: 'No access',
  view: 'View',
  write: 'Write',
  admin: 'Admin',
};

function errorsOf(model: UserPageModel, form: UserFormName): FieldErrors {
  return model.failed?.form === form ? model.failed.errors : {};
}

function emailForm(model: UserPageModel): SafeHtml {
  const errors = errorsOf(model, 'email');
  const value = model.failed?.form === 'email' ? (model.failed.email ?? '') : model.user.email;
  return html`<section class="panel" aria-labelledby="email-title">
<h2 id="email-title">E-mail</h2>
${formError(errors)}
<form method="post" action="${appHref(userPath(model.user.login, 'email'))}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  ${textField({ name: 'email', label: 'E-mail address', type: 'email', value, required: true, autocomplete: 'off', errors })}
  <div class="actions"><button type="submit">Save e-mail</button></div>
</form>
</section>`;
}

function accessForm(model: UserPageModel): SafeHtml {
  const { user, sites } = model;
  const errors = errorsOf(model, 'access');
  const current = new Map<number, string>(user.access.map((row) => [row.idsite, row.access]));
  const sent = model.failed?.form === 'access' ? model.failed.access : undefined;
  const body = user.superuser
    ? html`<p>${user.login} is a super user: they have admin access to every website.</p>`
    : sites.length === 0
      ? html`<p>There are no websites yet. <a href="${appHref('/admin/sites/new')}">Add one</a>, then come back to give access to it.</p>`
      : html`${formError(errors)}
<form method="post" action="${appHref(userPath(user.login, 'access'))}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  ${errors.access ? html`<p class="field-error" id="access-error" role="alert">${errors.access}</p>` : ''}
  <div class="table-wrap">
  <table class="access">
    <thead><tr><th scope="col">Website</th><th scope="col">Access</th></tr></thead>
    <tbody>
    ${sites.map((site) => {
      const value = sent?.get(site.idsite) ?? current.get(site.idsite) ?? 'none';
      return html`<tr>
      <td><label for="access-${site.idsite}">${site.name}</label> <span class="muted">#${site.idsite} ${site.main_url}</span></td>
      <td><select id="access-${site.idsite}" name="access_${site.idsite}"${errors.access ? html` aria-describedby="access-error"` : ''}>
        ${(Object.keys(accessLabels) as SiteAccessChoice[]).map(
          (choice) =>
            html`<option value="${choice}"${choice === value ? html` selected` : ''}>${accessLabels[choice]}</option>`,
        )}
      </select></td>
    </tr>`;
    })}
    </tbody>
  </table>
  </div>
  ${confirmationField('access', errors)}
  <div class="actions"><button type="submit" class="primary">Save access</button></div>
</form>`;
  return html`<section class="panel" aria-labelledby="access-title">
<h2 id="access-title">Access to websites</h2>
${body}
</section>`;
}

function superuserForm(model: UserPageModel): SafeHtml {
  const { user, lastSuperuser } = model;
  const errors = errorsOf(model, 'superuser');
  const form = (
    value: '0' | '1',
    button: SafeHtml,
  ) => html`<form method="post" action="${appHref(userPath(user.login, 'superuser'))}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  <input type="hidden" name="superuser" value="${value}">
  ${confirmationField('superuser', errors)}
  <div class="actions">${button}</div>
</form>`;
  let body: SafeHtml;
  if (user.superuser && lastSuperuser)
    body = html`<p>${user.login} is the only super user. The last super user cannot lose super user access: make another user a super user first.</p>`;
  else if (user.superuser)
    body = html`<p>${user.login} is a super user: every access to every website, and these admin pages.</p>
${form('0', html`<button type="submit" class="danger">Remove super user access</button>`)}`;
  else
    body = html`<p>A super user has every access to every website and can manage users, websites and applications here.</p>
${form('1', html`<button type="submit">Make ${user.login} a super user</button>`)}`;
  return html`<section class="panel" aria-labelledby="superuser-title">
<h2 id="superuser-title">Super user</h2>
${errors.superuser ? html`<p class="error" role="alert">${errors.superuser}</p>` : ''}
${formError(errors)}
${body}
</section>`;
}

function passwordForm(model: UserPageModel): SafeHtml {
  const errors = errorsOf(model, 'password');
  return html`<section class="panel" aria-labelledby="password-title">
<h2 id="password-title">Reset the password</h2>
${formError(errors)}
<form method="post" action="${appHref(userPath(model.user.login, 'password'))}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  ${textField({
    name: 'password',
    label: 'New password',
    type: 'password',
    value: '',
    required: true,
    autocomplete: 'new-password',
    errors,
    hint: `${newPasswordHint} The user is signed out everywhere; the applications they authorized keep their access.`,
  })}
  ${confirmationField('password', errors)}
  <div class="actions"><button type="submit">Set the password</button></div>
</form>
</section>`;
}

function deleteSection(model: UserPageModel): SafeHtml {
  const { user, lastSuperuser } = model;
  return html`<section class="panel" aria-labelledby="delete-title">
<h2 id="delete-title">Delete</h2>
${
  lastSuperuser
    ? html`<p>The last super user cannot be deleted.</p>`
    : html`<p>Deleting ${user.login} signs them out, revokes what they authorized and deletes the applications they own.</p>
<div class="actions"><a class="button danger" href="${appHref(userPath(user.login, 'delete'))}">Delete ${user.login}…</a></div>`
}
</section>`;
}

/** One user: e-mail, access per website, super user status, a new password, delete. */
export function userPage(model: UserPageModel): SafeHtml {
  const { user } = model;
  return html`
<div class="head"><h1>User ${user.login}</h1><a href="${appHref('/admin/users')}">All users</a></div>
<p class="muted">${user.superuser ? 'Super user' : 'User'} · created ${utcTime(user.createdAt)}</p>
${emailForm(model)}
${accessForm(model)}
${superuserForm(model)}
${passwordForm(model)}
${deleteSection(model)}`;
}
