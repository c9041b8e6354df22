import { DomainError, TooManyAttemptsError } from '../errors/domain-error';
import { MatomoApiError } from '../errors/matomo-api-error';
import type { ConfirmPassword } from '../users/password-confirmation';
import type { MethodContext } from './method-registry';

export type ConfirmCallerPassword = (context: MethodContext) => Promise<void>;

/**
 * The `OAuth2.*` methods' password confirmation: `passwordConfirmation` from the POST body only,
 * checked by the shared confirmation (the sign-in limits), answered as Matomo errors.
 */
export function confirmCallerPassword(confirmPassword: ConfirmPassword): ConfirmCallerPassword {
  return async function confirmCaller({ caller, postBody, ip }) {
    const password = postBody?.get('passwordConfirmation');
    if (password === undefined) {
      throw new MatomoApiError("Please confirm your password: send 'passwordConfirmation' in the POST body.");
    }
    try {
      await confirmPassword(caller.login, password, ip);
    } catch (error) {
      if (error instanceof TooManyAttemptsError)
        throw new MatomoApiError(error.message, 429, { 'Retry-After': String(error.retryAfter) });
      if (error instanceof DomainError) throw new MatomoApiError(error.message);
      throw error;
    }
  };
}
