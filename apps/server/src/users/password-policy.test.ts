import { describe, expect, test } from 'vitest';
import { ValidationError } from '../errors/domain-error';
import { checkNewPassword, MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  test.each([
    ['', 'at least 12'],
    ['eleven-char', 'at least 12'],
    ['x'.repeat(1025), 'at most 1024'],
    ['password1234', 'too easy to guess'],
    ['PassWord1234', 'too easy to guess'],
    ['qwertyuiopasdfgh', 'too easy to guess'],
    ['aaaaaaaaaaaa', 'too easy to guess'],
    ['abcabcabcabc', 'too easy to guess'],
    ['123456789012', 'too easy to guess'],
    ['3456789012345', 'too easy to guess'],
    ['210987654321', 'too easy to guess'],
    ['operator.login', 'must not be the login'],
  ])('refuses %j (%s)', (password, problem) => {
    expect(passwordProblem(password, 'Operator.Login')).toContain(problem);
  });

  test.each([
    'twelve-chars',
    'correct horse battery',
    'admin-password-for-tests',
    'long passphrase '.repeat(64),
    // A doubled letter at either end is no pattern.
    'aardvark in the moonlight',
    'a strong password, grass',
  ])('accepts %j', (password) => {
    expect(passwordProblem(password, 'admin')).toBeUndefined();
  });

  test('the boundary is twelve characters', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(passwordProblem('k3y-d9x-q7mz')).toBeUndefined();
    expect(passwordProblem('k3y-d9x-q7m')).toBeDefined();
  });

  test('checkNewPassword lets a good password through', () => {
    expect(() => checkNewPassword('correct horse battery', 'admin')).not.toThrow();
  });

  test('checkNewPassword throws a ValidationError on the password field', () => {
    expect(() => checkNewPassword('short')).toThrow(ValidationError);
    try {
      checkNewPassword('short');
    } catch (error) {
      expect((error as ValidationError).field).toBe('password');
    }
  });
});
