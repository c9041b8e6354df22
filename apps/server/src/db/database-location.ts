import type { Config } from '../config/config';
import type { DatabaseLocation } from './database';

/** The database the configuration names: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function databaseLocation(config: Config): DatabaseLocation {
  return config.databaseUrl === undefined
    ? { kind: 'sqlite', path: config.databasePath }
    : { kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize };
}
