import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import { DEMO_GOALS } from '../analytics';
import type { Db } from '../db/database';
import * as users from '../users/user.repository';
import { seedDemo } from './demo';

const NOW = Date.parse('2026-11-28T15:30:00Z');

describe('seedDemo and goals', () => {
  let db: Db;
  let close: () => Promise<void>;
  const clock = () => NOW;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
    await users.insert(db, {
      login: 'admin',
      email: 'a@example.org',
      password_hash: 'x',
      superuser: 1,
      created_at: 0,
    });
  });
  afterAll(() => close());

  test('a new demo has the goals, and a demo from before goals gets them at the next start, without back-filled conversions', async () => {
    await seedDemo({ db, clock }, 'admin', 0);
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('goals')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      );
    expect(await count()).toBe(3 * DEMO_GOALS.length);
    await db.deleteFrom('goals').execute();
    await seedDemo({ db, clock }, 'admin', 0);
    expect(await count()).toBe(3 * DEMO_GOALS.length);
    expect(await db.selectFrom('log_conversion').selectAll().execute()).toEqual([]);
  });
});
