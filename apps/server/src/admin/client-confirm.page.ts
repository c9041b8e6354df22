import type { Client } from '../clients/client';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { clientPath } from './client-display';
import { formError } from './form-failure';
import { csrfField, type FieldErrors, passwordConfirmationField } from './form-fields';

/** The actions on a client that take an explicit confirmation on a page of their own. */
export type ClientAction = 'rotate-secret' | 'pause' | 'resume' | 'delete';

interface Confirmation {
  question: string;
  consequences: string;
  button: string;
  danger: boolean;
  /** Whether the super user's password is asked again (the plugin asks none for pause and resume). */
  password: boolean;
}

const confirmations: Record<ClientAction, (client: Client) => Confirmation> = {
  'rotate-secret': ({ name }) => ({
    question: `Rotate the secret of ${name}?`,
    consequences:
      'A new secret is generated and shown once. The current secret stops working at once, and so do the tokens the application obtained with it as itself; people stay signed in, and the application needs the new secret to renew their tokens.',
    button: 'Rotate secret',
    danger: false,
    password: true,
  }),
  pause: ({ name }) => ({
    question: `Pause ${name}?`,
    consequences:
      'Its tokens stop working at once; users must sign in again after resuming. While paused it gets no tokens.',
    button: `Pause ${name}`,
    danger: true,
    password: false,
  }),
  resume: ({ name }) => ({
    question: `Resume ${name}?`,
    consequences:
      'It can get tokens again. The tokens that pausing ended stay ended: people sign in to it again.',
    button: `Resume ${name}`,
    danger: false,
    password: false,
  }),
  delete: ({ name }) => ({
    question: `Delete ${name}?`,
    consequences:
      'The application, its tokens and its users’ sign-ins are deleted at once. This cannot be undone.',
    button: `Delete ${name}`,
    danger: true,
    password: true,
  }),
};

export function confirmationOf(action: ClientAction, client: Client): Confirmation {
  return confirmations[action](client);
}

export interface ConfirmationModel {
  action: ClientAction;
  client: Client;
  csrfToken: string;
  errors: FieldErrors;
}

/** "Are you sure?", with what follows, and the super user's password where it is asked. */
export function confirmationBody({ action, client, csrfToken, errors }: ConfirmationModel): SafeHtml {
  const confirmation = confirmationOf(action, client);
  return html`<h1>${confirmation.question}</h1>
<p>${confirmation.consequences}</p>
${formError(errors)}
<form method="post" action="${appHref(clientPath(client.clientId, action))}" class="narrow" novalidate>
  ${csrfField(csrfToken)}
  ${confirmation.password ? passwordConfirmationField(errors) : ''}
  <div class="actions">
    <button type="submit" class="${confirmation.danger ? 'danger' : 'primary'}">${confirmation.button}</button>
    <a class="button" href="${appHref(clientPath(client.clientId))}">Cancel</a>
  </div>
</form>`;
}
