import { createQueryId, type KyselyPlugin, sql, UpdateQueryNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database';
import type { Db } from '../db/database';
import * as users from '../users/user.repository';
import { createTokenStateCache, TOKEN_STATE_TTL_MS, type TokenStateCache } from './token-state-cache';

function fixture(options: { maxEntries?: number } = {}) {
  const time = { now: 1_000_000, real: 0 };
  const cache = createTokenStateCache<string>({
    clock: () => time.now,
    monotonic: () => time.real,
    ...options,
  });
  // The token expires an hour from now, unless a test says otherwise.
  const remember = (token: string, value = `caller of ${token}`, exp = time.now / 1000 + 3600) =>
    cache.set(token, value, { mark: cache.mark(), exp });
  return { time, cache, remember };
}

describe('createTokenStateCache', () => {
  test('remembers an answer per token, for the bound of real time and no longer', () => {
    const { time, cache, remember } = fixture();
    remember('a');
    remember('b');
    expect(cache.get('a')).toBe('caller of a');
    expect(cache.get('b')).toBe('caller of b');
    expect(cache.get('c')).toBeUndefined();
    time.real += TOKEN_STATE_TTL_MS - 1;
    expect(cache.get('a')).toBe('caller of a');
    time.real += 1;
    expect(cache.get('a')).toBeUndefined();
  });

  test('regression: a frozen or moved application clock does not stretch the bound', () => {
    const { time, cache, remember } = fixture();
    remember('a');
    time.now -= 60_000;
    time.real += TOKEN_STATE_TTL_MS;
    expect(cache.get('a')).toBeUndefined();
  });

  test('never past the token’s exp on the application clock (as the JWT check counts)', () => {
    const { time, cache, remember } = fixture();
    remember('a', 'caller', time.now / 1000 + 1);
    time.now += 999;
    expect(cache.get('a')).toBe('caller');
    time.now += 1;
    expect(cache.get('a')).toBeUndefined();
  });

  test('by default the bound is counted in real time, which a frozen application clock does not stop', async () => {
    const cache = createTokenStateCache<string>({ clock: () => 1_000_000, ttlMs: 20 });
    cache.set('a', 'caller', { mark: cache.mark(), exp: 9e9 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(cache.get('a')).toBeUndefined();
  });

  test('an answer read across an invalidation is not kept', () => {
    const { cache } = fixture();
    const mark = cache.mark();
    cache.clear();
    cache.set('a', 'stale', { mark, exp: 9e9 });
    expect(cache.get('a')).toBeUndefined();
  });

  test('holds at most maxEntries, the oldest leaving first', () => {
    const { cache, remember } = fixture({ maxEntries: 3 });
    for (const token of ['a', 'b', 'c', 'd']) remember(token);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toBe('caller of d');
    for (let i = 0; i < 100; i++) remember(`t${i}`);
    expect(cache.size).toBe(3);
  });
});

describe('its plugin, on a real database', () => {
  let db: Db;
  let close: () => Promise<void>;
  let cache: TokenStateCache<string>;
  const remember = () => cache.set('token', 'caller', { mark: cache.mark(), exp: Date.now() / 1000 + 3600 });

  beforeAll(async () => {
    const opened = await openTestDatabase();
    close = opened.close;
    cache = createTokenStateCache<string>({ clock: Date.now });
    db = opened.db.withPlugin(cache.plugin);
  });
  afterAll(() => close());

  test('a write to any table the Bearer check reads empties it, in a transaction too', async () => {
    const writes: [string, () => Promise<unknown>][] = [
      ['users update', () => users.update(db, 'owner', { email: 'new@example.org' })],
      ['sites delete', () => db.deleteFrom('sites').where('idsite', '=', -1).execute()],
      ['site_access upsert', () => users.setSiteAccess(db, 'owner', -1, 'view').catch(() => undefined)],
      [
        'clients update',
        () => db.updateTable('clients').set({ active: 0 }).where('client_id', '=', 'none').execute(),
      ],
      ['revoked_tokens delete', () => db.deleteFrom('revoked_tokens').where('jti', '=', 'none').execute()],
      [
        'grants update, aliased',
        () => db.updateTable('grants as g').set({ revoked_at: 1 }).where('g.grant_id', '=', 'none').execute(),
      ],
      [
        'signing_keys delete',
        () =>
          db
            .transaction()
            .execute((trx) => trx.deleteFrom('signing_keys').where('kid', '=', 'none').execute()),
      ],
      ['raw write', () => sql`update users set email = email where login = 'none'`.execute(db)],
      // Raw SQL is a write unless it starts with select, whatever it reads after.
      [
        'raw write that reads',
        () => sql`delete from spent_nonces where nonce in (select login from users)`.execute(db),
      ],
      // Conservative: an update that reads a table the check reads counts as a write to it.
      [
        'update from one',
        () =>
          db
            .updateTable('spent_nonces')
            .from(['sessions', 'users'])
            .set({ expires_at: 0 })
            .whereRef('spent_nonces.nonce', '=', 'users.login')
            .execute(),
      ],
      [
        'update from a subquery (no table named)',
        () =>
          db
            .updateTable('spent_nonces')
            .from(db.selectFrom('spent_nonces as other').select('other.nonce').as('o'))
            .set({ expires_at: 0 })
            .whereRef('spent_nonces.nonce', '=', 'o.nonce')
            .execute(),
      ],
      [
        'schema change',
        async () => {
          await db.schema.createTable('scratch').addColumn('id', 'integer').execute();
          await db.schema.dropTable('scratch').execute();
        },
      ],
    ];
    for (const [name, write] of writes) {
      remember();
      expect(cache.get('token'), name).toBe('caller');
      await write();
      expect(cache.get('token'), name).toBeUndefined();
    }
  });

  test('an answer read while a write ran is not kept', async () => {
    const mark = cache.mark();
    await db.updateTable('clients').set({ active: 0 }).where('client_id', '=', 'none').execute();
    cache.set('token', 'caller', { mark, exp: Date.now() / 1000 + 3600 });
    expect(cache.get('token')).toBeUndefined();
  });

  test('an answer read while a write ran is not kept, even if read after it began', async () => {
    // A Bearer check that reads the token's state while the statement runs (after the plugin saw it).
    let during: number | undefined;
    const duringWrite: KyselyPlugin = {
      transformQuery: ({ node }) => {
        during = cache.mark();
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    await db
      .withPlugin(duringWrite)
      .updateTable('clients')
      .set({ active: 0 })
      .where('client_id', '=', 'none')
      .execute();
    cache.set('token', 'caller', { mark: during as number, exp: Date.now() / 1000 + 3600 });
    expect(cache.get('token')).toBeUndefined();
  });

  test('reads, and writes to other tables (the audit log, visits), keep it', async () => {
    remember();
    await users.find(db, 'owner');
    await sql`select 1`.execute(db);
    await sql`
      select login from users`.execute(db);
    await db
      .with('logins', (q) => q.selectFrom('users').select('login'))
      .selectFrom('logins')
      .selectAll()
      .execute();
    await db.deleteFrom('audit_log').where('id', '=', -1).execute();
    await db.insertInto('spent_nonces').values({ nonce: 'n', expires_at: 0 }).execute();
    await db.updateTable('spent_nonces').set({ expires_at: 1 }).where('nonce', '=', 'n').execute();
    await db.updateTable('spent_nonces as s').set({ expires_at: 2 }).where('s.nonce', '=', 'n').execute();
    expect(cache.get('token')).toBe('caller');
  });

  // Statements these dialects do not run, seen by the plugin as they are compiled (as when run).
  test('a data-modifying WITH (PostgreSQL) empties it, even under a select', () => {
    remember();
    db.with('logins', (q) => q.selectFrom('users').select('login'))
      .with('gone', (q) => q.deleteFrom('grants').returning('grant_id'))
      .selectFrom('gone')
      .selectAll()
      .compile();
    expect(cache.get('token')).toBeUndefined();
  });

  test('a delete from several tables (MySQL) empties it if any is one the check reads', () => {
    remember();
    db.deleteFrom(['spent_nonces', 'users']).where('login', '=', 'none').compile();
    expect(cache.get('token')).toBeUndefined();
  });

  test('a statement without a named target (as Kysely builds inside a MERGE) empties it', () => {
    remember();
    cache.plugin.transformQuery({ node: UpdateQueryNode.createWithoutTable(), queryId: createQueryId() });
    expect(cache.get('token')).toBeUndefined();
  });
});
