import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import { hashPassword } from '../crypto/password';
import type { Db } from '../db/database';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import { createPasswordCheck, type PasswordLimits } from './password-check';
import * as users from './user.repository';

const password = 'correct horse battery';
const longest = 'p'.repeat(1024);

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
  const user = (login: string, hash: string) =>
    users.insert(db, {
      login,
      email: `${login}@example.org`,
      password_hash: hash,
      superuser: 0,
      created_at: 0,
    });
  await user('ann', await hashPassword(password));
  await user('long', await hashPassword(longest));
  await user('longer', await hashPassword(`${longest}p`));
  // A hash whose cost scrypt refuses: the check fails with an error, not with a wrong password.
  await user('broken', 'scrypt$1048576$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA');
});
afterAll(() => close());

function setup({ perIp = 10, perUser = 10, perAccount = 10 } = {}) {
  const limiter = (limit: number) => createRateLimiter({ limit, windowMs: 60_000, clock: () => 0 });
  const limits: PasswordLimits = {
    loginPerIp: limiter(perIp),
    loginPerUser: limiter(perUser),
    loginPerAccount: limiter(perAccount),
  };
  return { limits, check: createPasswordCheck({ db, limits }) };
}

describe('checkPassword', () => {
  test('the right password is valid, and gives the user', async () => {
    const result = await setup().check('ann', password, '192.0.2.1');
    expect(result).toMatchObject({ outcome: 'valid', user: { login: 'ann' } });
  });

  test.each([
    ['a wrong password', 'ann', `${password}!`, true],
    ['an empty password', 'ann', '', true],
    ['an unknown login', 'nobody', password, false],
    ['an empty login', '', password, false],
    ['the login in another case', 'Ann', password, false],
  ])('%s is invalid', async (_, login, sent, knownLogin) => {
    expect(await setup().check(login, sent, '192.0.2.1')).toEqual({ outcome: 'invalid', knownLogin });
  });

  test('passwords longer than 1024 characters are refused without hashing', async () => {
    expect((await setup().check('long', longest, '192.0.2.1')).outcome).toBe('valid');
    expect((await setup().check('longer', `${longest}p`, '192.0.2.1')).outcome).toBe('invalid');
  });

  test('failures from one address are refused once the limit is reached, with the wait', async () => {
    const { check } = setup({ perIp: 2 });
    expect((await check('ann', 'wrong', '192.0.2.1')).outcome).toBe('invalid');
    expect((await check('nobody', 'wrong', '192.0.2.1')).outcome).toBe('invalid');
    expect(await check('ann', password, '192.0.2.1')).toEqual({
      outcome: 'limited',
      retryAfter: 60,
      firstRefusal: true,
    });
    expect(await check('ann', password, '192.0.2.1')).toEqual({
      outcome: 'limited',
      retryAfter: 60,
      firstRefusal: false,
    });
    expect((await check('ann', password, '192.0.2.2')).outcome).toBe('valid');
  });

  test('failures for one login from one address are counted whatever the case of the login', async () => {
    const { check } = setup({ perUser: 2 });
    await check('ann', 'wrong', '192.0.2.1');
    await check('ANN', 'wrong', '192.0.2.1');
    expect((await check('ann', password, '192.0.2.1')).outcome).toBe('limited');
    expect((await check('ann', password, '192.0.2.9')).outcome).toBe('valid');
  });

  test('failures for one account from many addresses are counted', async () => {
    const { check } = setup({ perAccount: 2 });
    await check('ann', 'wrong', '192.0.2.1');
    await check('Ann', 'wrong', '198.51.100.1');
    expect((await check('ann', password, '203.0.113.1')).outcome).toBe('limited');
    expect((await check('other', 'wrong', '203.0.113.1')).outcome).toBe('invalid');
  });

  test('the right password ends the run of wrong ones for that login and address', async () => {
    const { check } = setup({ perUser: 2 });
    await check('ann', 'wrong', '192.0.2.1');
    expect((await check('ann', password, '192.0.2.1')).outcome).toBe('valid');
    await check('ann', 'wrong', '192.0.2.1');
    expect((await check('ann', password, '192.0.2.1')).outcome).toBe('valid');
  });

  test('valid checks do not add up to a refusal', async () => {
    const { check } = setup({ perIp: 1, perUser: 1, perAccount: 1 });
    for (let i = 0; i < 3; i++) expect((await check('ann', password, '192.0.2.1')).outcome).toBe('valid');
  });

  test('a refusal is reported once, whichever limit refuses', async () => {
    const { check } = setup({ perAccount: 1 });
    await check('ann', 'wrong', '192.0.2.1');
    expect(await check('ann', password, '192.0.2.2')).toMatchObject({
      outcome: 'limited',
      firstRefusal: true,
    });
    expect(await check('ann', password, '192.0.2.3')).toMatchObject({
      outcome: 'limited',
      firstRefusal: false,
    });
  });

  test('an error in the check is thrown, and counts nothing', async () => {
    const { check } = setup({ perIp: 1, perUser: 1, perAccount: 1 });
    await expect(check('broken', 'any', '192.0.2.1')).rejects.toThrow();
    expect((await check('ann', password, '192.0.2.1')).outcome).toBe('valid');
  });

  test('when the hashing is saturated: busy, and nothing counted', async () => {
    const crowd = setup({ perIp: 1000, perUser: 1000, perAccount: 1000 });
    const strict = setup({ perIp: 1, perUser: 1, perAccount: 1 });
    const checks = Array.from({ length: 40 }, (_, i) => crowd.check(`user${i}`, 'wrong', '192.0.2.1'));
    const last = strict.check('ann', password, '192.0.2.7');
    await Promise.all(checks);
    expect(await last).toEqual({ outcome: 'busy' });
    // The busy check gave its reservations back: the next one may go ahead.
    expect((await strict.check('ann', password, '192.0.2.7')).outcome).toBe('valid');
  });
});
