// `backup` while the server issues tokens, and `restore` with the right, a wrong and a missing key file.
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, postToken } from '@matomo-oauth2/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Db, openDatabase } from '../../src/db/database';
import { startServerProcess } from '../support/server-process';
import { cli, cliError, cliJson, newDatabase, operatorEnv, startOn } from './cli-harness';

function withDb<T>(path: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = openDatabase(path);
  return work(db).finally(() => db.destroy());
}

const auditIds = (db: Db, upTo: number) =>
  db
    .selectFrom('audit_log')
    .select('id')
    .where('id', '<=', upTo)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((row) => row.id));

let database: Awaited<ReturnType<typeof newDatabase>>;
let env: Record<string, string>;
let client: { id: string; secret: string };
const scratch = makeTempDir('matomo-oauth2-cli-backup-');
beforeAll(async () => {
  database = await newDatabase();
  env = database.env;
  await cliJson(env, ['sites', 'add', '--name', 'Shop']);
  const created = await cliJson<{ client: { client_id: string }; secret: string }>(env, [
    'clients',
    'create',
    '--name',
    'Backend',
    '--grant-types',
    'client_credentials',
    '--scope',
    'matomo:read',
  ]);
  client = { id: created.client.client_id, secret: created.secret };
});
afterAll(() => {
  database.remove();
  scratch.remove();
});

describe('backup', () => {
  test('while tokens are being issued: the copy has every row committed before it began', async () => {
    const server = await startOn(env);
    const statuses: number[] = [];
    let issuing = true;
    const issue = async () => {
      while (issuing) {
        const response = await postToken(server.url, {
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        });
        statuses.push(response.status);
      }
    };
    const workers = [issue(), issue(), issue(), issue()];
    try {
      while (statuses.length < 40) await new Promise((resolve) => setTimeout(resolve, 10));
      // Every token answered so far has its audit entry committed (before its response was sent).
      const answered = statuses.length;
      const lastCommitted = await withDb(database.databasePath, async (db) => {
        const row = await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow();
        return row.id ?? 0;
      });
      const file = join(scratch.dir, 'during-load.sqlite');
      const backup = await cliJson<{ file: string; key_file: string; bytes: number }>(env, ['backup', file]);
      expect(statuses.length).toBeGreaterThan(answered); // tokens kept being issued meanwhile
      issuing = false;
      await Promise.all(workers);

      expect(backup).toMatchObject({
        file,
        key_file: join(database.dir, 'master.key'),
        bytes: statSync(file).size,
      });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const live = await withDb(database.databasePath, (db) => auditIds(db, lastCommitted));
      const copied = await withDb(file, async (db) => {
        const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
        expect(rows).toEqual([{ integrity_check: 'ok' }]);
        return auditIds(db, lastCommitted);
      });
      expect(copied.length).toBeGreaterThanOrEqual(answered);
      expect(copied).toEqual(live);
    } finally {
      issuing = false;
      await Promise.all(workers);
      await server.close();
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  test('names the key file to keep, and never overwrites a file', async () => {
    const file = join(scratch.dir, 'plain.sqlite');
    const result = await cli(env, ['backup', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Keep the key file ${join(database.dir, 'master.key')}`);
    const again = await cliError(env, ['backup', file]);
    expect(again.stderr).toBe(`error: ${file} already exists: a backup never overwrites a file\n`);
    expect((await cliError(env, ['backup'])).stderr).toBe('error: backup: FILE is missing\n');
    const nowhere = join(scratch.dir, 'no-such-dir', 'copy.sqlite');
    expect((await cliError(env, ['backup', nowhere])).stderr).toBe(
      `error: ${join(scratch.dir, 'no-such-dir')} is not a directory\n`,
    );
    expect(existsSync(join(scratch.dir, 'no-such-dir'))).toBe(false);
  });
});

describe('restore', () => {
  let backup: string;
  beforeAll(async () => {
    backup = join(scratch.dir, 'for-restore.sqlite');
    await cliJson(env, ['backup', backup]);
  });

  test('into a place with the key file of the backup: the clients, keys and secrets work again', async () => {
    const place = join(scratch.dir, 'restored');
    mkdirSync(place);
    copyFileSync(join(database.dir, 'master.key'), join(place, 'master.key'));
    const target = operatorEnv(join(place, 'matomo.sqlite'));
    // Left over from an earlier database: must not be applied to the restored one.
    writeFileSync(join(place, 'matomo.sqlite-wal'), 'stale');
    writeFileSync(join(place, 'matomo.sqlite-shm'), 'stale');
    const result = await cli(target, ['restore', backup]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Start the server again');
    expect(existsSync(join(place, 'matomo.sqlite-wal'))).toBe(false);

    expect(await cliJson(target, ['clients', 'list'])).toEqual(await cliJson(env, ['clients', 'list']));
    expect(await cliJson(target, ['keys', 'list'])).toEqual(await cliJson(env, ['keys', 'list']));
    const server = await startOn(target);
    try {
      const response = await postToken(server.url, {
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      });
      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('with a wrong key file: stops, names the key file, and leaves the database as it was', async () => {
    const other = await newDatabase();
    try {
      const before = await cliJson(other.env, ['keys', 'list']);
      const result = await cliError(other.env, ['restore', backup]);
      expect(result.stderr).toBe(
        `error: the key-encryption secret in ${join(other.dir, 'master.key')} does not decrypt the signing keys of ${backup}\n`,
      );
      expect(await cliJson(other.env, ['keys', 'list'])).toEqual(before);
    } finally {
      other.remove();
    }
  });

  test('with no key file: stops and names the key file, generating none', async () => {
    const place = join(scratch.dir, 'no-key');
    const result = await cliError(operatorEnv(join(place, 'matomo.sqlite')), ['restore', backup]);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: the key-encryption secret ${join(place, 'master.key')} is missing, and ${backup} has 1 signing key`,
      ),
    );
    expect(existsSync(join(place, 'master.key'))).toBe(false);
    expect(existsSync(join(place, 'matomo.sqlite'))).toBe(false);
  });

  test('with KEY_ENCRYPTION_SECRET set to another secret: stops and says so', async () => {
    const result = await cliError(
      operatorEnv(join(scratch.dir, 'env-key', 'matomo.sqlite'), { KEY_ENCRYPTION_SECRET: 'x'.repeat(40) }),
      ['restore', backup],
    );
    expect(result.stderr).toMatch(/the key-encryption secret in KEY_ENCRYPTION_SECRET does not decrypt/);
  });

  test('refuses what is not a backup of this server', async () => {
    const text = join(scratch.dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some text that is long enough to have a header');
    expect((await cliError(env, ['restore', text])).stderr).toMatch(/is not a database of this server/);
    const foreign = join(scratch.dir, 'foreign.sqlite');
    await withDb(foreign, (db) => sql`create table things (id integer)`.execute(db).then(() => undefined));
    expect((await cliError(env, ['restore', foreign])).stderr).toMatch(
      /foreign\.sqlite is not a database of this server \(no migrations table\)/,
    );
    expect((await cliError(env, ['restore', join(scratch.dir, 'nothing.sqlite')])).stderr).toMatch(
      /no backup at/,
    );
    expect((await cliError(env, ['restore', scratch.dir])).stderr).toBe(
      `error: ${scratch.dir} is not a file\n`,
    );
    // The configured database is untouched.
    expect((await cliJson<unknown[]>(env, ['clients', 'list'])).length).toBe(1);
  });

  test('refuses while a server process runs on the database, and names it', async () => {
    const server = await startServerProcess([], { ...env, LOG_LEVEL: 'info' });
    try {
      const refused = await cliError(env, ['restore', backup]);
      expect(refused.stderr).toBe(
        `error: a server (process ${server.child.pid}) is running on ${env.DATABASE_PATH}: stop it first\n`,
      );
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    // Stopped: its pid file is gone, and a restore may go ahead.
    expect(existsSync(`${env.DATABASE_PATH}.pid`)).toBe(false);
  }, 60_000);

  test('--help tells the operator to stop the server first', async () => {
    const help = await cli(env, ['restore', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Stop the server before restoring');
  });
});
