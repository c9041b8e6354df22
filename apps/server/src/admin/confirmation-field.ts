import { html, type SafeHtml } from '../pages/html';
import type { FieldErrors } from './form-fields';

/**
 * The super user's own password, for a page with several forms that each ask for it: the same
 * field as `passwordConfirmationField` (name `passwordConfirmation`), with an id unique to its
 * form so that every label points at its own input.
 */
export function confirmationField(form: string, errors: FieldErrors): SafeHtml {
  const id = `${form}-passwordConfirmation`;
  const error = errors.passwordConfirmation;
  return html`<div class="field">
  <label for="${id}">Your password</label>
  <input type="password" id="${id}" name="passwordConfirmation" value="" required autocomplete="current-password" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"${error ? html` aria-invalid="true"` : ''}>
  <p class="hint" id="${id}-hint">Confirm this change with your own password.</p>
  ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}
</div>`;
}
