import { html, type SafeHtml } from '../pages/html';

/** The problems of a submitted form, by field name, each shown beside its field. */
export type FieldErrors = Readonly<Record<string, string>>;

interface FieldOptions {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string | undefined;
}

function described(name: string, errors: FieldErrors, hint: string | undefined) {
  const ids = [hint ? `${name}-hint` : '', errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  return {
    attributes: html`${ids ? html` aria-describedby="${ids}"` : ''}${errors[name] ? html` aria-invalid="true"` : ''}`,
    after: html`${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}${
      errors[name] ? html`<p class="field-error" id="${name}-error">${errors[name]}</p>` : ''
    }`,
  };
}

/** A labelled text input that keeps what was typed and shows its error beside it. */
export function textField(
  options: FieldOptions & {
    value: string;
    type?: 'text' | 'email' | 'password';
    required?: boolean;
    autocomplete?: string;
  },
): SafeHtml {
  const { name, label, errors, hint, value, type = 'text', required = false, autocomplete } = options;
  const { attributes, after } = described(name, errors, hint);
  return html`<div class="field">
  <label for="${name}">${label}</label>
  <input type="${type}" id="${name}" name="${name}" value="${type === 'password' ? '' : value}"${required ? html` required` : ''}${
    autocomplete ? html` autocomplete="${autocomplete}"` : ''
  }${attributes}>
  ${after}
</div>`;
}

export function textareaField(options: FieldOptions & { value: string; rows?: number }): SafeHtml {
  const { name, label, errors, hint, value, rows = 4 } = options;
  const { attributes, after } = described(name, errors, hint);
  return html`<div class="field">
  <label for="${name}">${label}</label>
  <textarea id="${name}" name="${name}" rows="${rows}"${attributes}>${value}</textarea>
  ${after}
</div>`;
}

export function selectField(
  options: FieldOptions & { value: string; choices: readonly { value: string; label: string }[] },
): SafeHtml {
  const { name, label, errors, hint, value, choices } = options;
  const { attributes, after } = described(name, errors, hint);
  return html`<div class="field">
  <label for="${name}">${label}</label>
  <select id="${name}" name="${name}"${attributes}>
    ${choices.map(
      (choice) =>
        html`<option value="${choice.value}"${choice.value === value ? html` selected` : ''}>${choice.label}</option>`,
    )}
  </select>
  ${after}
</div>`;
}

/** A group of checkboxes (or radio buttons) in a fieldset, its error under the legend's group. */
export function choiceGroup(
  options: FieldOptions & {
    type: 'checkbox' | 'radio';
    checked: readonly string[];
    choices: readonly { value: string; label: string }[];
  },
): SafeHtml {
  const { name, label, errors, hint, type, checked, choices } = options;
  const { attributes, after } = described(name, errors, hint);
  return html`<fieldset class="field"${attributes}>
  <legend>${label}</legend>
  ${choices.map(
    (choice, index) =>
      html`<label class="choice"><input type="${type}" name="${name}" id="${name}-${index}" value="${choice.value}"${
        checked.includes(choice.value) ? html` checked` : ''
      }> ${choice.label}</label>`,
  )}
  ${after}
</fieldset>`;
}

/** The super user's own password, asked again before a sensitive change. */
export function passwordConfirmationField(errors: FieldErrors): SafeHtml {
  return textField({
    name: 'passwordConfirmation',
    label: 'Your password',
    value: '',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
    errors,
    hint: 'Confirm this change with your own password.',
  });
}

/** The hidden anti-CSRF field every admin form carries. */
export function csrfField(csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="csrf_token" value="${csrfToken}">`;
}
