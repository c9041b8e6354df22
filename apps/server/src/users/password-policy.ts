import { ValidationError } from '../errors/domain-error';
import { MAX_PASSWORD_LENGTH } from '../protocol/limits';
import { commonPasswords } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 12;

/** A password made of one short unit repeated (`abcabcabcabc`), or a run of the keyboard's digits. */
function isPattern(password: string): boolean {
  if (/^(.{1,4})\1+$/.test(password)) return true;
  return '01234567890123456789'.includes(password) || '98765432109876543210'.includes(password);
}

/**
 * What is wrong with a new password (NIST SP 800-63B §5.1.1.2: a minimum length, no
 * composition rules, refused when it is known to be common), or undefined when it is good.
 */
export function passwordProblem(password: string, login?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower) || isPattern(lower))
    return 'This password is too easy to guess (a common password or a simple pattern); choose another.';
  if (login !== undefined && lower === login.toLowerCase()) return 'The password must not be the login.';
  return undefined;
}

/** Throws a ValidationError (field `password`) when the password breaks the policy. */
export function checkNewPassword(password: string, login?: string): void {
  const problem = passwordProblem(password, login);
  if (problem) throw new ValidationError(problem, 'password');
}
