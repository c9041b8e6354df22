import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';
import { SqliteDialect } from './sqlite-dialect';

export type Db = Kysely<Database>;

/** Opens (and creates, when missing) the SQLite database file. */
export function openDatabase(filename: string): Db {
  mkdirSync(dirname(filename), { recursive: true });
  // It holds password hashes and encrypted keys: a new file is for the server's user only (SQLite
  // gives its -wal and -shm files the same mode).
  if (!existsSync(filename)) {
    try {
      writeFileSync(filename, '', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ filename }) });
}

/** Brings the schema up to date. Fails loudly: a half-migrated database must not serve. */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
