import type { AuditLog } from '../audit/audit-log';
import { TooManyAttemptsError, ValidationError } from '../errors/domain-error';
import type { PasswordCheck } from './password-check';

/** Confirms that the signed-in user typed their own password; throws a domain error otherwise. */
export type ConfirmPassword = (login: string, password: string, ip: string) => Promise<void>;

/**
 * A sensitive change (creating a client, rotating its secret, deleting it, managing users) needs
 * the user's password again (as the plugin asks since 5.1.0). Failures count in the sign-in
 * limits, with the same refusals.
 */
export function createPasswordConfirmation({
  checkPassword,
  audit,
}: {
  checkPassword: PasswordCheck;
  audit: AuditLog;
}): ConfirmPassword {
  return async function confirmPassword(login, password, ip) {
    const result = await checkPassword(login, password, ip);
    switch (result.outcome) {
      case 'valid':
        return;
      case 'limited':
        if (result.firstRefusal) audit.record('login.rate_limited', { actor: login, ip });
        throw new TooManyAttemptsError(
          `Too many wrong passwords. Try again in ${Math.ceil(result.retryAfter / 60)} minute(s).`,
          result.retryAfter,
        );
      case 'busy':
        throw new TooManyAttemptsError('The server is busy; try again in a moment.', 1);
      case 'invalid':
        audit.record('password_confirmation.failed', { actor: login, ip });
        throw new ValidationError('The current password you entered is not correct.', 'passwordConfirmation');
    }
  };
}
