import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { MIN_PASSWORD_LENGTH } from '../users/password-policy';
import { formError } from './form-failure';
import {
  choiceGroup,
  csrfField,
  type FieldErrors,
  passwordConfirmationField,
  textField,
} from './form-fields';

/** What was typed in the new user form (never the passwords). */
export interface NewUserValues {
  login: string;
  email: string;
  superuser: boolean;
}

export const newPasswordHint = `At least ${MIN_PASSWORD_LENGTH} characters, and not one of the most common passwords.`;

/** The new user form: login, e-mail, first password, super user or not, and the operator's password. */
export function newUserPage(model: {
  csrfToken: string;
  values: NewUserValues;
  errors: FieldErrors;
}): SafeHtml {
  const { values, errors } = model;
  return html`
<div class="head"><h1>New user</h1></div>
${formError(errors)}
<form method="post" action="${appHref('/admin/users')}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  ${textField({
    name: 'login',
    label: 'Login',
    value: values.login,
    required: true,
    autocomplete: 'off',
    errors,
    hint: '2 to 100 characters: letters, digits, or _ - . @ +',
  })}
  ${textField({ name: 'email', label: 'E-mail', type: 'email', value: values.email, required: true, autocomplete: 'off', errors })}
  ${textField({
    name: 'password',
    label: 'Password',
    type: 'password',
    value: '',
    required: true,
    autocomplete: 'new-password',
    errors,
    hint: newPasswordHint,
  })}
  ${choiceGroup({
    name: 'superuser',
    label: 'Access',
    type: 'checkbox',
    checked: values.superuser ? ['1'] : [],
    choices: [{ value: '1', label: 'Super user: every access to every website, and these admin pages' }],
    errors,
    hint: 'Otherwise the user has access to no website until you give it on their page.',
  })}
  ${passwordConfirmationField(errors)}
  <div class="actions"><button type="submit" class="primary">Create user</button><a class="button" href="${appHref('/admin/users')}">Cancel</a></div>
</form>`;
}
