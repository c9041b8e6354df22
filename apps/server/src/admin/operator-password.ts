import { ValidationError } from '../errors/domain-error';
import { formOf } from '../http/form-body';
import type { Params } from '../http/params';
import type { AppContext } from '../http/state';
import type { ConfirmPassword } from '../users/password-confirmation';
import { adminOf } from './admin-guard';
import type { AdminState } from './admin-state';
import type { FieldErrors } from './form-fields';

const missing = 'Please type your password to confirm this change.';

/**
 * A form sent without the operator's password, as a problem beside the field: found without a
 * password attempt, so that a form can report it with its other problems before checking any.
 */
export function passwordMissing(form: Params): FieldErrors {
  return form.has('passwordConfirmation') ? {} : { passwordConfirmation: missing };
}

/**
 * Confirms a change with the operator's own password, sent as `passwordConfirmation`, under the
 * sign-in limits; throws the domain error a form shows beside the field. An empty field is
 * refused before it is checked: it costs no attempt.
 */
export function createOperatorConfirmation(confirmPassword: ConfirmPassword) {
  return async function confirmOperatorPassword(ctx: AppContext<AdminState>): Promise<void> {
    const password = formOf(ctx).get('passwordConfirmation');
    if (password === undefined) throw new ValidationError(missing, 'passwordConfirmation');
    await confirmPassword(adminOf(ctx).user.login, password, ctx.ip);
  };
}
