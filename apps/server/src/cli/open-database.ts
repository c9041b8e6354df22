import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import type { Config } from '../config/config';
import { type Db, migrateToLatest, openDatabaseAt } from '../db/database';
import { databaseLocation } from '../db/database-location';
import { migrationProvider } from '../db/migrations';
import { CliError } from './cli-error';

/**
 * Checks that an open SQLite file is a database of this server: it has Kysely's migrations table,
 * and every migration recorded there is one this version knows (a newer server's database is not
 * changed by an older one).
 */
export async function checkServerDatabase(db: Db, label: string): Promise<void> {
  let names: string[];
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    names = rows.map((row) => row.name);
  } catch (error) {
    // SQLite's and PostgreSQL's (undefined_table) codes for a missing table.
    const code = (error as { code?: string }).code;
    const reason = code === 'SQLITE_ERROR' || code === '42P01' ? 'no migrations table' : error;
    throw new CliError(`${label} is not a database of this server (${String(reason)})`);
  }
  if (names.length === 0) throw new CliError(`${label} is not a database of this server (no migration ran)`);
  const known = Object.keys(await migrationProvider.getMigrations());
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined)
    throw new CliError(`${label} was written by a newer version of the server (migration ${unknown})`);
}

/**
 * The configured database, which must exist: a command other than `serve` never creates one (a
 * wrong DATABASE_PATH would otherwise give an empty database, and a new signing key, silently;
 * a PostgreSQL database without this server's tables is refused the same way). Migrated to this
 * version, as the server would on start.
 */
export async function openExistingDatabase(config: Config): Promise<Db> {
  const path = config.databasePath;
  if (config.databaseUrl === undefined && !existsSync(path))
    throw new CliError(`no database at ${path} (set DATABASE_PATH)`);
  const db = openDatabaseAt(databaseLocation(config));
  const label = config.databaseUrl === undefined ? path : 'the PostgreSQL database of DATABASE_URL';
  try {
    await checkServerDatabase(db, label);
    await migrateToLatest(db);
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
