import { BusyError } from '../crypto/concurrency-gate';
import { decoyPasswordHash, verifyPassword } from '../crypto/password';
import type { Db } from '../db/database';
import type { UserRow } from '../db/schema';
import { MAX_PASSWORD_LENGTH } from '../protocol/limits';
import { addressKey, attemptAll, type RateLimiter } from '../rate-limit/rate-limiter';
import * as users from './user.repository';

/** The failure counters every password check goes through: per address, per login and address, per account. */
export interface PasswordLimits {
  loginPerIp: RateLimiter;
  loginPerUser: RateLimiter;
  loginPerAccount: RateLimiter;
}

export type PasswordCheckResult =
  | { outcome: 'valid'; user: UserRow }
  /** `knownLogin`: whether such a user exists (for the audit log only, never for the answer). */
  | { outcome: 'invalid'; knownLogin: boolean }
  /** Refused before any check: too many failures. `firstRefusal` is true once per window, for the audit log. */
  | { outcome: 'limited'; retryAfter: number; firstRefusal: boolean }
  /** The password hashing is saturated: nothing was checked, nothing counted. */
  | { outcome: 'busy' };

/**
 * Checks a user's password under the sign-in limits: sign-in and every password confirmation
 * (the `OAuth2.*` methods, the admin pages) count failures in the same counters, so guesses
 * spread over both, or over many addresses, meet the same limits.
 */
export function createPasswordCheck({ db, limits }: { db: Db; limits: PasswordLimits }) {
  return async function checkPassword(
    login: string,
    password: string,
    ip: string,
  ): Promise<PasswordCheckResult> {
    const address = addressKey(ip);
    // Stryker disable next-line MethodExpression: either case makes the account's counters case-insensitive
    const account = login.toLowerCase();
    const reservations: [RateLimiter, string][] = [
      [limits.loginPerIp, address],
      [limits.loginPerUser, `${account}|${address}`],
      [limits.loginPerAccount, account],
    ];
    // Reserved before any await, so that a burst of guesses cannot all pass the check at once.
    const wait = attemptAll(reservations);
    if (wait > 0) {
      const firstRefusal = reservations.some(([limiter, key]) => limiter.firstRefusal(key));
      return { outcome: 'limited', retryAfter: wait, firstRefusal };
    }
    const user = await users.find(db, login);
    let valid: boolean;
    try {
      // An unknown login costs the same scrypt time as a wrong password: no user enumeration.
      valid =
        password.length <= MAX_PASSWORD_LENGTH &&
        (await verifyPassword(password, user?.password_hash ?? (await decoyPasswordHash())));
    } catch (error) {
      for (const [limiter, key] of reservations) limiter.succeed(key);
      if (error instanceof BusyError) return { outcome: 'busy' };
      throw error;
    }
    if (!user || !valid) {
      for (const [limiter, key] of reservations) limiter.fail(key);
      return { outcome: 'invalid', knownLogin: user !== undefined };
    }
    for (const [limiter, key] of reservations) limiter.succeed(key);
    limits.loginPerUser.reset(`${account}|${address}`);
    return { outcome: 'valid', user };
  };
}

export type PasswordCheck = ReturnType<typeof createPasswordCheck>;
