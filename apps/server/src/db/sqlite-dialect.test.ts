import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Db, migrateToLatest, openDatabase } from './database';

const temp = makeTempDir();
let db: Db;

beforeAll(async () => {
  db = openDatabase(join(temp.dir, 'nested', 'test.sqlite'));
  await migrateToLatest(db);
  await db
    .insertInto('users')
    .values({ login: 'ann', email: 'ann@example.org', password_hash: 'x', superuser: 0, created_at: 1 })
    .execute();
});
afterAll(async () => {
  await db.destroy();
  temp.remove();
});

describe('the sqlite3 dialect', () => {
  test('creates the file in a new directory, in WAL mode, with foreign keys on', async () => {
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(rows[0]?.journal_mode).toBe('wal');
    await expect(
      db.insertInto('site_access').values({ login: 'nobody', idsite: 99, access: 'view' }).execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  test('migrating twice is a no-op', async () => {
    await migrateToLatest(db);
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).toContain('refresh_tokens');
  });

  test('reports affected rows, insert ids and returned rows', async () => {
    const insert = await db
      .insertInto('sites')
      .values({
        name: 'A',
        main_url: 'https://a.example',
        urls: '[]',
        ts_created: 1,
        timezone: 'UTC',
        currency: 'EUR',
        creator_login: 'ann',
      })
      .executeTakeFirstOrThrow();
    expect(insert.insertId).toBeGreaterThan(0n);
    const updated = await db
      .updateTable('sites')
      .set({ name: 'B' })
      .where('name', '=', 'A')
      .executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    const returned = await db
      .updateTable('sites')
      .set({ name: 'C' })
      .where('name', '=', 'B')
      .returning(['idsite', 'name'])
      .execute();
    expect(returned).toEqual([{ idsite: Number(insert.insertId), name: 'C' }]);
  });

  test('a read right after a write sees it, outside and inside transactions', async () => {
    await db.updateTable('users').set({ email: 'new@example.org' }).where('login', '=', 'ann').execute();
    const outside = await db
      .selectFrom('users')
      .select('email')
      .where('login', '=', 'ann')
      .executeTakeFirst();
    expect(outside?.email).toBe('new@example.org');
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ email: 'tx@example.org' }).where('login', '=', 'ann').execute();
      const inside = await trx
        .selectFrom('users')
        .select('email')
        .where('login', '=', 'ann')
        .executeTakeFirst();
      expect(inside?.email).toBe('tx@example.org');
      // Other readers do not see the uncommitted write.
      const other = await db
        .selectFrom('users')
        .select('email')
        .where('login', '=', 'ann')
        .executeTakeFirst();
      expect(other?.email).toBe('new@example.org');
    });
  });

  test('a failed transaction leaves nothing behind', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ email: 'lost@example.org' })
          .where('login', '=', 'ann')
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const row = await db.selectFrom('users').select('email').where('login', '=', 'ann').executeTakeFirst();
    expect(row?.email).not.toBe('lost@example.org');
  });

  test('concurrent transactions do not interleave: read-modify-write loses no update', async () => {
    await db.updateTable('users').set({ superuser: 0 }).execute();
    await db.insertInto('revoked_tokens').values({ jti: 'counter', expires_at: 0 }).execute();
    await Promise.all(
      Array.from({ length: 25 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('revoked_tokens')
            .select('expires_at')
            .where('jti', '=', 'counter')
            .executeTakeFirstOrThrow();
          await new Promise((resolve) => setImmediate(resolve));
          await trx
            .updateTable('revoked_tokens')
            .set({ expires_at: row.expires_at + 1 })
            .where('jti', '=', 'counter')
            .execute();
        }),
      ),
    );
    const final = await db
      .selectFrom('revoked_tokens')
      .select('expires_at')
      .where('jti', '=', 'counter')
      .executeTakeFirst();
    expect(final?.expires_at).toBe(25);
  });

  test('a conditional update wins exactly once under contention', async () => {
    await db.insertInto('revoked_tokens').values({ jti: 'once', expires_at: 0 }).execute();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        db
          .updateTable('revoked_tokens')
          .set({ expires_at: 1 })
          .where('jti', '=', 'once')
          .where('expires_at', '=', 0)
          .executeTakeFirst(),
      ),
    );
    expect(results.filter((r) => r.numUpdatedRows === 1n)).toHaveLength(1);
  });
});
