import type { Client } from '../clients/client';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { identityScopeDescriptions, identityScopes } from '../protocol/identity-scopes';
import { scopeDescriptions, scopes } from '../protocol/scopes';
import type { ClientFormValues } from './client-form';
import { FORM, formError } from './form-failure';
import {
  choiceGroup,
  csrfField,
  type FieldErrors,
  passwordConfirmationField,
  selectField,
  textareaField,
  textField,
} from './form-fields';

const typeChoices = [
  { value: 'confidential', label: 'Confidential: runs on a server and keeps a secret' },
  { value: 'public', label: 'Public: runs in a browser or on a device; no secret, uses PKCE' },
];

const grantChoices = [
  { value: 'authorization_code', label: 'authorization_code: people sign in and grant access' },
  { value: 'refresh_token', label: 'refresh_token: renews their tokens without signing in again' },
  {
    value: 'client_credentials',
    label: 'client_credentials: the application acts as its owner, no one signs in',
  },
];

const scopeChoices = scopes.map((scope) => ({
  value: scope,
  label: `${scope}: ${scopeDescriptions[scope]}`,
}));

const identityScopeChoices = identityScopes.map((scope) => ({
  value: scope,
  label: `${scope}: ${identityScopeDescriptions[scope]}`,
}));

export interface ClientFormModel {
  /** Where the form posts. */
  action: string;
  csrfToken: string;
  values: ClientFormValues;
  errors: FieldErrors;
  /** The client being edited; unset on creation. */
  client?: Client | undefined;
  submitLabel: string;
}

function typeHint(client: Client | undefined): string {
  if (!client) return 'A confidential application gets a secret, shown once after saving.';
  return client.type === 'confidential'
    ? 'Changing to public removes its secret and ends its tokens and its users’ sign-ins.'
    : 'Changing to confidential generates a secret, shown once after saving.';
}

/**
 * The settings of an application, as the create and edit pages show them. The browser's own
 * checks are off (`novalidate`): every problem is the server's message, beside its field.
 */
export function clientForm(model: ClientFormModel): SafeHtml {
  const { values, errors } = model;
  return html`
${
  errors[FORM] !== undefined
    ? formError(errors)
    : Object.keys(errors).length > 0
      ? html`<p class="error" role="alert">Nothing was saved: please correct what is marked below.</p>`
      : ''
}
<form method="post" action="${appHref(model.action)}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  ${textField({
    name: 'name',
    label: 'Name',
    value: values.name,
    required: true,
    errors,
    hint: 'Shown to people when they are asked to grant access.',
  })}
  ${choiceGroup({
    name: 'type',
    label: 'Type',
    type: 'radio',
    checked: [values.type],
    choices: typeChoices,
    errors,
    hint: typeHint(model.client),
  })}
  ${choiceGroup({
    name: 'grantTypes',
    label: 'Grant types',
    type: 'checkbox',
    checked: values.grantTypes,
    choices: grantChoices,
    errors,
    hint: 'A public application cannot use client_credentials.',
  })}
  ${selectField({
    name: 'scope',
    label: 'Scope',
    value: values.scope,
    choices: scopeChoices,
    errors,
    hint: 'The most a token of this application can carry; people grant at most their own access.',
  })}
  ${choiceGroup({
    name: 'identityScopes',
    label: 'OpenID Connect scopes',
    type: 'checkbox',
    checked: values.identityScopes,
    choices: identityScopeChoices,
    errors,
    hint: 'Optional: what the application may learn about the people who sign in to it, as they are told on the consent page. profile and email need openid.',
  })}
  ${textareaField({
    name: 'redirectUris',
    label: 'Redirect URIs',
    value: values.redirectUris,
    rows: 3,
    errors,
    hint: 'One per line, required with authorization_code: an absolute https URL, or http on 127.0.0.1, [::1] or localhost; no wildcards, fragments, user info or spaces.',
  })}
  ${textareaField({
    name: 'postLogoutRedirectUris',
    label: 'Post-logout redirect URIs',
    value: values.postLogoutRedirectUris,
    rows: 2,
    errors,
    hint: 'Optional, one per line: where the application may send people back after signing them out of this server. The same rules and matching as redirect URIs.',
  })}
  ${textareaField({
    name: 'description',
    label: 'Description',
    value: values.description,
    rows: 2,
    errors,
    hint: 'Optional, for administrators.',
  })}
  ${passwordConfirmationField(errors)}
  <div class="actions">
    <button type="submit" class="primary">${model.submitLabel}</button>
    <a class="button" href="${appHref('/admin/clients')}">Cancel</a>
  </div>
</form>`;
}

export function newClientBody(model: ClientFormModel): SafeHtml {
  return html`<h1>New application</h1>
${clientForm(model)}`;
}
