import type { Kysely } from 'kysely';
import { varchar } from './portable';

// More of Matomo's log_visit columns: screen resolution, browser language, city, region and the
// visitor's local time. Visits logged before keep Matomo's unknown values: `unknown` resolution,
// `xx` language, no city, region nor local time.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('log_visit')
    .addColumn('config_resolution', varchar(db, 18), (c) => c.notNull().defaultTo('unknown'))
    .execute();
  await db.schema
    .alterTable('log_visit')
    .addColumn('location_browser_lang', varchar(db, 20), (c) => c.notNull().defaultTo('xx'))
    .execute();
  await db.schema.alterTable('log_visit').addColumn('location_city', varchar(db, 255)).execute();
  await db.schema.alterTable('log_visit').addColumn('location_region', varchar(db, 3)).execute();
  await db.schema.alterTable('log_visit').addColumn('visitor_localtime', varchar(db, 8)).execute();
}

const columns = [
  'config_resolution',
  'location_browser_lang',
  'location_city',
  'location_region',
  'visitor_localtime',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of columns) await db.schema.alterTable('log_visit').dropColumn(column).execute();
}
