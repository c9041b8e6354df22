import { join } from 'node:path';
import { makeTempDir } from '@matomo-oauth2/testing';
import { Kysely } from 'kysely';
import sqlite3 from 'sqlite3';
import { expect, test } from 'vitest';
import { openTestDb } from '../../test/support/database-under-test';
import { migrateToLatest, openDatabase } from '../db/database';
import type { Database } from '../db/schema';
import { SqliteDialect } from '../db/sqlite-dialect';
import { createLogger } from '../logging/logger';
import { createAuditLog } from './audit-log';

test('a batch that cannot be written is reported to the log, and the request that recorded it is not failed', async () => {
  const temp = makeTempDir();
  const db = await openTestDb(join(temp.dir, 'audit.sqlite'));
  await migrateToLatest(db);
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const audit = createAuditLog({ db, clock: Date.now, logger, retryForMs: 50 });
  await db.destroy();
  expect(() => audit.record('login.failed', { actor: 'someone', ip: '192.0.2.1' })).not.toThrow();
  await audit.close();
  temp.remove();
  const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(logged).toEqual([
    expect.objectContaining({ level: 40, msg: 'audit log: write failed; retrying', entries: 1 }),
    expect.objectContaining({ level: 50, msg: 'audit log: could not write entries', entries: 1 }),
    // close() tries once more what is still queued.
    expect.objectContaining({ level: 40, msg: 'audit log: write failed; retrying', entries: 1 }),
    expect.objectContaining({ level: 50, msg: 'audit log: could not write entries', entries: 1 }),
  ]);
});

test('entries recorded together are committed together, and committed() waits for them', async () => {
  const temp = makeTempDir();
  const db = await openTestDb(join(temp.dir, 'audit.sqlite'));
  await migrateToLatest(db);
  const logger = createLogger({ level: 'silent' });
  const audit = createAuditLog({ db, clock: () => 1_000, logger });
  for (let i = 0; i < 50; i++) audit.record('token.issued', { actor: `user${i}` });
  await audit.committed();
  const rows = await db.selectFrom('audit_log').select(['actor', 'created_at']).orderBy('id').execute();
  expect(rows.map((row) => row.actor)).toEqual(Array.from({ length: 50 }, (_, i) => `user${i}`));
  // Nothing pending: resolves at once.
  await audit.committed();
  await audit.close();
  await db.destroy();
  temp.remove();
});

test('regression: under steady load, committed() waits for the write that carries its entries, not for every later one', async () => {
  const temp = makeTempDir();
  const db = await openTestDb(join(temp.dir, 'audit.sqlite'));
  await migrateToLatest(db);
  // The second insert into the audit log is held until the test lets it go.
  let inserts = 0;
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const gated = db.withPlugin({
    transformQuery: (args) => args.node,
    async transformResult(args) {
      if (args.result.numAffectedRows !== undefined && ++inserts === 2) await held;
      return args.result;
    },
  });
  const audit = createAuditLog({ db: gated, clock: () => 1_000, logger: createLogger({ level: 'silent' }) });
  audit.record('token.issued', { actor: 'first' });
  const first = audit.committed();
  // The first write has taken its entry; what comes now goes into the next one.
  await new Promise<void>((resolve) => setImmediate(resolve));
  audit.record('token.issued', { actor: 'second' });
  const second = audit.committed();
  let secondDone = false;
  void second.then(() => {
    secondDone = true;
  });
  // Resolves while the second write is held: it did not wait for the entry recorded after it.
  const outcome = await Promise.race([
    first.then(() => 'first resolved'),
    new Promise((resolve) => setTimeout(() => resolve('first still waiting'), 10_000)),
  ]);
  expect(outcome).toBe('first resolved');
  expect(secondDone).toBe(false);
  release();
  await second;
  const actors = (await db.selectFrom('audit_log').select('actor').orderBy('id').execute()).map(
    (row) => row.actor,
  );
  expect(actors).toEqual(['first', 'second']);
  await audit.close();
  await db.destroy();
  temp.remove();
});

test('a database locked by another process is retried until the entries are written', async () => {
  const temp = makeTempDir();
  const file = join(temp.dir, 'audit.sqlite');
  const setup = openDatabase(file);
  await migrateToLatest(setup);
  await setup.destroy();
  // The server's connection gives up on a lock after 20 ms; another process holds it for 400 ms.
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ filename: file, busyTimeoutMs: 20 }) });
  const other = new sqlite3.Database(file);
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => other.exec(sql, (error) => (error ? reject(error) : resolve())));
  await exec('begin immediate');
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const audit = createAuditLog({ db, clock: Date.now, logger });
  audit.record('client.created', { actor: 'admin' });
  const release = setTimeout(() => void exec('commit'), 400);
  await audit.committed();
  clearTimeout(release);
  expect(await db.selectFrom('audit_log').select('event').execute()).toEqual([{ event: 'client.created' }]);
  expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['audit log: write failed; retrying']);
  await audit.close();
  await db.destroy();
  await new Promise<void>((resolve) => other.close(() => resolve()));
  temp.remove();
});
