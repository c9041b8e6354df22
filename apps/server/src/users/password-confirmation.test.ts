import { describe, expect, test } from 'vitest';
import type { AuditEvent, AuditLog } from '../audit/audit-log';
import { TooManyAttemptsError, ValidationError } from '../errors/domain-error';
import type { PasswordCheck, PasswordCheckResult } from './password-check';
import { createPasswordConfirmation } from './password-confirmation';

function confirmationAnswering(result: PasswordCheckResult) {
  const recorded: { event: AuditEvent; entry: unknown }[] = [];
  const calls: unknown[][] = [];
  const checkPassword: PasswordCheck = async (...args) => {
    calls.push(args);
    return result;
  };
  const audit = { record: (event: AuditEvent, entry: unknown) => void recorded.push({ event, entry }) };
  const confirm = createPasswordConfirmation({ checkPassword, audit: audit as unknown as AuditLog });
  return { confirm, recorded, calls };
}

async function failure(work: Promise<void>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('createPasswordConfirmation', () => {
  test('the right password passes, checked for the signed-in login from its address, and records nothing', async () => {
    const { confirm, recorded, calls } = confirmationAnswering({
      outcome: 'valid',
      user: { login: 'ann', email: '', password_hash: '', superuser: 1, created_at: 0 },
    });
    await expect(confirm('ann', 'secret words', '192.0.2.1')).resolves.toBeUndefined();
    expect(calls).toEqual([['ann', 'secret words', '192.0.2.1']]);
    expect(recorded).toEqual([]);
  });

  test('a wrong password is a ValidationError on the confirmation field, and is audited', async () => {
    const { confirm, recorded } = confirmationAnswering({ outcome: 'invalid', knownLogin: true });
    const error = await failure(confirm('ann', 'guess', '192.0.2.1'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('passwordConfirmation');
    expect((error as Error).message).toBe('The current password you entered is not correct.');
    expect(recorded).toEqual([
      { event: 'password_confirmation.failed', entry: { actor: 'ann', ip: '192.0.2.1' } },
    ]);
  });

  test.each([
    [true, [{ event: 'login.rate_limited', entry: { actor: 'ann', ip: '192.0.2.1' } }]],
    [false, []],
  ])(
    'too many failures: TooManyAttemptsError with the wait in whole minutes (first refusal %s audited)',
    async (firstRefusal, audited) => {
      const { confirm, recorded } = confirmationAnswering({
        outcome: 'limited',
        retryAfter: 61,
        firstRefusal,
      });
      const error = await failure(confirm('ann', 'guess', '192.0.2.1'));
      expect(error).toBeInstanceOf(TooManyAttemptsError);
      expect((error as TooManyAttemptsError).retryAfter).toBe(61);
      expect((error as Error).message).toBe('Too many wrong passwords. Try again in 2 minute(s).');
      expect(recorded).toEqual(audited);
    },
  );

  test('a saturated password hash: try again in a second, nothing audited', async () => {
    const { confirm, recorded } = confirmationAnswering({ outcome: 'busy' });
    const error = await failure(confirm('ann', 'guess', '192.0.2.1'));
    expect(error).toBeInstanceOf(TooManyAttemptsError);
    expect((error as TooManyAttemptsError).retryAfter).toBe(1);
    expect((error as Error).message).toBe('The server is busy; try again in a moment.');
    expect(recorded).toEqual([]);
  });
});
