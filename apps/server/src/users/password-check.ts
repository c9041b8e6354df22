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
    // Counted before the password is checked, so that a burst of guesses cannot all pass at once.
    const wait = await attemptAll(reservations);
    if (wait > 0)
      return { outcome: 'limited', retryAfter: wait, firstRefusal: await anyFirstRefusal(reservations) };
    const user = await users.find(db, login);
    let valid: boolean;
    try {
      // An unknown login costs the same scrypt time as a wrong password: no user enumeration.
      valid =
        password.length <= MAX_PASSWORD_LENGTH &&
        (await verifyPassword(password, user?.password_hash ?? (await decoyPasswordHash())));
    } catch (error) {
      await Promise.all(reservations.map(([limiter, key]) => limiter.succeed(key)));
      if (error instanceof BusyError) return { outcome: 'busy' };
      throw error;
    }
    if (!user || !valid) {
      await Promise.all(reservations.map(([limiter, key]) => limiter.fail(key)));
      return { outcome: 'invalid', knownLogin: user !== undefined };
    }
    await Promise.all(reservations.map(([limiter, key]) => limiter.succeed(key)));
    await limits.loginPerUser.reset(`${account}|${address}`);
    return { outcome: 'valid', user };
  };
}

export type PasswordCheck = ReturnType<typeof createPasswordCheck>;

/** Whether this refusal is the first of its window for one of the limits (one after the other, as `some`). */
async function anyFirstRefusal(reservations: readonly [RateLimiter, string][]): Promise<boolean> {
  for (const [limiter, key] of reservations) if (await limiter.firstRefusal(key)) return true;
  return false;
}
