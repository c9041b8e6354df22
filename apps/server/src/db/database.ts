import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, type LogConfig, Migrator, sql } from 'kysely';
import { dialectOf } from './dialect';
import { migrationProvider } from './migrations';
import { openPostgresDialect } from './postgres-dialect';
import type { Database } from './schema';
import { SqliteDialect } from './sqlite-dialect';

export type Db = Kysely<Database>;

/** Where the data lives: a SQLite file (the embedded default) or a PostgreSQL database. */
export type DatabaseLocation =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; poolSize: number };

export interface OpenDatabaseOptions {
  /** Called after every query with its duration (for the query latency metric). */
  onQuery?: (durationMs: number) => void;
}

function queryLog(onQuery: OpenDatabaseOptions['onQuery']): LogConfig | undefined {
  if (!onQuery) return undefined;
  return (event) => onQuery(event.queryDurationMillis);
}

/** Opens (and creates, when missing) the SQLite database file. */
export function openDatabase(filename: string, options: OpenDatabaseOptions = {}): Db {
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
  const log = queryLog(options.onQuery);
  return new Kysely<Database>({ dialect: new SqliteDialect({ filename }), ...(log ? { log } : {}) });
}

/** Opens the configured database: PostgreSQL through a pool, or the SQLite file. */
export function openDatabaseAt(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Db {
  if (location.kind === 'sqlite') return openDatabase(location.path, options);
  const log = queryLog(options.onQuery);
  return new Kysely<Database>({
    dialect: openPostgresDialect(location.url, location.poolSize),
    ...(log ? { log } : {}),
  });
}

/** Brings the schema up to date. Fails loudly: a half-migrated database must not serve. */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    // Kysely looks for its tables in every schema it can see: on PostgreSQL, name the one this
    // connection works in (its search_path), lest another schema's tables be taken for ours.
    ...(dialectOf(db) === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? '');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('The PostgreSQL connection has no schema to work in (check its search_path)');
  return schema;
}
