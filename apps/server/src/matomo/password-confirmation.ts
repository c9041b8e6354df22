import { BusyError } from '../crypto/concurrency-gate';
import { verifyPassword } from '../crypto/password';
import type { Db } from '../db/database';
import { MatomoApiError } from '../errors/matomo-api-error';
import { MAX_PASSWORD_LENGTH } from '../protocol/limits';
import { addressKey, type RateLimiter } from '../rate-limit/rate-limiter';
import * as users from '../users/user.repository';
import type { MethodContext } from './method-registry';

export type ConfirmPassword = (context: MethodContext) => Promise<void>;

/**
 * A sensitive change needs the signed-in user's password (as the plugin asks since 5.1.0), read
 * from the POST body only. Failures count against the login, like sign-in failures.
 */
export function createPasswordConfirmation({
  db,
  limiter,
}: {
  db: Db;
  limiter: RateLimiter;
}): ConfirmPassword {
  return async function confirmPassword({ caller, postBody, ip }) {
    const password = postBody?.get('passwordConfirmation');
    if (password === undefined) {
      throw new MatomoApiError("Please confirm your password: send 'passwordConfirmation' in the POST body.");
    }
    const key = `${caller.login.toLowerCase()}|${addressKey(ip)}`;
    // Reserved before the check, so that concurrent guesses cannot all pass it.
    if (limiter.attempt(key) > 0)
      throw new MatomoApiError('Too many wrong password confirmations; try again later.', 429);
    const user = await users.find(db, caller.login);
    let valid = false;
    try {
      valid =
        user !== undefined &&
        password.length <= MAX_PASSWORD_LENGTH &&
        (await verifyPassword(password, user.password_hash));
    } catch (error) {
      limiter.succeed(key);
      if (error instanceof BusyError)
        throw new MatomoApiError('The server is busy; try again in a moment.', 429);
      throw error;
    }
    if (!valid) {
      limiter.fail(key);
      throw new MatomoApiError('The current password you entered is not correct.');
    }
    limiter.succeed(key);
  };
}
